"""The book's Red Hat cluster (7.3) on today's stack as one object: the known states its scenarios start from.

Shared storage: the storage node exports its disks over iSCSI and the cluster nodes log in. The cluster:
corosync + pacemaker made with pcs, a fence device per node (fence_ipmilan to the node's BMC), stonith on.
The service: a group of Filesystem (ext4 on the first shared LUN, at /data), the VIP and MariaDB, with a
failover domain (location scores) that prefers the first node. Each ensure_* looks first and changes only
what differs, so any scenario can run alone.
"""

from __future__ import annotations

from datetime import datetime

from harness.clusters.base import Cluster
from harness.lab.providers.base import Provider
from harness.node import Node, on_each
from harness.ops import fs, iscsi, mariadb
from harness.ops import pacemaker as pm
from harness.probes import crm_mon, holdings, host, logs, pcmk_log, scsi
from harness.probes import files as file_probe
from harness.probes import iscsi as iscsi_probe
from harness.probes import mariadb as mariadb_probe
from harness.probes.clock import clock_offset_s, node_time
from harness.probes.crm_mon import ClusterStatus
from harness.probes.holdings import Holdings
from harness.waiting import eventually

TAKEOVER_TIMEOUT_S = 180.0
JOIN_TIMEOUT_S = 240.0
BMC_USER = "admin"
GFS2_MOUNTPOINT = "/shared"
STICKINESS = 200      # above the domain's score gap: a moved service stays where it was moved


