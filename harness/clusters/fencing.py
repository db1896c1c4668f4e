"""Fencing for the book's 7.3 cluster: a fence device per member (fence_ipmilan to the member's BMC) and
stonith on; what the fence devices did since a mark: the BMCs' own logs where the lab reads them, else
the cluster's fencing history (a site's BMCs are not hadrill's to read)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from harness.clusters.base import Cluster
from harness.lab.providers.base import Unsupported
from harness.node import on_each
from harness.ops import pacemaker as pm
from harness.probes.clock import harness_time
from harness.probes.crm_mon import ClusterStatus, FenceEvent

BMC_LOG = "BMC log"
HISTORY = "the cluster's fencing history"


@dataclass(frozen=True)
class FenceMark:
    """Where each member's fencing record stood: its BMC log's size, or the history's events of it."""

    source: str                                  # BMC_LOG or HISTORY
    sizes: dict[str, int]                        # BMC_LOG: each log's length
    seen: frozenset[FenceEvent] = frozenset()    # HISTORY: the events already there


def took_down(mark: FenceMark, record: list[str]) -> bool:
    """Whether a member's record since the mark shows its power taken: its BMC powered it off (or reset
    it), or the cluster's history has a reboot or an off of it that succeeded."""
    if mark.source == BMC_LOG:
        return any(w in line for line in record for w in ("chassis power off", "chassis power reset"))
    return any(line.startswith(("reboot of", "off of")) and ": success" in line for line in record)


def taken_down_at(status: ClusterStatus, offset_s: float, now: tuple[float, float]) -> dict[str, list[float]]:
    """When the cluster's fencing history says each node was taken down (an off or a reboot that succeeded),
    on this machine's monotonic clock: `completed` is UTC to the second on the clock of the node read
    (offset_s ahead of this machine's), `now` this machine's monotonic and wall clocks read together."""
    down: dict[str, list[float]] = {}
    for event in status.fencing:
        if event.action in ("off", "reboot") and event.status == "success" and event.completed:
            at = datetime.strptime(event.completed.rstrip("Z"), "%Y-%m-%d %H:%M:%S")
            down.setdefault(event.target, []).append(harness_time(at, offset_s, now))
    return down


def _described(event: FenceEvent) -> str:
    return (f"{event.action} of {event.target} by {event.by or '?'}: {event.status}"
            f"{f' at {event.completed}' if event.completed else ''}")


class Fencing:
    """The fence devices of a cluster's members."""

    def __init__(self, cluster: Cluster, members: list[pm.Member], password: str,
                 status: Callable[[], ClusterStatus]):
        self.cluster = cluster
        self.members = members
        self.password = password
        self.status = status

    def device_names(self) -> set[str]:
        return {pm.fence_device_name(m.name) for m in self.members}

    def configure(self, via: str, missing: set[str] | None = None) -> None:
        """A fence device per member (all, or those missing), and stonith enabled; made from `via`. Then
        every member's file systems are flushed: the last step of making a cluster, so what pcs (through
        pcsd, without fsync) and the harness wrote there survives a power cut in the next scenario."""
        first = self.cluster.node(via)
        nodes = [self.cluster.node(m.name) for m in self.members]
        for node in nodes:     # any member may fence another: each reads the BMCs' password
            pm.write_bmc_password(node, self.password)
        for member in self.members:
            if missing is None or pm.fence_device_name(member.name) in missing:
                pm.create_fence_device(first, member)
        pm.set_property(first, "stonith-enabled", "true")
        on_each(nodes, pm.flush)

    def bmc_log(self, name: str) -> str:
        """What the member's fence device (its BMC) has logged so far."""
        return self.cluster.lab.bmc_log(name)

    def kernel_pid(self, name: str) -> int | None:
        """The PID of the process that is the member's kernel (a frozen one keeps its PID), if it runs."""
        return self.cluster.lab.node_pid(name)

    def mark(self) -> FenceMark:
        """Where every member's fencing record stands now (before a fault)."""
        names = [m.name for m in self.members]
        try:
            return FenceMark(BMC_LOG, {n: len(self.bmc_log(n)) for n in names})
        except Unsupported:
            return FenceMark(HISTORY, {}, frozenset(self.status().fencing))

    def since(self, mark: FenceMark) -> dict[str, list[str]]:
        """What each member's fence device did since the mark, one line an action (none: nothing)."""
        names = [m.name for m in self.members]
        if mark.source == BMC_LOG:
            return {n: self.bmc_log(n)[mark.sizes[n]:].splitlines() for n in names}
        new = [e for e in self.status().fencing if e not in mark.seen]
        return {n: [_described(e) for e in new if e.target == n] for n in names}
