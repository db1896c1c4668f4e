"""Shared storage for the book's 7.3 cluster: the storage node's disks exported over iSCSI (LIO), or the
site's existing target (site.storage), each member logged in with its own initiator name, the LUNs seen
alike on every member; or the site's shared LUNs named by WWN, which the members already see."""

from __future__ import annotations

from harness.clusters.base import Cluster
from harness.lab.site import LUN_ROLES
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
        """The site's own storage (a target hadrill only logs in to, LUNs named by WWN): nothing exported."""
        return self.site.existing_storage

    @property
    def has_target(self) -> bool:
        """An iSCSI target to log in to: hadrill's export or the site's own (not LUNs by WWN alone)."""
        return self.site.existing_target or not self.site.storage_luns

    @property
    def node(self) -> Node:
        if self.existing:
            raise AssertionError(f"the site's shared storage is its own ({self.said()}): there is no "
                                 "storage node to run commands on")
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

    def said(self) -> str:
        """The site's storage in words."""
        target = f"the target {self.iqn} at {self.portal}" if self.site.existing_target else ""
        luns = f"the LUNs {', '.join(self.site.storage_luns)}" if self.site.storage_luns else ""
        return " with ".join(filter(None, (target, luns))) or f"{self.node_name}'s export"

    def login(self, node: Node) -> None:
        """One member logged in (again) to the target, whether or not its peers answer (LUNs named by WWN
        alone: the member sees them as it boots)."""
        if self.has_target:
            iscsi.login(node, self.iqn, self.portal)

    def ensure(self) -> None:
        """The target exported (unless it is the site's own) and every member logged in to it; LUNs named
        by WWN seen by every member."""
        if self.has_target:
            target = self.target()
            if not self.existing:
                iscsi.export(self.node, target)
            iscsi.login_all([self.cluster.node(n) for n in self.cluster.names], target)
        for name in self.cluster.names:
            seen = self.disks(name) if self.site.storage_luns else []
            for number in range(1, len(self.site.storage_luns) + 1):
                self._pick(name, number, seen)

    def disks(self, name: str) -> list[scsi.ScsiDisk]:
        """The shared disks the member sees: the site's LUNs named by WWN, else its iSCSI disks."""
        if self.site.storage_luns:
            return [d for d in scsi.wwn_disks(self.cluster.node(name)) if d.wwn in self.site.storage_luns]
        return scsi.iscsi_disks(self.cluster.node(name))

    def offered(self) -> list[str]:
        """The targets the portal offers the first member (a discovery)."""
        return iscsi_probe.discovered(iscsi.discover(self.cluster.node(self.cluster.names[0]), self.portal))

    def lun(self, name: str, number: int) -> scsi.ScsiDisk:
        """The shared LUN `number` (1: the service's filesystem, 2: GFS2's) as the member `name` sees it:
        by the WWN the site names for it, else by its LUN number on the target."""
        return self._pick(name, number, self.disks(name))

    def _pick(self, name: str, number: int, seen: list[scsi.ScsiDisk]) -> scsi.ScsiDisk:
        """The shared LUN `number` among the disks the member `name` sees."""
        luns = self.site.storage_luns
        if luns and number > len(luns):
            raise AssertionError(f"site.storage.luns names {len(luns)} LUN(s): none for LUN {number} "
                                 f"({LUN_ROLES[number - 1] if number <= len(LUN_ROLES) else '?'})")
        for disk in seen:
            if (disk.wwn == luns[number - 1]) if luns else (disk.lun == number):
                return disk
        wanted = f"LUN {luns[number - 1]} (site.storage.luns)" if luns else f"iSCSI LUN {number}"
        raise AssertionError(f"{name} sees no {wanted}")
