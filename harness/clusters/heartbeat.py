"""The book's Heartbeat cluster (7.2 steps 11-13) as one object: the known states its scenarios start from.

It stands on the DRBD pair: MariaDB's datadir lives on /data, and Heartbeat's group takes DRBD Primary,
mounts /data, raises the VIP and starts mysqld, in that order, on the node that holds it.
"""

from __future__ import annotations

import time
from dataclasses import replace

from harness.clusters import known_states
from harness.clusters.base import Cluster
from harness.clusters.drbd import DrbdPair
from harness.node import CommandFailed, on_each
from harness.ops import drbd as drbd_ops
from harness.ops import fs, mariadb
from harness.ops import heartbeat as hb
from harness.probes import files as file_probe
from harness.probes import halog, holdings, logs
from harness.probes import heartbeat as hb_probe
from harness.probes import mariadb as mariadb_probe
from harness.probes.clock import clock_offset_s, node_time
from harness.probes.heartbeat import HA_CF, HA_LOG
from harness.probes.holdings import Holdings
from harness.report.recoveries import recovered
from harness.waiting import NotReached, eventually

TAKEOVER_TIMEOUT_S = 120.0
# A good start acquires the group a second after its ha-log says the acquisition ended; a start that has
# acquired nothing 10 s after that never will (Heartbeat does not ask its peer again).
ACQUIRE_GRACE_S = 10.0


