"""Heartbeat 3 in haresources mode (book 7.2 steps 11-13): ha.cf, authkeys, haresources; start and stop."""

from __future__ import annotations

from dataclasses import dataclass

from harness import kinds
from harness.lab.site import BOOK, Site
from harness.node import CommandFailed, Node, Result
from harness.ops import files
from harness.probes import heartbeat as hb_probe
from harness.probes import host
from harness.probes.heartbeat import AUTHKEYS, HA_CF, HA_LOG, HARESOURCES
from harness.waiting import eventually

HB_STANDBY = "/usr/share/heartbeat/hb_standby"
PIDFILE = "/run/heartbeat.pid"    # the master control process's, as heartbeat.service names it
# Debian's heartbeat.service runs `heartbeat -f` as a simple service. When Heartbeat restarts itself (as
# it does when a partition heals), the new instance daemonizes and the first process ends: systemd takes
# that for the service's end and runs `heartbeat -k`, stopping the new instance. As on the book's SysV
# hosts, Heartbeat's own restart must not stop it.
STOP_TIMEOUT_S = 120     # a stop takes 5-8 s here
UNIT = "heartbeat.service"
SERVICE_DROP_IN = f"/etc/systemd/system/{UNIT}.d/hadrill-restart.conf"
RESTART_DROP_IN = ("# hadrill: Heartbeat's own restart (a new instance) is not the service's end\n"
                   "[Service]\nRemainAfterExit=yes\n")


@dataclass(frozen=True)
class SecondChannel:
    """A second ucast channel beside the first: each node's address on another interface."""

    interface: str
    addresses: tuple[tuple[str, str], ...]   # (uname -n, address on that interface)


@dataclass(frozen=True)
class HaCluster:
    """The book's two-node cluster. The scan lost keepalive and deadtime: these are hadrill's choices."""

    nodes: tuple[tuple[str, str], ...]   # (uname -n, cluster address), the preferred node first
    resources: str                       # the haresources group after the node name
    keepalive_s: int = 1
    deadtime_s: int = 10
    warntime_s: int = 4                  # the book's
    initdead_s: int = 12                 # the book's
    udpport: int = 694                   # the book's
    auto_failback: tuple[str, ...] = ()  # the nodes whose ha.cf says `auto_failback on` (none: the book's
                                         # advice for the standby, a repaired master stays out)
    interface: str = BOOK.interface      # where ucast goes (the site's cluster interface)
    second: SecondChannel | None = None  # a second communication channel (the book's cluster has one)

    @property
    def preferred(self) -> str:
        return self.nodes[0][0]


def timing_problems(c: HaCluster) -> list[str]:
    """What is unsound in the timings (empty if they make sense)."""
    problems = []
    if c.deadtime_s <= 2 * c.keepalive_s:
        problems.append(f"deadtime {c.deadtime_s} s must exceed twice keepalive ({2 * c.keepalive_s} s)")
    if not c.keepalive_s < c.warntime_s < c.deadtime_s:
        problems.append(f"warntime {c.warntime_s} s must lie between keepalive and deadtime")
    if c.initdead_s < c.deadtime_s:
        problems.append(f"initdead {c.initdead_s} s must be at least deadtime ({c.deadtime_s} s)")
    return problems


def render_ha_cf(c: HaCluster, me: str) -> str:
    """ha.cf for one node: the book's lines, `ucast` to the other node (on a second channel too, where the
    cluster has one), no ipfail (heartbeat 3 lacks it)."""
    others = [addr for name, addr in c.nodes if name != me]
    if len(others) != len(c.nodes) - 1:
        raise ValueError(f"{me} is not a node of the cluster ({', '.join(n for n, _ in c.nodes)})")
    lines = [f"logfile {HA_LOG}", "logfacility local0", f"keepalive {c.keepalive_s}",
             f"deadtime {c.deadtime_s}", f"warntime {c.warntime_s}", f"initdead {c.initdead_s}",
             f"udpport {c.udpport}", *(f"ucast {c.interface} {addr}" for addr in others),
             *_second_ucast(c, me),
             f"auto_failback {'on' if me in c.auto_failback else 'off'}",
             *(f"node {name}" for name, _ in c.nodes)]
    return "\n".join(lines) + "\n"


def _second_ucast(c: HaCluster, me: str) -> list[str]:
    second = c.second
    if second is None:
        return []
    return [f"ucast {second.interface} {addr}" for name, addr in second.addresses if name != me]


def render_authkeys() -> str:
    """The book's authkeys: `auth 1` / `1 crc` (no key: crc only detects damage; it authenticates nobody)."""
    return "auth 1\n1 crc\n"


