"""The book's two DRBD peers as one object: the known states the DRBD scenarios start from.

Each `ensure_*` looks first and changes only what differs, so a scenario can run alone or after any
other; a node found powered off is powered on again, a pair in an unknown state is rebuilt.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import replace

from harness.clusters import known_states
from harness.clusters.base import Cluster
from harness.clusters.resync_end import ResyncEndWatch
from harness.lab.providers.base import Provider
from harness.node import CommandFailed, Node, on_each
from harness.ops import drbd as ops
from harness.ops import fs
from harness.ops import heartbeat as hb_ops
from harness.probes import disk as disk_probe
from harness.probes import drbd as proc
from harness.probes import heartbeat as hb_probe
from harness.probes import host, logs
from harness.waiting import NotReached, dry_run, eventually

CONNECT_TIMEOUT_S = 60.0
RESYNC_TIMEOUT_S = 120.0


class DrbdPair(Cluster):
    """The book's vm01 and vm02 (the site's two hosts) with the resource between them (the book's `test`,
    or the site's)."""

    def __init__(self, lab: Provider, nodes: dict[str, Node], shared_secret: str, protocol: str = "C"):
        site = lab.site()
        accesses = sorted(lab.nodes(), key=lambda a: site.book_name(a.name))   # the book's vm01 first
        if len(accesses) != 2:
            raise ValueError(f"the DRBD chapter needs two nodes, the lab has {len(accesses)}")
        super().__init__(lab, nodes, [a.name for a in accesses])
        self.site = site
        self.disks = {a.name: a.disks[site.disk] for a in accesses}
        peers = tuple(ops.Peer(a.name, a.cluster_address, disk_probe.first_partition(self.disks[a.name]))
                      for a in accesses)
        self.res = ops.DrbdResource(peers, shared_secret, name=site.resource, minor=site.minor,
                                    port=site.port, protocol=protocol)
        self.mountpoint = site.mountpoint
        self.fs = site.filesystem

    # -- reading ---------------------------------------------------------------------------
    def state(self, name: str) -> proc.Resource:
        return proc.resource(self.node(name), self.res.minor)

    def is_mounted(self, name: str) -> bool:
        return self.node(name).sh("mountpoint", "-q", self.mountpoint, warn=True).ok

    def await_state(self, name: str, want: str, timeout: float = CONNECT_TIMEOUT_S) -> proc.Resource:
        """Wait until the node's /proc/drbd line starts like want ('cs:Connected ro:Primary/Secondary'); one
        still resyncing at the timeout gets RESYNC_TIMEOUT_S more (a resync's length follows the load). A
        source that missed its resync's end is mended on the way (clusters.resync_end)."""
        watch = ResyncEndWatch({n: self.node(n) for n in self.names}, self.res.name, self.res.minor)

        def read() -> proc.Resource:
            state = self.state(name)
            if state.connection in proc.SOURCE_STATES:
                watch.see({n: state if n == name else self.state(n) for n in self.names})
            return state
        try:
            return eventually(read, lambda r: r.state.startswith(want), timeout=timeout, interval=0.5,
                              describe=f"{want} on {name}")
        except NotReached:
            if dry_run() or not self._resyncing(name):
                raise
        return eventually(read, lambda r: r.state.startswith(want), timeout=RESYNC_TIMEOUT_S, interval=1.0,
                          describe=f"{want} on {name}, {timeout:.0f} s and then the end of its resync")

    def _resyncing(self, name: str) -> bool:
        try:
            return self.state(name).resyncing
        except (CommandFailed, ValueError, KeyError):
            return False

    def await_split_brain(self, timeout: float = 30.0) -> dict[str, proc.Resource]:
        """Wait until DRBD has dropped the connection over a split brain: StandAlone on a node that
        detected it, and on the other StandAlone too (both detected it) or WFConnection (its peer tore the
        connection down before it judged the handshake). Each node's state."""
        alone_since: float | None = None

        def read() -> dict[str, proc.Resource]:
            nonlocal alone_since
            states = {name: self.state(name) for name in self.names}
            if alone_since is None and any(s.connection == "StandAlone" for s in states.values()):
                alone_since = time.monotonic()
            return states

        def dropped(states: dict[str, proc.Resource]) -> bool:
            alone_for = None if alone_since is None else time.monotonic() - alone_since
            return proc.split_brain_dropped([s.connection for s in states.values()], alone_for)

        return eventually(read, dropped, timeout=timeout, interval=0.5,
                          describe="the connection dropped over a split brain (StandAlone)")

    # -- known states ----------------------------------------------------------------------
    def ensure_prepared(self) -> None:
        """Module loaded, /etc/hosts, /dev/sdb1 of type 83, the book's drbd.conf: on both nodes; Heartbeat
        stopped where it runs (the stack above DRBD holds its mount on a site left serving)."""
        self.power_on_any_off()
        for name in self.names:
            node = self.node(name)
            if hb_probe.running(node):
                hb_ops.stop(node)
            ops.load_module(node)
            ops.write_hosts(node, self.res.peers)
            if not self._partitioned(name):
                fs.wipe_signatures(node, self.disks[name])
                ops.partition(node, self.disks[name])
            ops.ensure_conf(node, self.res)

    def ensure_down(self) -> None:
        """The resource down on both nodes (nothing mounted from it), and the drbd service not started (a
        rejoin's `/etc/init.d/drbd start` leaves it started: the book's start would then do nothing)."""
        self.ensure_prepared()
        for name in self.names:
            if self.is_mounted(name):
                ops.umount(self.node(name), self.mountpoint)
            if self.node(name).host.service("drbd").is_running:
                ops.stop_service(self.node(name))     # every resource down, and the module unloaded
                ops.load_module(self.node(name))
            elif self.state(name).connection != "Unconfigured":
                ops.down(self.node(name), self.res)

    def ensure_blank(self) -> None:
        """Down, and /dev/sdb1 holding neither a filesystem nor DRBD metadata."""
        self.ensure_down()
        for name in self.names:
            ops.zero_start(self.node(name), self.res.peer(name).disk)
            ops.zero_end(self.node(name), self.res.peer(name).disk)

    def ensure_replicating(self, primary: str, *, protocol: str = "C", formatted: bool = False,
                           mounted: bool = False, fresh_fs: bool = False) -> None:
        """Connected, UpToDate on both, `primary` Primary, with this protocol; ext3 (fresh if asked) and
        /data mounted if asked. A fresh filesystem is made by mkfs the first time and kept by the lab where
        it can; when the pair is far from replicating (a node off, out of sync) it is put back from there."""
        self.res = replace(self.res, protocol=protocol)
        restored = fresh_fs and self.put_back_if_far(self.fresh_fs_state, self._far)
        self.ensure_prepared()
        self.rejoin()
        if not self.healthy():
            self._rebuild(primary)
        self._adjust_protocol()
        self._set_primary(primary)
        if fresh_fs and not restored:
            self._fresh_fs(primary)
        elif formatted and self.fs_type(primary) != self.fs:
            ops.mkfs(self.node(primary), self.res.device, self.fs)
        if mounted and not self.is_mounted(primary):
            ops.mount(self.node(primary), self.res.device, self.mountpoint)
        if not mounted and self.is_mounted(primary):
            ops.umount(self.node(primary), self.mountpoint)

    @property
    def fresh_fs_state(self) -> str:
        """The key of "replicating, a fresh filesystem on the device" (any protocol: adjusted after)."""
        return known_states.key(f"drbd-fresh-{self.fs}", ops.render_conf(replace(self.res, protocol="C")))

    def _far(self) -> bool:
        return bool(self.powered_off()) or not self.healthy()

    def _fresh_fs(self, primary: str) -> None:
        """mkfs.ext3 on the primary; the lab keeps the state where it can."""
        if self.is_mounted(primary):
            ops.umount(self.node(primary), self.mountpoint)
        ops.mkfs(self.node(primary), self.res.device, self.fs)
        if self.keep_state(self.fresh_fs_state):
            self._set_primary(primary)

    def keep_state(self, state: str) -> bool:
        """The lab keeps the state just built, unless it cannot or already does (False): the resource
        down on both while the nodes power down (its metadata clean), up again once they have booted."""
        if not known_states.can_keep(self.lab, state):
            return False
        self.ensure_down()
        known_states.keep(self.lab, list(self.all_nodes.values()), state)
        self.up_after_boot()
        return True

    def put_back_if_far(self, state: str, far: Callable[[], bool]) -> bool:
        """The kept state put back and the resource brought up on both (True), if the lab keeps it and
        `far()` says reaching it otherwise costs more than that (asked only when there is a state)."""
        if not (known_states.kept(self.lab, state) and far()):
            return False
        known_states.restore(self.lab, list(self.all_nodes.values()), state)
        self.up_after_boot()
        return True

    def up_after_boot(self) -> None:
        """Both nodes just booted on disks whose resource was taken down cleanly (a kept state): the
        resource up on both (it never starts at boot), awaited in sync. One that does not get there is
        left to ensure_replicating, which rebuilds it."""
        self.ensure_prepared()
        on_each([self.node(n) for n in self.names], lambda node: ops.up(node, self.res))
        with contextlib.suppress(NotReached):
            for name in self.names:
                self.await_state(name, "cs:Connected ro:Secondary/Secondary ds:UpToDate/UpToDate")

    # -- the pieces ------------------------------------------------------------------------
    def rejoin(self) -> None:
        """A node back from a power cut has the resource down while its peer runs it: bring it up, so it
        resyncs what it missed (a bitmap resync; a rebuild follows only if that fails)."""
        states = {n: self.state(n) for n in self.names}
        for name, st in states.items():
            peer_up = states[self.other(name)].connection != "Unconfigured"
            down_here = st.connection == "Unconfigured"
            if down_here and peer_up and ops.up(self.node(name), self.res, warn=True).ok:
                with contextlib.suppress(NotReached):
                    eventually(lambda n=name: self.state(n),  # type: ignore[misc]
                               lambda r: r.in_sync,
                               timeout=CONNECT_TIMEOUT_S, describe=f"{name} resynced")

    def _partitioned(self, name: str) -> bool:
        table = disk_probe.partition_table(self.node(name), self.disks[name])
        if table is None or len(table.partitions) != 1:
            return False
        part = table.partitions[0]
        total = host.block_size_bytes(self.node(name), self.disks[name]) // table.sector_size
        return part.type == "83" and part.start + part.size == total

    def healthy(self) -> bool:
        try:
            states = [self.state(n) for n in self.names]
        except CommandFailed:
            return False
        return all(s.in_sync for s in states)

    def _rebuild(self, primary: str) -> None:
        """Fresh metadata on blank partitions, up on both, the initial sync skipped (both are zero)."""
        self.ensure_blank()
        for name in self.names:
            ops.create_md(self.node(name), self.res, warn=False)
        on_each([self.node(n) for n in self.names], lambda node: ops.up(node, self.res))
        self.await_state(primary, "cs:Connected ro:Secondary/Secondary")
        ops.skip_initial_sync(self.node(primary), self.res)
        self.await_state(primary, "cs:Connected ro:Secondary/Secondary ds:UpToDate/UpToDate")

    def _adjust_protocol(self) -> None:
        if all(self.state(n).protocol == self.res.protocol for n in self.names):
            return
        for name in self.names:
            ops.write_conf(self.node(name), self.res)
        on_each([self.node(n) for n in self.names], lambda node: ops.adjust(node, self.res))
        for name in self.names:
            eventually(lambda n=name: self.state(n),  # type: ignore[misc]
                       lambda r: r.connection == "Connected" and r.protocol == self.res.protocol,
                       timeout=CONNECT_TIMEOUT_S, describe=f"protocol {self.res.protocol} on {name}")

    def _set_primary(self, primary: str) -> None:
        other = self.other(primary)
        if self.state(other).role == "Primary":
            if self.is_mounted(other):
                ops.umount(self.node(other), self.mountpoint)
            ops.demote(self.node(other), self.res)
        if self.state(primary).role != "Primary":
            ops.promote(self.node(primary), self.res)

    def fs_type(self, name: str) -> str:
        """The filesystem blkid finds on /dev/drbd1 of a node ("" if none, or the device cannot be read)."""
        res = self.node(name).sh("blkid", "-o", "value", "-s", "TYPE", self.res.device, warn=True)
        return res.stdout.strip() if res.ok else ""

    # -- the book's repair of a split brain (7.2 step 10) ----------------------------------
    def mark_logs(self, why: str) -> dict[str, logs.Cursor]:
        """A mark in each node's kernel log, to read what DRBD logs from here on."""
        return {name: logs.kernel_mark(self.node(name), why) for name in self.names}

    def repair_split_brain(self, victim: str, survivor: str, as_printed: bool = False) -> None:
        """The victim Secondary, connected discarding its data; the survivor connected unless it already
        waits for its peer. A victim that did not detect the split brain itself still waits for its peer
        (WFConnection), where the book's connect would be refused: it is disconnected first."""
        v, s = self.node(victim), self.node(survivor)
        if self.is_mounted(victim):
            ops.umount(v, self.mountpoint)
        if proc.connection(v, self.res.name) != "StandAlone":
            ops.disconnect(v, self.res)
        ops.demote(v, self.res)
        ops.connect(v, self.res, discard_my_data=True, as_printed=as_printed)
        if self.state(survivor).connection != "WFConnection":   # the book: cat /proc/drbd, then connect
            ops.connect(s, self.res)

    def switch_over(self, from_: str, to: str) -> None:
        """The book's manual switch-over: unmount and demote on one node, promote and mount on the other."""
        ops.umount(self.node(from_), self.mountpoint)
        ops.demote(self.node(from_), self.res)
        ops.promote(self.node(to), self.res)
        ops.mount(self.node(to), self.res.device, self.mountpoint)

