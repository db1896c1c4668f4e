"""Shared storage for the book's 7.3 cluster: the storage node's disks exported over iSCSI (tgt), each
member logged in with its own initiator name, the LUNs seen alike on every member."""

from __future__ import annotations

from harness.clusters.base import Cluster
from harness.node import Node
from harness.ops import iscsi
from harness.probes import iscsi as iscsi_probe
from harness.probes import scsi


class SharedStorage:
    """The storage node `node_name` of a cluster, and its target for the cluster `name`."""

    def __init__(self, cluster: Cluster, node_name: str, name: str):
        self.cluster = cluster
        self.node_name = node_name
        self.name = name

    @property
    def node(self) -> Node:
        return self.cluster.node(self.node_name)

    @property
    def iqn(self) -> str:
        return f"iqn.2026-11.io.hadrill:{self.name}.shared"

    def target(self) -> iscsi.Export:
        """The storage node's target: its disks as LUN 1, 2, ...; the members' initiator names allowed."""
        access = self.cluster.lab.node(self.node_name)
        members = tuple(iscsi_probe.initiator_name(self.cluster.node(n)) for n in self.cluster.names)
        return iscsi.Export(self.iqn, access.cluster_address, tuple(sorted(access.disks.values())), members)

    def login(self, node: Node) -> None:
        """One member logged in (again) to the target, whether or not its peers answer."""
        iscsi.login(node, self.iqn, self.cluster.lab.node(self.node_name).cluster_address)

    def ensure(self) -> iscsi.Export:
        """The target exported and every member logged in to it."""
        target = self.target()
        iscsi.export(self.node, target)
        iscsi.login_all([self.cluster.node(n) for n in self.cluster.names], target)
        return target

    def lun(self, name: str, number: int) -> scsi.ScsiDisk:
        """The shared LUN `number` as the member `name` sees it."""
        for disk in scsi.iscsi_disks(self.cluster.node(name)):
            if disk.lun == number:
                return disk
        raise AssertionError(f"{name} sees no iSCSI LUN {number}")
