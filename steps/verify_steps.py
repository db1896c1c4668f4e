"""Steps of features/verify: a running cluster read, never changed, and checked against the runbook's end
state (harness/verdicts/live_checks.py judges what was read)."""

from __future__ import annotations

from pytest_bdd import given, then

from harness.clusters.drbd import DrbdPair
from harness.clusters.heartbeat import HeartbeatCluster
from harness.probes import drbd_conf, host
from harness.probes import heartbeat as hb_conf
from harness.probes import mariadb as mariadb_probe
from harness.probes.service_state import MARIADB_PORT
from harness.report import attachments
from harness.verdicts import live_checks
from harness.workloads import greeting

AT_BOOT = ["heartbeat", "drbd", "mariadb"]
MARIADB_SETTINGS = ["datadir", "innodb_flush_log_at_trx_commit", "log_bin", "sync_binlog",
                    "skip_name_resolve"]


def judged(problems: list[str], warnings: list[str] | None = None) -> None:
    """Warnings said in the report; problems fail the step, every one of them named."""
    if warnings:
        attachments.attach_text("warnings", "\n".join(warnings))
        attachments.parameter("warnings", "; ".join(warnings))
    assert not problems, "\n".join(problems)


@given("the cluster serves: Heartbeat on both nodes, the group on one of them")
def _(ha: HeartbeatCluster) -> None:
    if ha.serving() is None and ha.can("disposable"):
        ha.ensure_running()       # an embedded lab only: elsewhere the cluster is looked at, never set up
    holder = ha.serving()
    assert holder is not None, ("the cluster does not serve (Heartbeat on every node, one node holding the "
                                f"whole group and MariaDB answering):\n{ha.held_by_each()}")
    attachments.parameter("serving", holder)


# -- DRBD --------------------------------------------------------------------------------------------
@then("drbdadm dump of the resource is the same on every node")
def _(pair: DrbdPair) -> None:
    confs = {name: drbd_conf.read(pair.node(name), pair.res.name) for name in pair.names}
    judged(live_checks.dump_differences(confs))


@then("it is the profile's resource: its name, device, backing disks, addresses and protocol")
def _(pair: DrbdPair) -> None:
    judged([problem for name in pair.names
             for problem in live_checks.drbd_as_profile(drbd_conf.read(pair.node(name), pair.res.name),
                                                        pair.res, name)])


@then("DRBD's global section says usage-count no on every node")
def _(pair: DrbdPair) -> None:
    said = {name: drbd_conf.global_options(pair.node(name)).get("usage-count", "(not set)")
            for name in pair.names}
    judged([f"{name}: drbdadm dump's global section: usage-count {value}, not no (each install would be "
             "reported to the DRBD project's online counter)"
             for name, value in said.items() if value != "no"])


@then("each node reads Connected, UpToDate/UpToDate and oos:0, one of them Primary with the filesystem "
      "mounted, the other not mounted")
def _(pair: DrbdPair) -> None:
    states = {name: pair.state(name) for name in pair.names}
    mounted = {name: pair.is_mounted(name) for name in pair.names}
    attachments.parameter("DRBD", ", ".join(f"{n}: {s.state}" for n, s in states.items()))
    judged(live_checks.replication(states, mounted, pair.mountpoint))


# -- Heartbeat -----------------------------------------------------------------------------------------
@then("authkeys is mode 600, owned by root, and the same on every node")
def _(ha: HeartbeatCluster) -> None:
    keys = {name: hb_conf.authkeys(ha.node(name)) for name in ha.names}
    problems = [f"{name}: {hb_conf.AUTHKEYS} is mode and owner {k.mode_owner}, not 600 root"
                for name, k in keys.items() if k.mode_owner != "600 root"]
    judged(problems + live_checks.same_everywhere(hb_conf.AUTHKEYS, {n: k.lines for n, k in keys.items()}))


@then("haresources is the same on every node")
def _(ha: HeartbeatCluster) -> None:
    seen = {name: hb_conf.haresources(ha.node(name)) for name in ha.names}
    attachments.attach_text("haresources", "\n".join(next(iter(seen.values()))))
    judged(live_checks.same_everywhere(hb_conf.HARESOURCES, seen))


@then("ha.cf names the nodes as their uname -n does, with consistent timings")
def _(ha: HeartbeatCluster) -> None:
    unames = {name: host.uname(ha.node(name)) for name in ha.names}
    problems, warnings = [], []
    for name in ha.names:
        cf = hb_conf.ha_cf(ha.node(name))
        timing_problems, timing_warnings = live_checks.heartbeat_timings(name, cf)
        problems += live_checks.ha_nodes(name, cf, unames) + timing_problems
        warnings += timing_warnings
    judged(problems, warnings)


@then("no node starts Heartbeat, DRBD or MariaDB at boot")
def _(ha: HeartbeatCluster) -> None:
    judged([f"{name}: systemctl is-enabled {unit}: enabled (the runbook starts it by hand, or Heartbeat)"
             for name in ha.names
             for unit, state in zip(AT_BOOT, host.enabled_states(ha.node(name), AT_BOOT), strict=True)
             if state == "enabled"])


# -- the group and MariaDB -----------------------------------------------------------------------------
@then("one node holds the whole group and the other none of it")
def _(ha: HeartbeatCluster) -> None:
    holder = ha.holder()
    attachments.parameter("held", ha.held_by_each().replace("\n", "; "))
    assert holder is not None, f"no node holds the whole group:\n{ha.held_by_each()}"
    others = {name: ha.holdings(name) for name in ha.names if name != holder}
    judged([f"{name} holds {h.summary()} while {holder} holds the group" for name, h in others.items()
             if h.vip or h.mounted or h.mysqld or h.role == "Primary"])


@then("MariaDB greets a client on the cluster network through the VIP")
def _(ha: HeartbeatCluster) -> None:
    version = greeting.through(ha.pair.lab, ha.vip, MARIADB_PORT)
    attachments.parameter(f"MariaDB on {ha.vip}:{MARIADB_PORT}", version)
    assert "MariaDB" in version, f"{ha.vip}:{MARIADB_PORT} greets as {version!r}, not MariaDB"


@then("MariaDB keeps its data on the replicated filesystem with innodb_flush_log_at_trx_commit = 1")
def _(ha: HeartbeatCluster) -> None:
    holder = ha.holder()
    assert holder is not None, f"no node holds the whole group:\n{ha.held_by_each()}"
    variables = mariadb_probe.variables(ha.node(holder), MARIADB_SETTINGS)
    attachments.parameter("MariaDB", ", ".join(f"{k} = {v}" for k, v in variables.items()))
    datadir, mountpoint = variables.get("datadir", "?"), ha.pair.mountpoint
    problems = [] if datadir.startswith(mountpoint.rstrip("/") + "/") else [
        f"{holder}: MariaDB's datadir is {datadir}, not on the replicated filesystem {mountpoint}"]
    more, warnings = live_checks.durability(holder, variables)
    judged(problems + more, warnings + live_checks.client_lookup(holder, variables))
