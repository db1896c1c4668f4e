"""Benchmark of a Background that looks first: the Heartbeat chapter's known state "Heartbeat configured
on both nodes but stopped" made again on nodes that already hold it, with the boot-time state of
Heartbeat and MariaDB read first (`systemctl is-enabled`, what the harness does) against disabling both
unconditionally (`systemctl disable`, a daemon reload each, what it did before), side by side.

Run: .venv/bin/python bench/bench_look_first.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import time

from benchlib import heartbeat_cluster, lab_nodes

from harness.node import Node

UNITS = ("heartbeat", "mariadb")


def seconds(fn: object) -> float:
    start = time.monotonic()
    fn()  # type: ignore[operator]
    return time.monotonic() - start


def unconditional(nodes: dict[str, Node]) -> None:
    """What a Background did before: both units disabled on every node, whatever their state."""
    for node in nodes.values():
        for unit in UNITS:
            node.run(f"systemctl disable --quiet {unit}")


def looked_at(nodes: dict[str, Node]) -> None:
    """What it does now when nothing differs: one read per unit and node, no change."""
    for node in nodes.values():
        for unit in UNITS:
            node.run(f"systemctl is-enabled {unit}", warn=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with lab_nodes("drbd", "benchlook") as (lab, nodes):
        ha = heartbeat_cluster(lab, nodes)
        first = seconds(ha.ensure_installed)
        again = [seconds(ha.ensure_installed) for _ in range(args.runs)]
        old = [seconds(lambda: unconditional(nodes)) for _ in range(args.runs)]
        new = [seconds(lambda: looked_at(nodes)) for _ in range(args.runs)]
    print(f"{'figure (2 nodes, median of ' + str(args.runs) + ')':<46}{'disable each time':>20}"
          f"{'look first':>14}{'ratio':>8}")
    o, n = statistics.median(old), statistics.median(new)
    print(f"{'boot-time state of heartbeat + mariadb (s)':<46}{o:>20.2f}{n:>14.2f}{o / n:>8.1f}")
    print(f"{'ensure_installed on a fresh pair (s)':<46}{first:>20.1f}")
    print(f"{'ensure_installed again, nothing differs (s)':<46}{'':>20}{statistics.median(again):>14.1f}")


if __name__ == "__main__":
    main()
