"""Benchmark of known states kept as snapshots: Heartbeat serving MariaDB through the VIP on vm01, reached
again after vm01's power was cut (vm02 took the group; vm01 powered on again, as a scenario's end leaves
it), by the Background's look-first repair (Heartbeat stopped, DRBD resynced, the book's steps where they
do not hold, Heartbeat started) against putting back the kept installed state (every node rebooted on its
kept disks, then the same start), side by side; and the restore of the state alone.

Run: .venv/bin/python bench/bench_known_states.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import replace

from benchlib import heartbeat_cluster, lab_nodes

from harness.clusters.heartbeat import HeartbeatCluster
from harness.lab.providers.uml import UmlLab

WAYS = ("look-first repair", "restore kept state")


def seconds(fn: Callable[[], object]) -> float:
    start = time.monotonic()
    fn()
    return time.monotonic() - start


def power_cut_on_vm01(lab: UmlLab, ha: HeartbeatCluster) -> None:
    """vm01 loses power, vm02 takes the group, vm01 is powered on again (nothing started on it)."""
    lab.power_off("vm01")
    ha.node("vm01").close()
    ha.await_group("vm02")
    lab.power_on("vm01")


def back_to_running(lab: UmlLab, ha: HeartbeatCluster, way: str) -> float:
    """The seconds the Background takes to serve from vm01 again, the lab keeping states or not."""
    kept = lab.capabilities
    lab.capabilities = replace(kept, snapshot=way == WAYS[1])
    try:
        return seconds(ha.ensure_running)
    finally:
        lab.capabilities = kept


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=2)
    args = ap.parse_args()
    with lab_nodes("drbd", "benchstates") as (lab, nodes):
        ha = heartbeat_cluster(lab, nodes)
        first = seconds(ha.ensure_running)   # the book's steps, then the installed state kept
        times: dict[str, list[float]] = {way: [] for way in WAYS}
        for _ in range(args.runs):
            for way in WAYS:
                power_cut_on_vm01(lab, ha)
                times[way].append(back_to_running(lab, ha, way))
        restore = [seconds(lambda: lab.restore_state(ha.installed_state)) for _ in range(args.runs)]
    print(f"{'figure (median of ' + str(args.runs) + ')':<52}" + "".join(f"{w:>22}" for w in WAYS))
    print(f"{'serving again after a power cut on vm01 (s)':<52}"
          + "".join(f"{statistics.median(times[w]):>22.1f}" for w in WAYS))
    print(f"{'the installed state put back, nodes booted (s)':<52}{'':>22}"
          f"{statistics.median(restore):>22.1f}")
    print(f"{'first build by the book, state kept, serving (s)':<52}{first:>22.1f}")


if __name__ == "__main__":
    main()
