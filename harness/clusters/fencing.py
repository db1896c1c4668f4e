"""Fencing for the book's 7.3 cluster: a fence device per member (fence_ipmilan to the member's BMC) and
stonith on; what the BMCs themselves did, read from the lab."""

from __future__ import annotations

from harness.clusters.base import Cluster
from harness.ops import pacemaker as pm


class Fencing:
    """The fence devices of a cluster's members."""

    def __init__(self, cluster: Cluster, members: list[pm.Member], password: str):
        self.cluster = cluster
        self.members = members
        self.password = password

    def device_names(self) -> set[str]:
        return {pm.fence_device_name(m.name) for m in self.members}

    def configure(self, via: str, missing: set[str] | None = None) -> None:
        """A fence device per member (all, or those missing), and stonith enabled; made from `via`."""
        first = self.cluster.node(via)
        for member in self.members:     # any member may fence another: each reads the BMCs' password
            pm.write_bmc_password(self.cluster.node(member.name), self.password)
        for member in self.members:
            if missing is None or pm.fence_device_name(member.name) in missing:
                pm.create_fence_device(first, member)
        pm.set_property(first, "stonith-enabled", "true")

    def bmc_log(self, name: str) -> str:
        """What the member's fence device (its BMC) has logged so far."""
        return self.cluster.lab.bmc_log(name)

    def kernel_pid(self, name: str) -> int | None:
        """The PID of the process that is the member's kernel (a frozen one keeps its PID), if it runs."""
        return self.cluster.lab.node_pid(name)
