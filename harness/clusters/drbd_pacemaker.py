"""Book 7.2 on today's stack: the book's DRBD pair run by pacemaker (clusters/pacemaker.PacemakerStack) with a
fence device per node and DRBD's resource-level fencing; the book's group (/data, the VIP, MariaDB) follows
the Promoted role. Each ensure_* looks first and changes only what differs."""

from __future__ import annotations

from dataclasses import replace

from harness.clusters.drbd import DrbdPair
from harness.clusters.pacemaker import PacemakerStack
from harness.clusters.service_group import ServiceGroup
from harness.ops import drbd as drbd_ops
from harness.ops import fs, mariadb
from harness.ops import pacemaker as pm
from harness.ops import pacemaker_drbd as pd
from harness.probes import drbd as proc
from harness.probes import mariadb as mariadb_probe
from harness.probes import pcmk_config
from harness.probes.crm_mon import ClusterStatus
from harness.probes.holdings import Holdings
from harness.report.recoveries import recovered


def outlived(found: list[pcmk_config.PromotedOnlyOn],
             states: dict[str, proc.Resource]) -> list[pcmk_config.PromotedOnlyOn]:
    """The fence-peer handler's constraints on the DRBD clone that outlived their cause: every node
    Connected with both disks UpToDate (no peer is cut off, nor behind). None while one is not."""
    whole = bool(states) and all(s.in_sync for s in states.values())
    return [c for c in found if whole and c.resource == pd.DRBD_CLONE
            and c.id.startswith(pd.FENCE_CONSTRAINT_PREFIX)]


class DrbdPacemakerCluster(PacemakerStack):
    """Pacemaker on the DRBD pair's two nodes; `mysql` is the service the steps watch."""

    def __init__(self, pair: DrbdPair, secrets: dict[str, str], name: str = "drbdpcmk",
                 service: str = "mysql_service"):
        super().__init__(pair.lab, pair.all_nodes, secrets, name)
        pair.res = replace(pair.res, fencing=True)
        self.pair = pair
        self.mysql = DrbdService(self, service, secrets["mariadb_canary_password"])


class DrbdService(ServiceGroup):
    """The group `name` (Filesystem on the DRBD device, IPaddr2, MariaDB) on the node where the DRBD
    clone is Promoted."""

    shared_storage = False    # /data is on the DRBD pair

    def __init__(self, cluster: DrbdPacemakerCluster, name: str, canary_password: str):
        super().__init__(cluster, name, cluster.pair.mountpoint, cluster.lab.vip(), canary_password)
        self.pair = cluster.pair
        self.minor = self.pair.res.minor

    def holds_all(self, h: Holdings) -> bool:
        """The whole group, DRBD Primary under it."""
        return super().holds_all(h) and h.role == "Primary"

    def promoted(self, st: ClusterStatus | None = None) -> tuple[str, ...]:
        """Where the cluster has DRBD Promoted (by st, else by a fresh crm_mon)."""
        res = (st or self.cluster.status()).resources.get(pd.DRBD_PRIMITIVE)
        return res.promoted if res else ()

    # -- the service's definition and known state ------------------------------------------
    def before_placing(self) -> None:
        """A fence-peer constraint that outlived its cause lifted (a run stopped between the handler's
        constraint and the resync that lifts it, or no resync was needed): it would keep the Promoted
        role, and the group, off the preferred node. One still guarding a cut-off peer stays."""
        via = self.node(self.cluster.preferred)
        found = pcmk_config.promoted_only_on(via)
        states = {n: self.pair.state(n) for n in self.names} if found else {}
        stale = outlived(found, states)
        for constraint in stale:
            pd.lift_fence_constraint(via, constraint.id)
        if stale:
            recovered("a constraint of DRBD's fence-peer handler outlived its cause: lifted",
                      "\n".join([*(f"{c.id}: Promoted only on {c.node}" for c in stale),
                                 *(f"{n}: {s.state}" for n, s in states.items())]))

    def definition(self) -> pm.Service:
        domain = tuple((n, 100 - 50 * i) for i, n in enumerate(self.names))
        return pm.Service(self.name, self.pair.res.device, self.mountpoint, self.pair.fs, self.vip,
                          self.site.prefix, domain, self.site.interface)

    def made(self) -> bool:
        return pd.DRBD_PRIMITIVE in self.cluster.status().resources

    def make(self) -> None:
        """DRBD, /data and MariaDB's tables handed to the cluster: the clone, the group, their rules."""
        self.prepare_data()
        pd.create_service(self.node(self.cluster.preferred), self.definition(), self.pair.res.name)

    def prepare_data(self) -> None:
        """DRBD replicating with the fencing policy, the book's filesystem on it and MariaDB's system tables
        in it, made from the preferred node; then demoted on both, up and Secondary, for pacemaker."""
        first = self.cluster.preferred
        self.pair.ensure_replicating(first, formatted=True, mounted=True)
        for name in self.names:
            mariadb.configure(self.node(name), self.datadir)
            fs.make_dir(self.node(name), self.mountpoint)
        if not mariadb_probe.installed(self.node(first), self.datadir):
            mariadb.install_db(self.node(first), self.datadir)
        drbd_ops.umount(self.node(first), self.mountpoint)
        drbd_ops.demote(self.node(first), self.pair.res)