class PacemakerCluster(Cluster):
    """Two cluster nodes and a storage node; the service `mysql_service` prefers the first node."""

    shared_storage = True     # /data is on a LUN both nodes see

    def __init__(self, lab: Provider, nodes: dict[str, Node], secrets: dict[str, str], name: str,
                 storage: str = "storage", service: str = "mysql_service", mountpoint: str = "/data"):
        bmcs = lab.bmcs()
        self.members = [pm.Member(a.name, a.cluster_address, bmcs.get(a.name, ""))
                        for a in lab.nodes() if a.name != storage]
        super().__init__(lab, nodes, [m.name for m in self.members])
        self.secrets = secrets
        self.name = name
        self.storage = storage
        self.vip = lab.vip()
        self.service_name = service
        self.mountpoint = mountpoint
        self.datadir = f"{mountpoint}/mysql"
        self.canary_password = secrets["mariadb_canary_password"]

    @property
    def preferred(self) -> str:
        return self.names[0]

    # -- shared storage --------------------------------------------------------------------
    def target(self) -> iscsi.Export:
        """The storage node's target: its disks as LUN 1, 2, ...; the members' initiator names allowed."""
        access = self.lab.node(self.storage)
        return iscsi.Export(f"iqn.2026-11.io.hadrill:{self.name}.shared", access.cluster_address,
                            tuple(sorted(access.disks.values())),
                            tuple(iscsi_probe.initiator_name(self.node(n)) for n in self.names))

    def ensure_storage(self) -> iscsi.Export:
        target = self.target()
        iscsi.export(self.node(self.storage), target)
        iscsi.login_all([self.node(n) for n in self.names], target)
        return target

    def lun(self, name: str, number: int) -> scsi.ScsiDisk:
        """The shared LUN `number` as `name` sees it."""
        for disk in scsi.iscsi_disks(self.node(name)):
            if disk.lun == number:
                return disk
        raise AssertionError(f"{name} sees no iSCSI LUN {number}")

    # -- the cluster -------------------------------------------------------------------------
    def status(self, via: str | None = None) -> ClusterStatus:
        """crm_mon as a running member sees it (the first that runs pacemaker, unless named)."""
        off = set(self.lab.powered_off())
        for name in [via] if via else [n for n in self.names if n not in off]:
            if host.unit_active(self.node(name), "pacemaker"):
                return crm_mon.read(self.node(name))
        raise AssertionError("pacemaker runs on no cluster node: no status to read")

    def ensure_cluster(self) -> None:
        """Storage shared, the cluster made and running on every member, fencing configured and on."""
        self.power_on_any_off()
        target = self.ensure_storage()
        if not self._configured():
            self._setup()
        on_each([self.node(n) for n in self.names if not host.unit_active(self.node(n), "pacemaker")],
                lambda node: self._rejoin(node, target))
        self.await_members()
        st = self.status()
        devices = {pm.fence_device_name(n) for n in self.names}
        if not devices <= set(st.resources) or not st.stonith_enabled:
            self.configure_fencing(devices - set(st.resources))

    def _configured(self) -> bool:
        conf = [file_probe.checksum(self.node(n), "/etc/corosync/corosync.conf") for n in self.names]
        if len(set(conf)) != 1 or not conf[0]:
            return False
        text = self.node(self.preferred).sh("cat", "/etc/corosync/corosync.conf").stdout
        return f"cluster_name: {self.name}" in text and all(m.address in text for m in self.members)

    def _setup(self) -> None:
        self.destroy_cluster()
        self.prepare_members()
        self.create_cluster()

    def destroy_cluster(self) -> None:
        """No cluster on any member (stopped; corosync.conf and the CIB removed)."""
        on_each([self.node(n) for n in self.names], pm.destroy)

    def prepare_members(self) -> None:
        """The book's steps 2-3: /etc/hosts with both nodes; pcsd (ricci) running with its password."""
        password = self.secrets["hacluster_password"]
        nodes = [self.node(n) for n in self.names]
        for node in nodes:
            pm.write_hosts(node, self.members)
            pm.set_hacluster_password(node, password)
        on_each(nodes, pm.start_pcsd)

    def create_cluster(self) -> None:
        """The book's step 4 (luci: create the cluster, add the nodes), started on every member."""
        first = self.node(self.preferred)
        pm.auth(first, self.members, self.secrets["hacluster_password"])
        pm.setup(first, self.name, self.members)
        pm.set_resource_default(first, "resource-stickiness", str(STICKINESS))

    def configure_fencing(self, missing: set[str] | None = None) -> None:
        """A fence device per member (all, or those missing), and stonith enabled."""
        first = self.node(self.preferred)
        for member in self.members:
            if missing is None or pm.fence_device_name(member.name) in missing:
                pm.create_fence_device(first, member, BMC_USER, self.secrets["bmc_password"])
        pm.set_property(first, "stonith-enabled", "true")

    def _rejoin(self, node: Node, target: iscsi.Export) -> None:
        """A member back from a power cut or a fence: its iSCSI session, then the cluster, on it."""
        iscsi.login(node, target)
        pm.start_pcsd(node)
        pm.start_local(node)

    def rejoin(self, name: str) -> None:
        if name in self.lab.powered_off():
            self.lab.power_on(name)
        self._rejoin(self.node(name), self.target())
        self.await_members()

    def await_members(self, timeout: float = JOIN_TIMEOUT_S) -> None:
        """Every member online and clean, with quorum."""
        def members_online() -> bool:
            st = self.status()
            return st.quorum and all(n in st.nodes and st.nodes[n].online and not st.nodes[n].unclean
                                     for n in self.names)
        eventually(members_online, bool, timeout=timeout, interval=2.0,
                   describe=f"{' and '.join(self.names)} online in the cluster, with quorum")

    # -- the service -------------------------------------------------------------------------
    def service(self) -> pm.Service:
        disk = self.lun(self.preferred, 1)
        domain = tuple((n, 100 - 50 * i) for i, n in enumerate(self.names))
        return pm.Service(self.service_name, disk.by_id, self.mountpoint, "ext4", self.vip, 24, domain)

    def ensure_service(self) -> None:
        """The cluster as ensure_cluster() leaves it, and the service running on the preferred node."""
        self.ensure_cluster()
        st = self.status()
        if not set(pm.SERVICE_RESOURCES) <= set(st.resources):
            self._create_service()
        st = self.status()
        if any(r.failed for r in st.resources.values()):
            pm.cleanup(self.node(self.preferred))
        if self.status().group_on(self.service_name) != self.preferred:
            self.await_group_somewhere()
            if self.status().group_on(self.service_name) != self.preferred:
                pm.relocate(self.node(self.preferred), self.service_name, self.preferred)
        self.await_service(self.preferred)
        self.ensure_canary_user()

    def ensure_canary_user(self) -> None:
        """The canary's database and user, made (or given this run's password) where the service runs."""
        holder = self.status().group_on(self.service_name)
        if holder is None:
            raise AssertionError(f"{self.service_name} runs nowhere: nowhere to make the canary's user")
        mariadb.create_canary_user(self.node(holder), self.canary_password)

    def _create_service(self) -> None:
        self.prepare_data()
        pm.create_service(self.node(self.preferred), self.service())

    def prepare_data(self) -> None:
        """ext4 on the shared LUN and MariaDB's system tables in it, made once from the preferred node;
        MariaDB's settings on every member."""
        svc = self.service()
        first = self.node(self.preferred)
        for name in self.names:
            mariadb.configure(self.node(name), self.datadir)
            fs.make_dir(self.node(name), self.mountpoint)
        fs.mkfs_ext4(first, svc.device)
        fs.mount(first, svc.device, self.mountpoint)
        try:
            mariadb.install_db(first, self.datadir)
        finally:
            fs.umount(first, self.mountpoint)

    # -- GFS2 --------------------------------------------------------------------------------
    def ensure_gfs2(self, mountpoint: str = GFS2_MOUNTPOINT) -> scsi.ScsiDisk:
        """GFS2 on the second shared LUN, mounted on every member by the cluster (DLM cloned too)."""
        self.ensure_cluster()
        disk = self.lun(self.preferred, 2)
        if not {"dlm", "gfs2_fs"} <= set(self.status().resources):
            first = self.node(self.preferred)
            for name in self.names:
                fs.make_dir(self.node(name), mountpoint)
            pm.make_gfs2(first, disk.by_id, self.name, "shared", journals=len(self.names))
            pm.create_gfs2(first, disk.by_id, mountpoint)
        eventually(lambda: [n for n in self.names if not self.gfs2_mounted(n, mountpoint)], lambda v: not v,
                   timeout=TAKEOVER_TIMEOUT_S, interval=2.0, describe=f"GFS2 mounted on {mountpoint} on "
                   f"{' and '.join(self.names)}")
        return disk

    def gfs2_mounted(self, name: str, mountpoint: str = GFS2_MOUNTPOINT) -> bool:
        return self.node(name).sh("findmnt", "-n", "-t", "gfs2", mountpoint, warn=True).ok

    def holdings(self, name: str) -> Holdings:
        return holdings.read(self.node(name), self.vip, self.mountpoint)

    def serves(self, name: str) -> bool:
        return mariadb_probe.answers(self.node(name))

    def holds_service(self, name: str) -> bool:
        h = self.holdings(name)
        return h.pacemaker and h.mounted and h.vip and h.mysqld

    def await_service(self, name: str, timeout: float = TAKEOVER_TIMEOUT_S) -> None:
        """The service's group started on the node, and mysqld there answering."""
        eventually(lambda: self.status(via=name).group_on(self.service_name) == name
                   and self.holds_service(name) and self.serves(name), bool, timeout=timeout, interval=1.0,
                   describe=f"{self.service_name} (/data, {self.vip}, mysqld) running on {name}")

    def await_group_somewhere(self, timeout: float = TAKEOVER_TIMEOUT_S) -> str:
        def placed() -> str | None:
            return self.status().group_on(self.service_name)
        return str(eventually(placed, lambda v: v is not None, timeout=timeout, interval=2.0,
                              describe=f"{self.service_name} started on some node"))

    # -- evidence ------------------------------------------------------------------------------
    def bmc_log(self, name: str) -> str:
        """What the node's fence device (its BMC) has logged so far."""
        return self.lab.bmc_log(name)

    def kernel_pid(self, name: str) -> int | None:
        """The PID of the process that is the node's kernel (a frozen one keeps its PID), if it runs."""
        return self.lab.node_pid(name)

    def log_cursors(self) -> dict[str, logs.Cursor]:
        """Where each running member's pacemaker.log stands now."""
        off = self.lab.powered_off()
        return {n: logs.end_of(self.node(n), pcmk_log.PACEMAKER_LOG) for n in self.names if n not in off}

    def log_since(self, name: str, since: logs.Cursor) -> str:
        return logs.since(self.node(name), since)

    def takeover_log(self, name: str, since: logs.Cursor,
                     fault_at: float) -> tuple[str, list[pcmk_log.Event], datetime]:
        """The node's pacemaker.log since the cursor, its events, and the fault's time on its clock."""
        text = logs.since(self.node(name), since)
        origin = node_time(fault_at, clock_offset_s(self.node(name)))
        return text, pcmk_log.events(text, origin.year), origin
