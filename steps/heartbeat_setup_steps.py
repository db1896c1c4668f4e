"""Steps of features/heartbeat: configure and start (book 7.2 steps 11-13)."""

from __future__ import annotations

import time

from pytest_bdd import given, then, when

from harness.clusters.heartbeat import HeartbeatCluster
from harness.ops import heartbeat as hb
from harness.ops import mariadb
from harness.probes import heartbeat as hb_conf
from harness.probes import host, logs, service_state
from harness.probes import mariadb as mariadb_conf
from harness.report import attachments
from harness.scenario import Scenario, need
from harness.verdicts import claims
from harness.waiting import eventually

from . import book

GROUP_PARTS = "DRBD Primary, /data mounted, the VIP up and mysqld running"


# -- known states ----------------------------------------------------------------------------------
@given("MariaDB's data is on /data and Heartbeat is configured on both nodes but stopped")
def _(ha: HeartbeatCluster) -> None:
    ha.ensure_installed()


@given(book.parse("Heartbeat runs on both nodes with auto_failback {setting}, the group on vm01"))
def _(ha: HeartbeatCluster, setting: str) -> None:
    first = book.host("vm01")
    on = {"off": (), "on": tuple(ha.names), "on for vm01, off for vm02, as the book prints it": (first,)}
    if setting not in on:
        raise ValueError(f"auto_failback is one of {list(on)}, not {setting!r}")
    ha.ensure_running(auto_failback=on[setting])
    for name in ha.names:
        attachments.attach_text(f"ha.cf on {name}", hb_conf.ha_cf(ha.node(name)).text)


# -- 7.2 steps 11-12: configuration ----------------------------------------------------------------
@then("ha.cf on each node names the nodes as uname -n does and sends heartbeats to the other node")
def _(ha: HeartbeatCluster) -> None:
    for name in ha.names:
        node = ha.node(name)
        conf = hb_conf.ha_cf(node)
        attachments.attach_text(f"ha.cf on {name}", conf.text)
        uname = host.uname(node)
        assert uname == name, f"{name} calls itself {uname!r}"
        assert list(conf.nodes) == ha.names, f"{name}: ha.cf names the nodes {conf.nodes}"
        others = [p.address for p in ha.pair.res.peers if p.name != name]
        assert [address for _, address in conf.ucasts] == others, f"{name}: ucast to {conf.ucasts}"


@then(book.parse("the timings make sense: keepalive {keepalive:d} s, deadtime {deadtime:d} s, "
                 "warntime {warntime:d} s, initdead {initdead:d} s"))
def _(ha: HeartbeatCluster, keepalive: int, deadtime: int, warntime: int, initdead: int) -> None:
    c = ha.cluster
    chosen = (c.keepalive_s, c.deadtime_s, c.warntime_s, c.initdead_s)
    assert chosen == (keepalive, deadtime, warntime, initdead), f"the cluster's timings are {chosen}"
    assert not hb.timing_problems(c), hb.timing_problems(c)
    for name in ha.names:
        conf = hb_conf.ha_cf(ha.node(name))
        seen = {key: conf.seconds(key) for key in ("keepalive", "deadtime", "warntime", "initdead")}
        assert seen == {"keepalive": keepalive, "deadtime": deadtime, "warntime": warntime,
                        "initdead": initdead}, f"{name}: {seen}"


@then(book.parse('authkeys on each node reads "{first}" and "{second}" with mode {mode}'))
def _(ha: HeartbeatCluster, first: str, second: str, mode: str) -> None:
    for name in ha.names:
        keys = hb_conf.authkeys(ha.node(name))
        assert keys.mode_owner == f"{mode} root", f"{name}: authkeys is {keys.mode_owner}"
        assert list(keys.lines) == [first, second], f"{name}: authkeys reads {keys.lines}"


@then(book.parse('haresources on each node reads "{line}"'))
def _(ha: HeartbeatCluster, line: str) -> None:
    want = book.on_site(line, ha.vip)
    for name in ha.names:
        seen = hb_conf.haresources(ha.node(name))
        assert seen == [want], f"{name}: haresources reads {seen}"


@then("the resource script mysql on each node is MariaDB's init script")
def _(ha: HeartbeatCluster) -> None:
    for name in ha.names:
        target = hb_conf.resource_script(ha.node(name), mariadb.RESOURCE_SCRIPT)
        assert target == mariadb.INIT_SCRIPT, f"{name}: {mariadb.RESOURCE_SCRIPT} -> {target}"


@then(book.parse("MariaDB on each node keeps its data in {datadir} with "
                 "innodb_flush_log_at_trx_commit = {flush:d}"))
