"""What the failover benchmarks share: a lab of their own with a Node per node, the canary under faults,
and the table of medians."""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from contextlib import contextmanager

from harness.clusters.drbd import DrbdPair
from harness.clusters.heartbeat import HeartbeatCluster
from harness.lab.faults import Faults
from harness.lab.providers.uml import UmlLab
from harness.node import Node
from harness.workloads.canary import Canary


@contextmanager
def lab_nodes(topology: str, name: str) -> Iterator[tuple[UmlLab, dict[str, Node]]]:
    """A lab brought up for the benchmark, with its nodes; connections closed and the lab down at the end."""
    lab = UmlLab(topology, name)
    lab.up()
    nodes = {a.name: Node(a) for a in lab.nodes()}
    try:
        yield lab, nodes
    finally:
        for node in nodes.values():
            node.close()
        lab.down()


def heartbeat_cluster(lab: UmlLab, nodes: dict[str, Node]) -> HeartbeatCluster:
    """The book's Heartbeat cluster on the lab's DRBD pair, with the lab's secrets."""
    secrets = lab.secrets()
    pair = DrbdPair(lab, nodes, secrets["drbd_shared_secret"])
    return HeartbeatCluster(pair, lab.vip(), secrets["mariadb_canary_password"])


@contextmanager
def canary_and_faults(lab: UmlLab, nodes: dict[str, Node], vip: str, password: str,
                      table: str) -> Iterator[tuple[Canary, Faults]]:
    """The canary writing through the VIP (20 rows through first) and the faults of one run; at the end
    the canary is stopped and every fault undone."""
    canary = Canary(lab, vip, password, table)
    canary.start()
    faults = Faults(lab, nodes)
    try:
        canary.wait_for(20, timeout=30)
        yield canary, faults
    finally:
        canary.stop()
        faults.undo()


def outage_after(canary: Canary, at: float) -> float:
    """Once 10 more rows have gone through: the canary's outage from `at` (nan if it never ended)."""
    canary.wait_for(len(canary.log.acked) + 10, timeout=60)
    outage = canary.stop().outage_s(at)
    return outage if outage is not None else float("nan")


def print_medians(results: dict[str, list[dict[str, float]]], keys: tuple[str, ...], width: int = 16) -> None:
    """One column per configuration, one row per figure: the median over the runs ('-' if never seen)."""
    print(f"{'':<20}" + "".join(f"{name:>{width}}" for name in results))
    for key in keys:
        cells = []
        for runs in results.values():
            values = [r[key] for r in runs if key in r]
            cells.append(f"{statistics.median(values):>{width}.1f}" if values else f"{'-':>{width}}")
        print(f"{key:<20}" + "".join(cells))
