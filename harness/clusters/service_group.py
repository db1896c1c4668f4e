"""What a pacemaker group serving MariaDB through the VIP offers the shared steps and the workloads
(clusters.base.ServiceCluster), whatever its data is on: book 7.3's on a shared LUN (mysql_service.py), book
7.2's on the DRBD pair (drbd_pacemaker.py)."""

from __future__ import annotations

import time

from harness.clusters.fencing import taken_down_at
from harness.clusters.members import TAKEOVER_TIMEOUT_S, Members
from harness.lab.providers.base import Provider
from harness.node import Node
from harness.ops import mariadb
from harness.ops import pacemaker as pm
from harness.probes import holdings
from harness.probes import mariadb as mariadb_probe
from harness.probes.clock import clock_offset_s
from harness.probes.holdings import Holdings
from harness.probes.logs import Cursor
from harness.waiting import eventually


class ServiceGroup:
    """The group `name` of a pacemaker cluster, MariaDB's datadir under `mountpoint`."""

    shared_storage = True     # the mountpoint is on a LUN every member sees, unless a subclass says not
    minor = 0                 # the DRBD minor under it (none here)

    def __init__(self, cluster: Members, name: str, mountpoint: str, vip: str, canary_password: str):
        self.cluster = cluster
        self.name = name
        self.mountpoint = mountpoint
        self.datadir = f"{mountpoint}/mysql"
        self.vip = vip
        self.canary_password = canary_password
        self.site = cluster.lab.site()

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

    def taken_down_since(self, since: float) -> dict[str, list[float]]:
        """When the cluster fenced each member at or after `since` (this machine's monotonic clock), from
        its fencing history as a running member reads it (fencing.taken_down_at)."""
        status = self.cluster.status()
        reader = next(iter(status.online(self.names)), None)
        if reader is None:
            raise AssertionError("crm_mon names no member online: no clock to place its fencing history on")
        down = taken_down_at(status, clock_offset_s(self.node(reader)), (time.monotonic(), time.time()))
        return {name: [at for at in times if at >= since] for name, times in down.items()}

    def holdings(self, name: str) -> Holdings:
        return holdings.read(self.node(name), self.vip, self.mountpoint, self.minor)

    def serves(self, name: str) -> bool:
        return mariadb_probe.answers(self.node(name))

    def holds(self, name: str) -> bool:
        """The member holds the whole group (holds_all), as read now."""
        return self.holds_all(self.holdings(name))

    def holds_all(self, h: Holdings) -> bool:
        """Pacemaker running, the mountpoint mounted, the VIP up, mysqld."""
        return h.pacemaker and h.mounted and h.vip and h.mysqld

    # -- the known state ---------------------------------------------------------------------------
    def made(self) -> bool:
        """Whether the cluster has the service's resources."""
        raise NotImplementedError

    def make(self) -> None:
        """The service's data prepared and its resources created (once)."""
        raise NotImplementedError

    def ensure(self) -> None:
        """The cluster as ensure_cluster() leaves it, the service made and running on the preferred
        member, the canary's user there."""
        self.cluster.ensure_cluster()
        preferred = self.cluster.preferred
        if not self.made():
            self.make()
        self.before_placing()
        if any(r.failed for r in self.cluster.status().resources.values()):
            pm.cleanup(self.node(preferred))
        if self.cluster.status().group_on(self.name) != preferred:
            self.await_somewhere()
            if self.cluster.status().group_on(self.name) != preferred:
                self.place_on(preferred)
        self.await_on(preferred)
        self.ensure_canary_user()

    def before_placing(self) -> None:
        """What the service's group needs before it is placed on the preferred member (nothing here)."""

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
