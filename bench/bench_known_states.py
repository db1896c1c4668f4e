"""Benchmark of known states kept as snapshots, each reached again after vm01's power was cut (and vm01
powered on again, as a scenario's end leaves it) by a Background's look-first repair against putting
back the kept state (every node rebooted on its kept disks), side by side:
- the DRBD protocol scenarios' "replicating, vm01 Primary, a fresh ext3 mounted on /data", after vm02
  was made Primary and mounted /data (repair: resync or rebuild, then mkfs.ext3);
- Heartbeat serving MariaDB through the VIP on vm01, after vm02 took the group (repair: Heartbeat
  stopped, DRBD resynced, the book's steps where they do not hold; both ways then start Heartbeat);
and the restore of a state alone.

Run: .venv/bin/python bench/bench_known_states.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import replace

from benchlib import heartbeat_cluster, lab_nodes

from harness.clusters import known_states
from harness.clusters.drbd import DrbdPair
from harness.clusters.heartbeat import HeartbeatCluster
from harness.lab.providers.uml import UmlLab
from harness.node import Node
from harness.ops import drbd as drbd_ops

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


def power_cut_on_drbd_primary(lab: UmlLab, pair: DrbdPair) -> None:
    """vm01 (Primary) loses power, vm02 is made Primary and mounts /data, vm01 is powered on again."""
    lab.power_off("vm01")
    pair.node("vm01").close()
    pair.await_state("vm02", "cs:WFConnection")
    drbd_ops.promote(pair.node("vm02"), pair.res)
    drbd_ops.mount(pair.node("vm02"), pair.res.device, pair.mountpoint)
    lab.power_on("vm01")


def fresh_fs(pair: DrbdPair) -> None:
    pair.ensure_replicating("vm01", formatted=True, mounted=True, fresh_fs=True)


def timed_way(lab: UmlLab, way: str, background: Callable[[], object]) -> float:
    """The seconds a Background takes, the lab keeping states (restore) or not (look-first repair)."""
    kept = lab.capabilities
    lab.capabilities = replace(kept, snapshot=way == WAYS[1])
    try:
        return seconds(background)
    finally:
        lab.capabilities = kept


def compare(lab: UmlLab, runs: int, fault: Callable[[], None],
            background: Callable[[], object]) -> dict[str, float]:
    """The median seconds of each way back to the state after the fault."""
    times: dict[str, list[float]] = {way: [] for way in WAYS}
    for _ in range(runs):
        for way in WAYS:
            fault()
            times[way].append(timed_way(lab, way, background))
    return {way: statistics.median(t) for way, t in times.items()}


def restore_alone(lab: UmlLab, nodes: list[Node], state: str, runs: int) -> float:
    return statistics.median(seconds(lambda: known_states.restore(lab, nodes, state)) for _ in range(runs))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=2)
    args = ap.parse_args()
    rows: dict[str, tuple[float, dict[str, float], float]] = {}   # first build, both ways, restore alone
    with lab_nodes("drbd", "benchstates") as (lab, nodes):
        ha = heartbeat_cluster(lab, nodes)
        pair, everyone = ha.pair, list(nodes.values())
        first = seconds(lambda: fresh_fs(pair))   # the book's steps, then the state kept
        rows["DRBD: fresh ext3 on vm01"] = (
            first, compare(lab, args.runs, lambda: power_cut_on_drbd_primary(lab, pair),
                           lambda: fresh_fs(pair)),
            restore_alone(lab, everyone, pair.fresh_fs_state, args.runs))
        first = seconds(ha.ensure_running)
        rows["Heartbeat: serving on vm01"] = (
            first, compare(lab, args.runs, lambda: power_cut_on_vm01(lab, ha), ha.ensure_running),
            restore_alone(lab, everyone, ha.installed_state, args.runs))
    print(f"{'seconds, median of ' + str(args.runs):<50}" + "".join(f"{w:>20}" for w in WAYS))
    for name, (first, ways, alone) in rows.items():
        print(f"{name + ', after a power cut':<50}" + "".join(f"{ways[w]:>20.1f}" for w in WAYS))
        print(f"{'  the kept state alone put back, nodes booted':<50}{'':>20}{alone:>20.1f}")
        print(f"{'  first build by the book, then kept':<50}{first:>20.1f}")

if __name__ == "__main__":
    main()
