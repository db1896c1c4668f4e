"""A pacemaker cluster made with pcs (corosync + pacemaker, a fence device per member), and the book's Red
Hat cluster (7.3) on it with its parts (clusters/storage.py, fencing.py, mysql_service.py, gfs2.py); the
known states its scenarios start from. Each ensure_* looks first and changes only what differs, so any
scenario can run alone."""

from __future__ import annotations

from datetime import datetime

from harness.clusters.base import Cluster
from harness.clusters.fencing import Fencing
from harness.clusters.gfs2 import Gfs2
from harness.clusters.mysql_service import MysqlService
from harness.clusters.storage import SharedStorage
from harness.lab.faults import power_on
from harness.lab.fence_entry import FenceDevice
from harness.lab.providers.base import Provider
from harness.node import Node, on_each
from harness.ops import pacemaker as pm
from harness.probes import cluster_traces, corosync_log, crm_mon, host, logs, pcmk_log
from harness.probes import files as file_probe
from harness.probes.clock import clock_offset_s, node_time
from harness.probes.crm_mon import ClusterStatus
from harness.waiting import eventually

JOIN_TIMEOUT_S = 240.0
STICKINESS = 200      # above the domain's score gap: a moved service stays where it was moved
COROSYNC_CONF = "/etc/corosync/corosync.conf"


def _bmc(device: FenceDevice | None) -> tuple[str, str]:
    """A member's BMC address and user ("" for both where it has no fence device)."""
    return (device.ip, device.username) if device else ("", "")


