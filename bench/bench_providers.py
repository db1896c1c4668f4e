"""The embedded lab and Vagrant VMs side by side, on the drbd topology: up, a command's cost, a power cycle,
down.

Run: .venv/bin/python bench/bench_providers.py [--commands N] [--lab FILE]
The Vagrant side uses the local box (built first if not cached; its build is not timed) and software
emulation where KVM does not work (the driver is printed). Both labs are taken down at the end.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from harness.lab.image import box
from harness.lab.providers.libvirtd import driver
from harness.lab.providers.topolab import TopologyLab
from harness.lab.providers.uml import UmlLab
from harness.lab.providers.vagrant import VagrantLab
from harness.node import Node


def timed(fn: Callable[[], object]) -> float:
    start = time.monotonic()
    fn()
    return time.monotonic() - start


def measure(lab: TopologyLab, commands: int) -> dict[str, float]:
    """Seconds to come up, median ms of a `true` over a kept connection, a power cycle of vm01, down."""
    lab.down()
    figures = {"up (s)": timed(lab.up)}
    try:
        node = Node(lab.node("vm01"))
        node.run("true")
        figures["command, median (ms)"] = statistics.median(
            timed(lambda: node.run("true")) * 1000 for _ in range(commands))
        node.close()
        figures["power off (s)"] = timed(lambda: lab.power_off("vm01"))
        figures["power on until booted (s)"] = timed(lambda: lab.power_on("vm01"))
    finally:
        figures["down (s)"] = timed(lab.down)
    return figures


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--commands", type=int, default=100)
    ap.add_argument("--lab", default="drbd", help="topology (drbd or a FILE with vm01)")
    args = ap.parse_args()
    box.ensure()
    results = {"uml": measure(UmlLab(args.lab, "benchuml"), args.commands),
               f"vagrant ({driver()})": measure(VagrantLab(args.lab, "benchvg"), args.commands)}
    names = list(results)
    title = f"figure ({Path(args.lab).stem})"
    print(f"{title:30}" + "".join(f"{n:>18}" for n in names))
    for figure in results[names[0]]:
        print(f"{figure:30}" + "".join(f"{results[n][figure]:>18.1f}" for n in names))


if __name__ == "__main__":
    main()