class HeartbeatCluster(Cluster):
    """Heartbeat on the DRBD pair, with MariaDB as the `mysql` of the group."""

    shared_storage = False    # /data is on the DRBD pair

    def __init__(self, pair: DrbdPair, vip: str, canary_password: str):
        super().__init__(pair.lab, pair.all_nodes, pair.names)
        self.pair = pair
        self.site = pair.site
        self.mountpoint, self.minor = pair.mountpoint, pair.res.minor
        self.vip = vip
        self.canary_password = canary_password
        self.datadir = f"{pair.mountpoint}/mysql"
        group = (f"drbddisk::{pair.res.name} Filesystem::{pair.res.device}::{pair.mountpoint}::{pair.fs} "
                 f"{hb.vip_resource(vip, pair.site)} mysql")
        self.cluster = hb.HaCluster(tuple((p.name, p.address) for p in pair.res.peers), group,
                                    interface=pair.site.interface)

    @property
    def preferred(self) -> str:
        return self.cluster.preferred

    @property
    def group_words(self) -> str:
        return f"the group (Primary, {self.mountpoint}, {self.vip}, mysqld)"

    def taken_down_since(self, since: float) -> dict[str, list[float]]:
        """Never: the book's Heartbeat has no fencing."""
        return {}

    def log_cursors(self) -> dict[str, logs.Cursor]:
        """Where each node's ha-log stands now."""
        return {name: logs.end_of(self.node(name), HA_LOG) for name in self.names}

    def holdings(self, name: str) -> Holdings:
        return holdings.read(self.node(name), self.vip, self.pair.mountpoint, self.pair.res.minor)

    def holder(self) -> str | None:
        """The node that holds the whole group, if one does (a powered-off node holds nothing)."""
        off = set(self.pair.lab.powered_off())
        return next((name for name in self.names if name not in off and self.holds_group(name)), None)

    def serving(self) -> str | None:
        """The node that holds the whole group and answers, with Heartbeat running on every node and none
        off; None when the cluster does not serve so."""
        if self.pair.lab.powered_off() or not all(self.holdings(n).heartbeat for n in self.names):
            return None
        holder = self.holder()
        return holder if holder is not None and self.serves(holder) else None

    def holds_group(self, name: str) -> bool:
        h = self.holdings(name)
        return h.heartbeat and h.role == "Primary" and h.mounted and h.vip and h.mysqld

    def serves(self, name: str) -> bool:
        """mysqld on the node answers (over its socket)."""
        return mariadb_probe.answers(self.node(name))

    def phases(self, name: str, since: logs.Cursor, origin: float) -> tuple[str, dict[str, float]]:
        """The node's ha-log written since the cursor, and the takeover phases in it (s after origin)."""
        text = logs.since(self.node(name), since)
        at = node_time(origin, clock_offset_s(self.node(name)))
        return text, halog.phases_since(halog.events(text, at.year), at)

    def await_group(self, name: str, timeout: float = TAKEOVER_TIMEOUT_S) -> None:
        """Wait until the node holds the whole group and mysqld answers; NotReached says what each node
        held at the end."""
        try:
            eventually(lambda: self.holds_group(name) and self.serves(name), bool, timeout=timeout,
                       interval=1.0, describe=f"{self.group_words} on {name}")
        except NotReached as exc:
            raise NotReached(f"{exc}\n{self.held_by_each()}") from None

    def held_by_each(self) -> str:
        """What each node holds, one line a node (a node that does not answer says why)."""
        lines = []
        for name in self.names:
            try:
                lines.append(f"{name}: {self.holdings(name).summary()}")
            except Exception as exc:  # a node that does not answer is said, not skipped
                lines.append(f"{name}: not read ({type(exc).__name__}: {exc})")
        return "\n".join(lines)

    def logs_since(self, cursors: dict[str, logs.Cursor]) -> str:
        """Each node's ha-log since its cursor, headed by the node's name."""
        return "\n".join(f"--- {n}'s {HA_LOG} since the start\n{logs.since(self.node(n), c)}"
                         for n, c in cursors.items())

    # -- known states ----------------------------------------------------------------------
    def ensure_stopped(self) -> None:
        """Heartbeat stopped on both (the standby first, so nobody takes over), nothing of the group held."""
        self.pair.power_on_any_off()
        order = sorted(self.names, key=lambda n: self.holdings(n).vip)
        for name in order:
            if hb_probe.running(self.node(name)):
                self._stop(name)
        for name in self.names:
            self._release(name)

    def _stop(self, name: str) -> None:
        """The book's stop. One that does not end (Heartbeat's shutdown can wait for ever on a message of
        its own: seen in CI after a power cut, with TimeoutStopSec=30min and no SIGKILL in its unit) is
        said in the report, with what it waited on, and Heartbeat is killed so the next scenario starts."""
        try:
            hb.stop(self.node(name))
        except CommandFailed as exc:
            if not exc.unfinished:
                raise
            recovered(f"Heartbeat's stop on {name} did not end in {hb.STOP_TIMEOUT_S} s: Heartbeat killed",
                      str(exc))
            hb.kill(self.node(name))

    def _release(self, name: str) -> None:
        """What a group left behind without Heartbeat (after a split brain, say): stopped, unmounted."""
        h = self.holdings(name)
        if h.mysqld:
            mariadb.stop(self.node(name))
        if h.vip:
            hb.release_vip(self.node(name), self.vip, self.site)
        if h.mounted:
            drbd_ops.umount(self.node(name), self.pair.mountpoint)

    def ensure_installed(self, auto_failback: tuple[str, ...] = (), second: hb.SecondChannel | None = None,
                         ) -> None:
        """Heartbeat stopped; MariaDB's data on /data; DRBD Secondary on both; ha.cf, authkeys and
        haresources as the book has them; neither service enabled at boot. Built by the book's steps the
        first time and kept by the lab where it can; put back from there when far from it."""
        self.cluster = replace(self.cluster, auto_failback=auto_failback, second=second)
        restored = self.pair.put_back_if_far(self.installed_state, self._far_from_installed)
        self._converge_installed()
        if not restored:
            self.pair.keep_state(self.installed_state)

    def _converge_installed(self) -> None:
        """The installed state by the book's steps, each done only where it does not hold yet."""
        self.ensure_stopped()
        first = self.preferred
        self.pair.ensure_replicating(first, formatted=True, mounted=True)
        for name in self.names:
            mariadb.prepare(self.node(name), self.datadir)
            fs.make_dir(self.node(name), self.pair.mountpoint)
            hb.configure(self.node(name), self.cluster)
            hb.not_at_boot(self.node(name))
        if not mariadb_probe.installed(self.node(first), self.datadir):
            mariadb.install_db(self.node(first), self.datadir)
        drbd_ops.umount(self.node(first), self.pair.mountpoint)
        drbd_ops.demote(self.node(first), self.pair.res)

    def _far_from_installed(self) -> bool:
        """Whether the installed state is more than files away: a node off, DRBD not in sync, Heartbeat or
        something of its group running (putting the kept state back is then quicker than stops and a
        resync)."""
        if self.pair.lab.powered_off() or not self.pair.healthy():
            return True
        return any(h.heartbeat or h.vip or h.mounted or h.mysqld for h in map(self.holdings, self.names))

    @property
    def installed_state(self) -> str:
        """The installed state's key: everything the nodes were given (auto_failback and a second channel
        aside: lines of ha.cf, written where they differ)."""
        book = replace(self.cluster, auto_failback=(), second=None)
        files = [drbd_ops.render_conf(replace(self.pair.res, protocol="C")), hb.render_haresources(book),
                 hb.render_authkeys(), mariadb.render_cnf(self.datadir),
                 *(hb.render_ha_cf(book, n) for n in self.names)]
        return known_states.key("heartbeat-installed", *files)

    def ensure_running(self, auto_failback: tuple[str, ...] = (), second: hb.SecondChannel | None = None,
                       ) -> None:
        """Heartbeat on both, auto_failback on for these nodes (off for the others), a second channel if
        given, the group on the preferred node, DRBD in sync."""
        if not self._running_as_wanted(auto_failback, second):
            self.ensure_installed(auto_failback, second)
            if not self._started_and_served():
                self.start_again()
                self.await_group(self.preferred)
        self.ensure_canary_user()

    def _started_and_served(self) -> bool:
        """Both started (step 13) and the group on the preferred node. A start that leaves the group on
        nobody (Heartbeat's start-up negotiation lost a message: `msg2string: Message with zero fields`,
        seen on a loaded machine) is said in the report with both ha-logs, and False: start again."""
        cursors = self.log_cursors()
        self.start_all()
        try:
            acquired_nothing = self.start_outcome(cursors)
        except NotReached as exc:
            acquired_nothing = str(exc)
        if acquired_nothing:
            recovered(f"after Heartbeat's start the group did not come to {self.preferred}: stopped and "
                      "started again", acquired_nothing)
        return not acquired_nothing

    def start_outcome(self, cursors: dict[str, logs.Cursor]) -> str:
        """After start_all: "" once the preferred node holds the group and serves; the evidence (what each
        node holds, both ha-logs) as soon as the preferred node's ha-log shows that this start acquired
        nothing. NotReached, with the same evidence, when neither comes within the takeover timeout."""
        node, since, empty_since = self.node(self.preferred), cursors[self.preferred], None

        def outcome() -> str:
            nonlocal empty_since
            if self.holds_group(self.preferred) and self.serves(self.preferred):
                return "the group held"
            if halog.acquisition_ended_empty(logs.since(node, since)):
                empty_since = empty_since or time.monotonic()
                if time.monotonic() - empty_since > ACQUIRE_GRACE_S:
                    return f"nothing acquired {ACQUIRE_GRACE_S:.0f} s after the acquisition ended"
            return "waiting"

        try:
            seen = eventually(outcome, lambda o: o != "waiting", timeout=TAKEOVER_TIMEOUT_S, interval=1.0,
                              describe=f"{self.group_words} on {self.preferred}")
        except NotReached as exc:
            raise NotReached(f"{exc}\n{self.held_by_each()}\n{self.logs_since(cursors)}") from None
        if seen == "the group held":
            return ""
        return f"{self.preferred}'s Heartbeat: {seen}\n{self.held_by_each()}\n{self.logs_since(cursors)}"

    def start_again(self) -> None:
        """After a start that took nothing: Heartbeat stopped on both, the installed state made whole,
        Heartbeat started on both again (what an operator would do)."""
        self.ensure_installed(self.cluster.auto_failback, self.cluster.second)
        self.start_all()

    def ensure_canary_user(self) -> None:
        """The canary's database and user, made (or given this run's password) on the serving node."""
        holder = self.holder()
        if holder is None:
            raise AssertionError("no node holds the group: nowhere to make the canary's user")
        mariadb.create_canary_user(self.node(holder), self.canary_password)

    def start_all(self) -> None:
        """The book's step 13: `/etc/init.d/heartbeat start` on both (at once, as two operators would)."""
        on_each([self.node(n) for n in self.names], hb.start)

    def _running_as_wanted(self, auto_failback: tuple[str, ...], second: hb.SecondChannel | None) -> bool:
        if self.pair.lab.powered_off() or (self.cluster.auto_failback, self.cluster.second) != (auto_failback,
                                                                                              second):
            return False
        if not self.pair.healthy():
            return False
        if not all(file_probe.holds(self.node(n), HA_CF, hb.render_ha_cf(self.cluster, n))
                   for n in self.names):
            return False
        others = [self.holdings(n) for n in self.names if n != self.preferred]
        return (self.holds_group(self.preferred) and self.manages_group(self.preferred)
                and all(h.heartbeat and not (h.vip or h.mounted or h.mysqld) for h in others))

    def manages_group(self, name: str) -> bool:
        """The node's Heartbeat says it holds its group (a Heartbeat started again beside a group left
        running says none: the group runs unmanaged)."""
        return hb_probe.rscstatus(self.node(name)) in ("local", "all")