class PacemakerStack(Cluster):
    """corosync + pacemaker made with pcs on the lab's nodes but those named in `besides`, a fence device
    each; the first member preferred. What a cluster needs before a member joins is its prepare_member."""

    def __init__(self, lab: Provider, nodes: dict[str, Node], secrets: dict[str, str], name: str,
                 besides: tuple[str, ...] = ()):
        fences = lab.fence_devices()
        self.members = [pm.Member(a.name, a.cluster_address, *_bmc(fences.get(a.name)))
                        for a in lab.nodes() if a.name not in besides]
        super().__init__(lab, nodes, [m.name for m in self.members])
        self.name = name
        self.hacluster_password = secrets["hacluster_password"]
        self.fencing = Fencing(self, self.members, secrets["bmc_password"], self.status)

    def prepare_cluster(self) -> None:
        """What the members need before the cluster is made or joined (nothing here)."""

    def prepare_member(self, node: Node) -> None:
        """What a member needs before it joins, back from a power cut or a fence (nothing here)."""

    @property
    def preferred(self) -> str:
        return self.names[0]

    def status(self, via: str | None = None) -> ClusterStatus:
        """crm_mon as a running member sees it (the first that runs pacemaker, unless named)."""
        off = set(self.lab.powered_off())
        for name in [via] if via else [n for n in self.names if n not in off]:
            if host.unit_active(self.node(name), "pacemaker"):
                return crm_mon.read(self.node(name))
        raise AssertionError("pacemaker runs on no cluster node: no status to read")

    # -- the cluster's known state ---------------------------------------------------------
    def ensure_cluster(self) -> None:
        """What the members need first (prepare_cluster), the cluster made and running on every member,
        fencing configured and on."""
        self.power_on_any_off()
        self.prepare_cluster()
        if not self._configured():
            self.destroy_cluster()
            self.prepare_members()
            self.create_cluster()
        on_each(self._members_without("pacemaker"), self._rejoin)
        self.await_members()
        st = self.status()
        devices = self.fencing.device_names()
        if not devices <= set(st.resources) or not st.stonith_enabled:
            self.fencing.configure(self.preferred, devices - set(st.resources))
        self.ensure_fence_devices_started()

    def _stopped_fence_devices(self) -> list[str]:
        st = self.status()
        return sorted(d for d in self.fencing.device_names()
                      if (res := st.resources.get(d)) is None or res.role != "Started")

    def ensure_fence_devices_started(self) -> None:
        """Every fence device started: one that failed to start while its BMC was down stays stopped
        (its fail count) until its failures are forgotten."""
        if self._stopped_fence_devices():
            pm.cleanup(self.node(self.preferred))
            eventually(self._stopped_fence_devices, lambda left: not left, timeout=120, interval=2.0,
                       describe="every fence device started")

    def _configured(self) -> bool:
        conf = [file_probe.checksum(self.node(n), COROSYNC_CONF) for n in self.names]
        if len(set(conf)) != 1 or not conf[0]:
            return False
        text = file_probe.read(self.node(self.preferred), COROSYNC_CONF)
        return f"cluster_name: {self.name}" in text and all(m.address in text for m in self.members)

    def destroy_cluster(self) -> None:
        """No cluster on any member (stopped; corosync.conf and the CIB removed)."""
        on_each([self.node(n) for n in self.names], _unconfigure)

    def prepare_members(self) -> None:
        """The book's steps 2-3: /etc/hosts with both nodes; pcsd (ricci) running with its password."""
        nodes = [self.node(n) for n in self.names]
        for node in nodes:
            pm.write_hosts(node, self.members)
            pm.set_hacluster_password(node, self.hacluster_password)
        on_each(nodes, pm.start_pcsd)

    def ensure_pcsd(self) -> None:
        """pcsd running on every member (pcs's commands that change every member go through it; a member
        back from a power cut runs only the cluster, see _rejoin)."""
        on_each(self._members_without("pcsd"), pm.start_pcsd)

    def _members_without(self, unit: str) -> list[Node]:
        """The members where systemd does not have the unit active."""
        return [node for node in map(self.node, self.names) if not host.unit_active(node, unit)]

    def create_cluster(self) -> None:
        """The book's step 4 (luci: create the cluster, add the nodes), started on every member (its files
        are flushed once its fencing is configured: Fencing.configure)."""
        first = self.node(self.preferred)
        pm.auth(first, self.members, self.hacluster_password)
        pm.setup(first, self.name, self.members)
        pm.set_resource_default(first, "resource-stickiness", str(STICKINESS))

    def flush_members(self) -> None:
        """Every member's file systems flushed: pcs (through pcsd) writes corosync.conf in place without
        fsync, so a member that loses power seconds later may come back with its old copy (seen on the
        lab) or a damaged one (in CI, corosync exited within 0.1 s on a member fenced 5 s after `pcs
        cluster sync`)."""
        on_each([self.node(n) for n in self.names], pm.flush)

    def _rejoin(self, node: Node) -> None:
        """A member back from a power cut or a fence: what it needs first, then the cluster, on it (pcsd
        is not started: nothing after the cluster's making needs it)."""
        self.prepare_member(node)
        pm.start_stack(node)

    def rejoin(self, name: str) -> None:
        self.rejoin_alone(name)
        self.await_members()

    def rejoin_alone(self, name: str, timeout: float = JOIN_TIMEOUT_S) -> None:
        """A member back from a power cut or a fence, its peer perhaps out of reach: once it answers, what
        it needs and its cluster started, without waiting for it to join."""
        if name in self.lab.powered_off():
            power_on(self.lab, self.all_nodes, name)
        node = self.node(name)
        eventually(lambda: host.boot_id_afresh(node), bool, timeout=timeout, interval=2.0,
                   describe=f"{name} answering over SSH after its fence")
        self._rejoin(node)

    def await_members(self, timeout: float = JOIN_TIMEOUT_S) -> None:
        """Every member online and clean, with quorum."""
        def members_online() -> bool:
            st = self.status()
            return st.quorum and all(n in st.nodes and st.nodes[n].online and not st.nodes[n].unclean
                                     for n in self.names)
        eventually(members_online, bool, timeout=timeout, interval=2.0,
                   describe=f"{' and '.join(self.names)} online in the cluster, with quorum")

    # -- evidence ------------------------------------------------------------------------------
    def log_cursors(self) -> dict[str, logs.Cursor]:
        """Where each running member's pacemaker.log stands now."""
        off = self.lab.powered_off()
        return {n: logs.end_of(self.node(n), pcmk_log.PACEMAKER_LOG) for n in self.names if n not in off}

    def corosync_cursors(self) -> dict[str, logs.Cursor]:
        """Where each member's corosync.log stands now."""
        return {n: logs.end_of(self.node(n), corosync_log.COROSYNC_LOG) for n in self.names}

    def log_since(self, name: str, since: logs.Cursor) -> str:
        return logs.since(self.node(name), since)

    def takeover_log(self, name: str, since: logs.Cursor,
                     fault_at: float) -> tuple[str, list[pcmk_log.Event], datetime]:
        """The member's pacemaker.log since the cursor, its events, and the fault's time on its clock."""
        text = logs.since(self.node(name), since)
        origin = self.on_clock(name, fault_at)
        return text, pcmk_log.events(text, origin.year), origin

    def on_clock(self, name: str, at: float) -> datetime:
        """A moment of this machine's monotonic clock on the member's clock (its offset measured now)."""
        return node_time(at, clock_offset_s(self.node(name)))


class PacemakerCluster(PacemakerStack):
    """Book 7.3: two cluster members and a storage node sharing its LUNs over iSCSI; the service
    `mysql_service` prefers the first member."""

    def __init__(self, lab: Provider, nodes: dict[str, Node], secrets: dict[str, str], name: str,
                 storage: str = "storage", service: str = "mysql_service"):
        site = lab.site()
        storage = site.host(storage)
        super().__init__(lab, nodes, secrets, name, besides=(storage,))
        self.storage = SharedStorage(self, storage, name)
        self.mysql = MysqlService(self, self.storage, service, site.mountpoint, lab.vip(),
                                  secrets["mariadb_canary_password"])
        self.gfs2 = Gfs2(self, self.storage)

    def prepare_cluster(self) -> None:
        """The storage exported and every member's iSCSI session to it."""
        self.storage.ensure()

    def prepare_member(self, node: Node) -> None:
        """The member's iSCSI session."""
        self.storage.login(node)


def _unconfigure(node: Node) -> None:
    """Where no cluster ever ran, only the shipped corosync.conf goes; elsewhere `pcs cluster destroy`."""
    if cluster_traces.read(node):
        pm.destroy(node)
    else:
        pm.forget_stock_config(node)
