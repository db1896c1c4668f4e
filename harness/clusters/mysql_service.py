"""The book's MySQL service on the 7.3 cluster: a group of Filesystem (ext4 on the first shared LUN, at
/data), the VIP and MariaDB, with a failover domain (location scores) that prefers the first member."""

from __future__ import annotations

from harness.clusters.members import TAKEOVER_TIMEOUT_S, Members
from harness.clusters.storage import SharedStorage
from harness.lab.providers.base import Provider
from harness.node import Node
from harness.ops import fs, mariadb
from harness.ops import pacemaker as pm
from harness.probes import holdings
from harness.probes import mariadb as mariadb_probe
from harness.probes.holdings import Holdings
from harness.probes.logs import Cursor
from harness.waiting import eventually


class MysqlService:
    """The service `name` of a pacemaker cluster, serving MariaDB through the VIP from /data."""

    shared_storage = True     # /data is on a LUN every member sees
    minor = 0                 # no DRBD under it

    def __init__(self, cluster: Members, storage: SharedStorage, name: str, mountpoint: str, vip: str,
                 canary_password: str):
        self.cluster = cluster
        self.storage = storage
        self.name = name
        self.mountpoint = mountpoint
        self.datadir = f"{mountpoint}/mysql"
        self.vip = vip
        self.canary_password = canary_password
        self.site = cluster.lab.site()

    # -- what the shared steps and the workloads ask of a service (clusters.base.ServiceCluster) ----
    @property
    def lab(self) -> Provider:
        return self.cluster.lab

    @property
    def names(self) -> list[str]:
        return self.cluster.names

    def node(self, name: str) -> Node:
        return self.cluster.node(name)

    def log_cursors(self) -> dict[str, Cursor]:
        return self.cluster.log_cursors()

    def holdings(self, name: str) -> Holdings:
        return holdings.read(self.node(name), self.vip, self.mountpoint, self.minor)

    def serves(self, name: str) -> bool:
        return mariadb_probe.answers(self.node(name))

    def holds(self, name: str) -> bool:
        """The member holds the whole group: pacemaker running, /data mounted, the VIP up, mysqld."""
        h = self.holdings(name)
        return h.pacemaker and h.mounted and h.vip and h.mysqld

    # -- the service's definition and known state ------------------------------------------
    def definition(self) -> pm.Service:
        disk = self.storage.lun(self.cluster.preferred, 1)
        domain = tuple((n, 100 - 50 * i) for i, n in enumerate(self.names))
        return pm.Service(self.name, disk.by_id, self.mountpoint, "ext4", self.vip, self.site.prefix, domain,
                          self.site.interface)

    def ensure(self) -> None:
        """The cluster as ensure_cluster() leaves it, and the service running on the preferred member."""
        self.cluster.ensure_cluster()
        preferred = self.cluster.preferred
        if not set(pm.SERVICE_RESOURCES) <= set(self.cluster.status().resources):
            self.prepare_data()
            pm.create_service(self.node(preferred), self.definition())
        if any(r.failed for r in self.cluster.status().resources.values()):
            pm.cleanup(self.node(preferred))
        if self.cluster.status().group_on(self.name) != preferred:
            self.await_somewhere()
            if self.cluster.status().group_on(self.name) != preferred:
                self.place_on(preferred)
        self.await_on(preferred)
        self.ensure_canary_user()

    def place_on(self, name: str) -> None:
        """The service moved to the member and its move constraint cleared once it runs there (the
        book's relocation, pcs resource move, is the scenario's own step)."""
        pm.place(self.node(name), self.name, name)
        try:
            self.await_on(name)
        finally:
            pm.unplace(self.node(name), self.name)

    def ensure_canary_user(self) -> None:
        """The canary's database and user, made (or given this run's password) where the service runs."""
        holder = self.cluster.status().group_on(self.name)
        if holder is None:
            raise AssertionError(f"{self.name} runs nowhere: nowhere to make the canary's user")
        mariadb.create_canary_user(self.node(holder), self.canary_password)

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

    def await_on(self, name: str, timeout: float = TAKEOVER_TIMEOUT_S) -> None:
        """The service's group started on the member, and mysqld there answering."""
        eventually(lambda: self.cluster.status(via=name).group_on(self.name) == name
                   and self.holds(name) and self.serves(name), bool, timeout=timeout, interval=1.0,
                   describe=f"{self.name} ({self.mountpoint}, {self.vip}, mysqld) running on {name}")

    def await_somewhere(self, timeout: float = TAKEOVER_TIMEOUT_S) -> str:
        def placed() -> str | None:
            return self.cluster.status().group_on(self.name)
        return str(eventually(placed, lambda v: v is not None, timeout=timeout, interval=2.0,
                              describe=f"{self.name} started on some node"))
