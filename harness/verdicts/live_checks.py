"""The checks of a running cluster against the runbook's end state (the `verify` area), as functions of what
was read from the nodes: each returns the problems it finds, one a line, naming the host, the file or
command, what was expected and what was found (empty: none). Nothing here reads or changes a node."""

from __future__ import annotations

from collections.abc import Mapping

from harness.ops.drbd import DrbdResource
from harness.probes.drbd import Resource, whole
from harness.probes.drbd_conf import ResourceConf
from harness.probes.heartbeat import HaCf

SECRET_OPTIONS = {"shared-secret"}      # compared, never shown


def same_everywhere(what: str, seen: Mapping[str, object]) -> list[str]:
    """One problem a node whose reading differs from the first node's."""
    first, *others = seen
    return [f"{name}: {what} differs from {first}'s" for name in others if seen[name] != seen[first]]


def drbd_as_profile(conf: ResourceConf, res: DrbdResource, host: str) -> list[str]:
    """`drbdadm dump` on a host against the resource the site's profile describes."""
    problems = []
    if conf.name != res.name:
        problems.append(f"{host}: drbdadm dump names resource {conf.name!r}, the profile {res.name!r}")
    for peer in res.peers:
        block = conf.hosts.get(peer.name)
        if block is None:
            problems.append(f"{host}: drbdadm dump has no 'on {peer.name}' block (has {sorted(conf.hosts)})")
            continue
        want = {"device": res.device, "disk": peer.disk, "address": f"{peer.address}:{res.port}",
                "meta-disk": "internal"}
        got = {"device": block.device, "disk": block.disk, "address": block.address,
               "meta-disk": block.meta_disk}
        problems += [f"{host}: drbdadm dump, on {peer.name}: {key} {got[key]!r}, the profile {want[key]!r}"
                     for key in want if got[key] != want[key]]
    protocol = conf.options.get("protocol", "C")      # C is DRBD 8.4's default
    if protocol != res.protocol:
        problems.append(f"{host}: drbdadm dump: protocol {protocol}, the profile {res.protocol}")
    return problems


def dump_differences(confs: Mapping[str, ResourceConf]) -> list[str]:
    """Where the hosts' drbdadm dumps differ: hosts, devices, disks, addresses, options (secrets unshown)."""
    first, *others = confs
    problems = []
    for name in others:
        a, b = confs[first], confs[name]
        if a.hosts != b.hosts:
            problems.append(f"{name}: drbdadm dump's 'on HOST' blocks differ from {first}'s")
        for key in sorted(set(a.options) | set(b.options)):
            if a.options.get(key) != b.options.get(key):
                shown = "" if key in SECRET_OPTIONS else (
                    f": {b.options.get(key)!r} against {a.options.get(key)!r}")
                problems.append(f"{name}: drbdadm dump, option {key} differs from {first}'s{shown}")
    return problems


def replication(states: Mapping[str, Resource], mounted: Mapping[str, bool], mountpoint: str) -> list[str]:
    """Connected, UpToDate on both sides, nothing out of sync, Primary on exactly one node, and the
    filesystem mounted there only."""
    problems = [f"{name}: /proc/drbd reads {r.state} oos:{r.counters.get('oos', '?')}, not "
                "cs:Connected ds:UpToDate/UpToDate oos:0" for name, r in states.items() if not whole(r)]
    primaries = [name for name, r in states.items() if r.role == "Primary"]
    if len(primaries) != 1:
        problems.append(f"/proc/drbd: Primary on {primaries or 'no node'}, not on exactly one node")
    problems += [f"{name}: {mountpoint} is mounted, but {name} is not the Primary"
                 for name, yes in mounted.items() if yes and name not in primaries]
    problems += [f"{name}: the Primary, but {mountpoint} is not mounted there"
                 for name in primaries if not mounted.get(name)]
    return problems


def heartbeat_timings(host: str, cf: HaCf) -> tuple[list[str], list[str]]:
    """ha.cf's timings: problems (warntime not between keepalive and deadtime) and warnings (initdead
    below twice deadtime, as Heartbeat's own documentation advises; a single communication path)."""
    keepalive, deadtime, warntime, initdead = (cf.seconds(k) for k in
                                               ("keepalive", "deadtime", "warntime", "initdead"))
    problems = []
    if not keepalive < warntime < deadtime:
        problems.append(f"{host}: ha.cf warntime {warntime} s is not between keepalive {keepalive} s and "
                        f"deadtime {deadtime} s")
    warnings = []
    if initdead < 2 * deadtime:
        warnings.append(f"{host}: ha.cf initdead {initdead} s is below twice deadtime ({2 * deadtime} s)")
    paths = len(cf.ucasts) + sum(1 for key in ("bcast", "mcast", "serial") if key in cf.settings)
    if paths < 2:
        warnings.append(f"{host}: ha.cf names {paths} communication path(s): one lost link splits the "
                        "cluster (two are advised: a second network or a serial cable)")
    return problems, warnings


def ha_nodes(host: str, cf: HaCf, unames: Mapping[str, str]) -> list[str]:
    """ha.cf's `node` lines against each node's `uname -n`."""
    if set(cf.nodes) == set(unames.values()):
        return []
    return [f"{host}: ha.cf's node lines name {sorted(cf.nodes)}, the nodes' uname -n is "
            f"{sorted(unames.values())}"]


def durability(host: str, variables: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """MariaDB's durability: innodb_flush_log_at_trx_commit 1 (a problem if not); sync_binlog 1 where
    the binary log is on (a warning if not)."""
    problems, warnings = [], []
    flush = variables.get("innodb_flush_log_at_trx_commit", "?")
    if flush != "1":
        problems.append(f"{host}: MariaDB innodb_flush_log_at_trx_commit = {flush}, not 1: a commit "
                        "acknowledged before the crash may be lost")
    if variables.get("log_bin", "OFF") == "ON" and variables.get("sync_binlog", "?") != "1":
        warnings.append(f"{host}: MariaDB's binary log is on with sync_binlog = "
                        f"{variables.get('sync_binlog', '?')}, not 1")
    return problems, warnings


def client_lookup(host: str, variables: Mapping[str, str]) -> list[str]:
    """A warning unless MariaDB knows its clients by address (skip_name_resolve ON): otherwise each new
    connection waits on a name server, for its whole timeout when none answers (after a failover too)."""
    found = variables.get("skip_name_resolve", "?")
    if found == "ON":
        return []
    return [f"{host}: MariaDB skip_name_resolve = {found}, not ON: every new client's address is looked up "
            "at login, and a name server out of reach holds each connection for its timeout"]
