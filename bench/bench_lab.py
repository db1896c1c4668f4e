"""Benchmarks of the embedded lab: image build (cold and cached), lab up, per-command overhead.

Run: .venv/bin/python bench/bench_lab.py [--cold] [--commands N]
--cold rebuilds the image from scratch first (about a minute and a half); without it the cold
figure is read from the cached image's manifest (the time its build took).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import time

from harness.lab.image import build as image_build
from harness.lab.providers.uml import UmlLab
from harness.node import Node


def timed(fn: object) -> float:
    start = time.monotonic()
    fn()  # type: ignore[operator]
    return time.monotonic() - start


def per_command_ms(node: Node, lab: UmlLab, count: int) -> tuple[list[float], list[float]]:
    node.run("true")  # the connection is open before timing starts
    persistent = [timed(lambda: node.run("true")) * 1000 for _ in range(count)]
    ssh = ["ssh", "-F", str(lab.ssh_config), node.name, "true"]
    fresh = [timed(lambda: subprocess.run(ssh, check=True)) * 1000 for _ in range(count)]
    return persistent, fresh


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cold", action="store_true", help="rebuild the image from scratch first")
    ap.add_argument("--commands", type=int, default=200)
    args = ap.parse_args()

    if args.cold:
        cold = timed(lambda: image_build.ensure(force=True))
    else:
        image = image_build.ensure()
        cold = json.loads((image.path.parent / "manifest.json").read_text())["build_seconds"]
    cached = timed(image_build.ensure)

    lab = UmlLab("drbd", "bench")
    lab.down()
    up = timed(lab.up)
    try:
        persistent, fresh = per_command_ms(Node(lab.node("vm01")), lab, args.commands)
    finally:
        lab.down()

    print(f"{'figure':42} {'value':>12}")
    print(f"{'image build, cold' + ('' if args.cold else ' (from manifest)'):42} {cold:>10.1f} s")
    print(f"{'image build, cached':42} {cached:>10.2f} s")
    print(f"{'drbd lab up (2 nodes, image cached)':42} {up:>10.1f} s")
    print()
    print(f"per-command overhead over {args.commands} `true` commands (ms)")
    print(f"{'':24} {'median':>8} {'p90':>8} {'min':>8} {'max':>8}")
    for name, xs in (("persistent connection", persistent), ("fresh ssh per command", fresh)):
        p90 = statistics.quantiles(xs, n=10)[-1]
        print(f"{name:24} {statistics.median(xs):8.1f} {p90:8.1f} {min(xs):8.1f} {max(xs):8.1f}")


if __name__ == "__main__":
    main()