def vip_resource(vip: str, site: Site) -> str:
    """The VIP as haresources names it: bare, as the book prints it, on the book's interface; else with
    its netmask and interface (`IPaddr::VIP/PREFIX/NIC`), since Heartbeat's IPaddr takes the book's
    interface when none is named and refuses a VIP whose subnet is on another ("Invalid parameter value:
    nic [eth0] Calculated nic: [eth1]", seen on Vagrant VMs, whose cluster NIC is eth1)."""
    if site.interface == BOOK.interface:
        return vip
    return f"IPaddr::{vip}/{site.prefix}/{site.interface}"


def render_haresources(c: HaCluster) -> str:
    return f"{c.preferred} {c.resources}\n"


@kinds.change
def configure(node: Node, c: HaCluster) -> bool:
    """The three files on a node (authkeys mode 600 whatever it was), and the service's drop-in; True if
    any text changed."""
    changed = [files.write_if_changed(node, HA_CF, render_ha_cf(c, node.name)),
               files.write_if_changed(node, AUTHKEYS, render_authkeys(), mode="600"),
               files.write_if_changed(node, HARESOURCES, render_haresources(c))]
    node.run(f"chmod 600 {AUTHKEYS}")
    node.run(f"mkdir -p {SERVICE_DROP_IN.rsplit('/', 1)[0]}")
    if files.write_if_changed(node, SERVICE_DROP_IN, RESTART_DROP_IN):
        node.run("systemctl daemon-reload")
    return any(changed)


@kinds.change
def set_authkeys_mode(node: Node, mode: str) -> Result:
    return node.sh("chmod", mode, AUTHKEYS)


@kinds.disruptive
def release_vip(node: Node, vip: str, site: Site) -> Result:
    """The service address taken off the cluster interface (what a group left behind without Heartbeat)."""
    return node.sh("ip", "addr", "del", f"{vip}/{site.prefix}", "dev", site.interface, warn=True)


@kinds.change
def not_at_boot(node: Node) -> Result | None:
    """The book: Heartbeat is started by hand once the host is up, never at boot. Looked at first: a
    disable costs a daemon reload (seconds in a node), so it runs only where Heartbeat is enabled."""
    if host.enabled_states(node, ["heartbeat"]) == ["disabled"]:
        return None
    return node.run("systemctl disable --quiet heartbeat")


@kinds.change
def start(node: Node, warn: bool = False) -> Result:
    """The book's `/etc/init.d/heartbeat start`. Once Heartbeat has restarted itself, or ended on a SIGTERM,
    the unit stays active (RemainAfterExit) with no Heartbeat left, and the book's start (a systemctl start)
    would do nothing and succeed: that stale state is cleared first by a stop that finds nothing to stop."""
    if not hb_probe.running(node) and host.unit_active(node, UNIT):
        node.run(f"systemctl stop {UNIT}", timeout=STOP_TIMEOUT_S)
    return node.run("/etc/init.d/heartbeat start", timeout=120, warn=warn)


@kinds.disruptive
def stop(node: Node) -> Result:
    """`/etc/init.d/heartbeat stop`: the node releases what it holds (mysql, VIP, /data, Primary) first.
    A stop that does not end says what it waits on (the unit waits up to 30 min for the resources)."""
    try:
        return node.run("/etc/init.d/heartbeat stop", timeout=STOP_TIMEOUT_S)
    except CommandFailed as exc:
        if not exc.unfinished:
            raise
        seen = host.what_stops_wait_on(node, ["heartbeat", "mariadb"], HA_LOG)
        raise CommandFailed(exc.entry, seen) from exc


@kinds.disruptive
def kill(node: Node) -> Result:
    """Every process of Heartbeat's unit killed (its stop never ended; the unit sends no SIGKILL of its
    own), the unit's failed state cleared, and Heartbeat seen gone."""
    killed = node.run(f"systemctl kill --signal=SIGKILL {UNIT}; "
                      f"systemctl reset-failed {UNIT}", warn=True)
    eventually(lambda: hb_probe.running(node), lambda up: not up, timeout=30,
               describe=f"no heartbeat process on {node.name}")
    return killed


@kinds.destructive
def kill_master(node: Node) -> Result:
    """A fault: Heartbeat's master control process killed with SIGKILL, as a crash would end it; the PID
    its pidfile names, checked against the process's title first. Prints the PID."""
    return node.run(f"read -r p < {PIDFILE} && tr '\\0' ' ' < /proc/$p/cmdline "
                    '| grep -q "master control process" && kill -s KILL "$p" && echo "$p"')


@kinds.disruptive
def standby(node: Node) -> Result:
    """Heartbeat 3's hb_standby: this node hands everything it holds to the other one."""
    return node.run(f"{HB_STANDBY} all", timeout=60)


