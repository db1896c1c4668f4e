"""The book's MySQL service on the 7.3 cluster: a group of Filesystem (ext4 on the first shared LUN, at
/data), the VIP and MariaDB, with a failover domain (location scores) that prefers the first member."""

from __future__ import annotations

from harness.clusters.members import Members
from harness.clusters.service_group import ServiceGroup
from harness.clusters.storage import SharedStorage
from harness.ops import fs, mariadb
from harness.ops import pacemaker as pm


class MysqlService(ServiceGroup):
    """The service `name` of a pacemaker cluster, serving MariaDB through the VIP from /data."""

    def __init__(self, cluster: Members, storage: SharedStorage, name: str, mountpoint: str, vip: str,
                 canary_password: str):
        super().__init__(cluster, name, mountpoint, vip, canary_password)
        self.storage = storage

    # -- the service's definition and known state ------------------------------------------
    def definition(self) -> pm.Service:
        disk = self.storage.lun(self.cluster.preferred, 1)
        domain = tuple((n, 100 - 50 * i) for i, n in enumerate(self.names))
        return pm.Service(self.name, disk.by_id, self.mountpoint, "ext4", self.vip, self.site.prefix, domain,
                          self.site.interface)

    def made(self) -> bool:
        return set(pm.SERVICE_RESOURCES) <= set(self.cluster.status().resources)

    def make(self) -> None:
        self.prepare_data()
        pm.create_service(self.node(self.cluster.preferred), self.definition())

    def prepare_data(self) -> None:
        """ext4 on the shared LUN and MariaDB's system tables in it, made once from the preferred member;
        MariaDB's settings on every member."""
        svc = self.definition()
        first = self.node(self.cluster.preferred)
        for name in self.names:
            mariadb.configure(self.node(name), self.datadir)
            fs.make_dir(self.node(name), self.mountpoint)
        fs.mkfs_ext4(first, svc.device)
        fs.mount(first, svc.device, self.mountpoint)
        try:
            mariadb.install_db(first, self.datadir)
        finally:
            fs.umount(first, self.mountpoint)
