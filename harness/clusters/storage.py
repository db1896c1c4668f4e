"""Shared storage for the book's 7.3 cluster: the storage node's disks exported over iSCSI (tgt), or the
site's existing target (site.storage), each member logged in with its own initiator name, the LUNs seen
alike on every member."""

from __future__ import annotations

from harness.clusters.base import Cluster
from harness.node import Node
from harness.ops import iscsi
from harness.probes import iscsi as iscsi_probe
from harness.probes import scsi


class SharedStorage:
    """The storage node `node_name` of a cluster and its target for the cluster `name`, or the site's
    existing target (no storage node then: hadrill exports nothing, it logs the members in)."""

    def __init__(self, cluster: Cluster, node_name: str, name: str):
        self.cluster = cluster
        self.node_name = node_name
        self.name = name
        self.site = cluster.lab.site()

    @property
    def existing(self) -> bool:
        """The site's own target, which hadrill only logs in to."""
        return self.site.existing_target

    @property
    def node(self) -> Node:
        if self.existing:
            raise AssertionError(f"the site's storage is its existing target {self.iqn} at {self.portal}: "
                                 "there is no storage node to run commands on")
        return self.cluster.node(self.node_name)

    @property
    def iqn(self) -> str:
        return self.site.storage_iqn or f"iqn.2026-11.io.hadrill:{self.name}.shared"

    @property
    def portal(self) -> str:
        return self.site.storage_portal or self.cluster.lab.node(self.node_name).cluster_address

    def target(self) -> iscsi.Export:
        """The target: the storage node's disks as LUN 1, 2, ... (none known of an existing target's), the
        members' initiator names allowed."""
        members = tuple(iscsi_probe.initiator_name(self.cluster.node(n)) for n in self.cluster.names)
        disks = () if self.existing else tuple(sorted(self.cluster.lab.node(self.node_name).disks.values()))
        return iscsi.Export(self.iqn, self.portal, disks, members)

    def login(self, node: Node) -> None:
        """One member logged in (again) to the target, whether or not its peers answer."""
        iscsi.login(node, self.iqn, self.portal)

    def ensure(self) -> iscsi.Export:
        """The target exported (unless it is the site's own) and every member logged in to it."""
        target = self.target()
        if not self.existing:
            iscsi.export(self.node, target)
        iscsi.login_all([self.cluster.node(n) for n in self.cluster.names], target)
        return target

    def offered(self) -> list[str]:
        """The targets the portal offers the first member (a discovery)."""
        return iscsi_probe.discovered(iscsi.discover(self.cluster.node(self.cluster.names[0]), self.portal))

    def lun(self, name: str, number: int) -> scsi.ScsiDisk:
        """The shared LUN `number` as the member `name` sees it."""
        for disk in scsi.iscsi_disks(self.cluster.node(name)):
            if disk.lun == number:
                return disk
        raise AssertionError(f"{name} sees no iSCSI LUN {number}")