def _(ha: HeartbeatCluster, datadir: str, flush: int) -> None:
    datadir = book.on_site(datadir, ha.vip)
    for name in ha.names:
        out = mariadb_conf.server_options(ha.node(name))
        attachments.attach_text(f"MariaDB's server settings on {name}", out.rstrip("\n"))
        settings = mariadb_conf.parse_options(out)
        assert settings.get("datadir") == datadir, f"{name}: datadir {settings.get('datadir')}"
        assert settings.get("innodb_flush_log_at_trx_commit") == str(flush), f"{name}: {settings}"


@then("neither Heartbeat, DRBD nor MariaDB is enabled at boot on any node")
def _(ha: HeartbeatCluster) -> None:
    for name in ha.names:
        out = host.enabled_states(ha.node(name), ["heartbeat", "drbd", "mariadb"])
        assert out == ["disabled"] * 3, f"{name}: heartbeat, drbd, mariadb are {out}"


@when(book.parse("authkeys on {name} is made mode {mode} and Heartbeat is started there"))
def _(ha: HeartbeatCluster, name: str, mode: str, scenario: Scenario) -> None:
    node = ha.node(name)
    hb.set_authkeys_mode(node, mode)
    scenario.log_cursor = logs.end_of(node, hb_conf.HA_LOG)
    scenario.start = started = hb.start(node, warn=True)
    attachments.parameter("exit code of /etc/init.d/heartbeat start", started.exit_code)


@then(book.parse("Heartbeat is not running on {name}"))
def _(ha: HeartbeatCluster, name: str) -> None:
    node = ha.node(name)
    state = eventually(lambda: host.unit_state(node, "heartbeat"),
                       lambda s: s in ("failed", "inactive"), timeout=15,
                       describe=f"Heartbeat ended on {name}")
    assert not hb_conf.running(node), f"a heartbeat process runs on {name}"
    attachments.attach_text(f"heartbeat.service on {name}", host.unit_status(node, "heartbeat"))
    attachments.parameter("heartbeat.service", state)


@then(book.parse('the ha-log of {name} says "{words}"'))
def _(ha: HeartbeatCluster, name: str, words: str, scenario: Scenario) -> None:
    text = logs.since(ha.node(name), need(scenario.log_cursor, "the ha-log before the start"))
    attachments.attach_text(f"ha-log of {name}", text)
    assert words in text, f"no {words!r} in the ha-log of {name}:\n{text}"


# -- 7.2 step 13: start ----------------------------------------------------------------------------
@then("DRBD is Secondary on both nodes")
def _(ha: HeartbeatCluster) -> None:
    for name in ha.names:
        st = ha.pair.state(name)
        assert st.state.startswith("cs:Connected ro:Secondary/Secondary"), f"{name}: {st.state}"


@when("Heartbeat is started on both nodes with /etc/init.d/heartbeat start")
def _(ha: HeartbeatCluster, scenario: Scenario) -> None:
    scenario.log_cursors = ha.log_cursors()
    scenario.started_at = time.monotonic()
    ha.start_all()


@then(book.parse("{name} holds the group: " + GROUP_PARTS))
def _(ha: HeartbeatCluster, name: str, scenario: Scenario) -> None:
    ha.await_group(name)
    scenario.group_at[name] = time.monotonic()
    if scenario.started_at is not None:
        attachments.parameter("from start to the group up", f"{time.monotonic() - scenario.started_at:.1f} s")
    attachments.parameter(f"{name} holds", ha.holdings(name).summary())
    missing = service_state.missing(ha.node(name), ha.vip, ha.pair.mountpoint, ha.site.interface)
    assert not missing, f"testinfra does not find on {name}: {', '.join(missing)}"


@then(book.parse('the book\'s claim "{claim}" is judged by this start'))
def _(ha: HeartbeatCluster, claim: str, scenario: Scenario) -> None:
    """A start that took nothing (Heartbeat's start-up negotiation lost a message) is a verdict with what
    each node held and both ha-logs; the operator's remedy follows (stop both, start both again) and the
    scenario goes on from that start. A start that comes to nothing at all within the takeover timeout
    fails the step, with the same evidence."""
    took_nothing = ha.start_outcome(need(scenario.log_cursors or None, "the ha-logs before the start"))
    took_s = time.monotonic() - need(scenario.started_at, "the start's time")
    claims.judge(scenario.name, claim, not took_nothing,
                 took_nothing or f"{ha.preferred} held the group and served {took_s:.1f} s after the start")
    if took_nothing:
        ha.start_again()
        scenario.started_at = time.monotonic()


@then(book.re(r"(?P<name>[\w.-]+) holds none of it"))
def _(ha: HeartbeatCluster, name: str) -> None:
    h = ha.holdings(name)
    assert h.role == "Secondary" and not (h.vip or h.mounted or h.mysqld), f"{name} holds {h.summary()}"
