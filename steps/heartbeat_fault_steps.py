"""Steps of features/heartbeat under faults (book 7.2 step 14): power cut, return, standby, mysqld killed,
cable pulled. The canary's acknowledgements and the invariant monitor's samples are the evidence."""

from __future__ import annotations

import time
from typing import Any

from pytest_bdd import then, when

from harness.clusters.heartbeat import HeartbeatCluster
from harness.lab.faults import Faults
from harness.ops import drbd as drbd_ops
from harness.ops import heartbeat as hb
from harness.ops import mariadb
from harness.probes import host, logs
from harness.probes import mariadb as mariadb_probe
from harness.report import attachments
from harness.scenario import Scenario, need, need_capability
from harness.verdicts import claims, history, measurements
from harness.verdicts.measurements import Measurement
from harness.waiting import eventually
from harness.workloads.acks import AckLog
from harness.workloads.invariants import UNKNOWN, Findings
from harness.workloads.watch import NO_INTERRUPTION_S, ROWS_AFTER_RECOVERY, Watch, observe

from . import book
from .drbd_common import WHOLE
from .heartbeat_common import fault_begins, phases, rounded

REJOIN_WATCH_S = 15.0          # how long the group is watched after the master has rejoined


# -- faults ----------------------------------------------------------------------------------------
@when(book.parse("hb_standby is run on {name}"))
def _(ha: HeartbeatCluster, name: str, scenario: Scenario) -> None:
    scenario.fault, scenario.master, scenario.log_cursors = "standby", name, ha.log_cursors()
    scenario.fault_at = time.monotonic()
    hb.standby(ha.node(name))


@when(book.parse("mysqld on {name} is killed with {signal} and the cluster is watched for {seconds:d} "
                 "seconds"))
def _(ha: HeartbeatCluster, name: str, signal: str, seconds: int, scenario: Scenario) -> None:
    scenario.fault, scenario.master, scenario.signal = "kill_mysqld", name, signal
    scenario.log_cursors = ha.log_cursors()
    scenario.restarts_before = host.unit_restarts(ha.node(name), "mariadb")
    scenario.fault_at = time.monotonic()
    mariadb.kill_server(ha.node(name), signal)
    observe(seconds)


@when(book.parse("{name}'s cluster cable is pulled while the canary writes"))
def _(ha: HeartbeatCluster, name: str, faults: Faults, scenario: Scenario) -> None:
    need_capability(ha.lab, "cut_link", "pull a node's cluster cable")
    fault_begins(ha, scenario, "cut_link", name, "cable pulled")
    scenario.fault_at = faults.cut_link(name)


@when(book.parse("the cable is plugged back after {seconds:d} seconds"))
def _(faults: Faults, seconds: int, scenario: Scenario) -> None:
    observe(max(0.0, need(scenario.fault_at, "the fault's time") + seconds - time.monotonic()))
    scenario.restored_at = faults.restore_link(need(scenario.master, "the node whose cable was pulled"))


@when(book.parse("{name} is powered on, then DRBD and Heartbeat are started on it by hand"))
def _(ha: HeartbeatCluster, name: str, faults: Faults, scenario: Scenario) -> None:
    faults.power_on(name)
    scenario.log_cursors = ha.log_cursors()
    drbd_ops.start_service(ha.node(name))          # the book: DRBD does not start at boot
    ha.pair.await_state(name, "cs:Connected ro:Secondary/Primary ds:UpToDate/UpToDate", timeout=120)
    scenario.rejoin_at = time.monotonic()
    hb.start(ha.node(name))


# -- what happened ---------------------------------------------------------------------------------
@then(book.parse("the group is on {where} once {name} has rejoined"))
def _(ha: HeartbeatCluster, where: str, name: str, scenario: Scenario) -> None:
    other = ha.pair.other(name)
    eventually(lambda: logs.since(ha.node(other), scenario.log_cursors[other]),
               lambda text: f"Status update for node {name}: status active" in text, timeout=60,
               describe=f"{other} sees {name} active")
    if where == name:
        ha.await_group(name)
    else:
        observe(REJOIN_WATCH_S)
    holder = ha.holder()
    scenario.after_return = holder
    assert holder == where, f"the group is on {holder or 'no node'}, not {where}"


def _record(scenario: Scenario, findings: Findings, acks: AckLog, rto: float | None,
            found: dict[str, float], **more: Any) -> None:
    measurements.record(Measurement(
        scenario.name, "heartbeat", need(scenario.fault, "the fault"), acked=len(acks.numbers),
        lost=len(scenario.lost),
        rto_s=rounded(rto), phases=found, violations=len(findings.episodes), coverage=findings.coverage,
        **history.figures(scenario.verdict), **more))


@then(book.parse("the {what} is recorded with its outage and the phases from {name}'s ha-log"))
def _(ha: HeartbeatCluster, what: str, name: str, watch: Watch, scenario: Scenario) -> None:
    acks = need(scenario.acks, "the writer's acknowledgements")
    at = need(scenario.fault_at, "the fault's time")
    found = phases(ha, name, scenario.log_cursors[name], at, acks)
    _record(scenario, watch.stop_monitor(), acks, acks.outage_s(at), found)
    attachments.parameter(f"{what}: phases (s after the fault)", found)


@then("the return of vm01 is recorded with the outage it caused")
def _(ha: HeartbeatCluster, watch: Watch, scenario: Scenario) -> None:
    acks = need(scenario.acks, "the writer's acknowledgements")
    at = need(scenario.rejoin_at, "when the master rejoined")
    where = need(scenario.after_return, "where the group was after the return")
    fault_at = need(scenario.fault_at, "the fault's time")
    found = phases(ha, where, scenario.log_cursors[where], at, acks)
    second = acks.outage_s(at)
    scenario.second_outage_s = second
    scenario.fault = "failback" if where == scenario.master else "rejoin"
    _record(scenario, watch.stop_monitor(), acks, second, found,
            first_outage_s=round(acks.outage_s(fault_at, until=at) or 0.0, 2))


# -- mysqld killed ---------------------------------------------------------------------------------
@then(book.parse("the VIP stayed on {name} and {other} took nothing"))
def _(ha: HeartbeatCluster, name: str, other: str, watch: Watch) -> None:
    assert ha.holdings(name).vip, f"the VIP left {name}"
    seen = [held[other] for _, held in watch.timeline() if held.get(other, UNKNOWN) != UNKNOWN]
    assert seen, f"the invariant monitor never read {other}: what it held is unknown"
    took = [summary for summary in seen if summary.split()[0] != "Secondary"]
    assert not took, f"{other} held {took} during the fault on {name}"


@then(book.parse("mysqld on {name} is running again, restarted by systemd"))
def _(ha: HeartbeatCluster, name: str, scenario: Scenario) -> None:
    assert ha.holdings(name).mysqld and ha.serves(name), f"mysqld on {name} is not back"
    restarts = host.unit_restarts(ha.node(name), "mariadb") - need(scenario.restarts_before,
                                                                      "mariadb's restarts before the kill")
    attachments.parameter("restarts of mariadb.service by systemd", restarts)
    assert restarts >= 1, f"mysqld runs on {name}, but systemd did not restart it"


@then(book.parse("mysqld on {name} is still stopped"))
def _(ha: HeartbeatCluster, name: str) -> None:
    assert not ha.holdings(name).mysqld, f"mysqld runs on {name} again"


@then("the loss of mysqld is recorded with the canary's outage")
def _(ha: HeartbeatCluster, watch: Watch, scenario: Scenario) -> None:
    name = need(scenario.master, "the node whose mysqld was killed")
    at = need(scenario.fault_at, "the fault's time")
    canary = watch.running_canary()
    acks = canary.stop()
    gap = acks.outage(at)
    restarted = host.unit_restarts(ha.node(name), "mariadb") > need(scenario.restarts_before,
                                                                      "mariadb's restarts before the kill")
    if not ha.serves(name):                  # the operator's repair, so the rows can be counted
        mariadb.start(ha.node(name))
    verdict = history.judged(acks, mariadb_probe.rows(ha.node(name), canary.table), name)
    scenario.acks, scenario.verdict = acks, verdict
    found = phases(ha, name, scenario.log_cursors[name], at, acks)
    resumed = gap is not None and gap[2]
    _record(scenario, watch.stop_monitor(), acks,
            gap[1] - gap[0] if gap is not None and resumed else None,
            found, signal=scenario.signal, writes_resumed=resumed,
            longest_without_writes_s=round(gap[1] - gap[0], 2) if gap else None,
            recovered_by="systemd" if restarted else "nobody (the harness started it after the window)")
    assert not verdict.anomalies, f"the canary's rows on {name}: {verdict.summary()}"


# -- the cable pulled ------------------------------------------------------------------------------
@then(book.parse("{taker} takes the group while {keeper} keeps it: the VIP and DRBD Primary on both "
                 "nodes"))
def _(ha: HeartbeatCluster, taker: str, keeper: str) -> None:
    ha.await_group(taker)
    kept = ha.holdings(keeper)
    assert kept.vip and kept.role == "Primary", f"{keeper} holds {kept.summary()}"
    attachments.parameter("both hold", f"{taker}: {ha.holdings(taker).summary()}; {keeper}: {kept.summary()}")


@then("the group is on one node once both Heartbeats have restarted")
def _(ha: HeartbeatCluster, scenario: Scenario) -> None:
    for name in ha.names:
        eventually(lambda n=name: logs.since(ha.node(n), scenario.log_cursors[n]),  # type: ignore[misc]
                   lambda text: "Performing heartbeat restart exec" in text, timeout=60,
                   describe=f"Heartbeat on {name} restarting after the partition")
    holder = eventually(lambda: ha.holder(), bool, timeout=120, interval=1.0,
                        describe="the group on one node after the restart")
    scenario.survivor, scenario.group_back_at = str(holder), time.monotonic()
    attachments.parameter("the group after the partition", holder)


@then("DRBD has dropped the connection: StandAlone on a node that detected the split brain, StandAlone or "
      "WFConnection on the other")
def _(ha: HeartbeatCluster, scenario: Scenario) -> None:
    states = ha.pair.await_split_brain()
    scenario.detected = [name for name, seen in states.items() if seen.connection == "StandAlone"]
    for name, seen in states.items():
        attachments.parameter(f"DRBD on {name}", seen.state)


@then("the invariant monitor saw the VIP and DRBD Primary on both nodes")
def _(ha: HeartbeatCluster, watch: Watch, scenario: Scenario) -> None:
    findings = watch.stop_monitor()
    both = " and ".join(ha.names)
    kinds = {e.what for e in findings.episodes}
    attachments.attach_text("invariants broken (s after the cable was pulled)",
                            "\n".join(e.render(need(scenario.fault_at, "the fault's time"))
                                      for e in findings.episodes))
    attachments.parameter("unsafe", "no fencing: both nodes held the VIP and DRBD Primary at once")
    assert {f"the VIP on {both}", f"DRBD Primary on {both}"} <= kinds, f"the monitor saw only {sorted(kinds)}"


@when("the split brain is repaired with the book's procedure, the node without the group the victim")
def _(ha: HeartbeatCluster, scenario: Scenario) -> None:
    survivor = scenario.survivor
    scenario.victim = ha.pair.other(survivor)
    scenario.repair_marks = ha.pair.mark_logs("repair")
    ha.pair.repair_split_brain(scenario.victim, survivor)


@then("the acknowledged rows the repair threw away are counted, all of them written while the cable was out")
def _(ha: HeartbeatCluster, watch: Watch, scenario: Scenario) -> None:
    survivor = scenario.survivor
    ha.pair.await_state(survivor, WHOLE, timeout=120)
    canary = watch.running_canary()
    canary.wait_for(len(canary.log.acked) + ROWS_AFTER_RECOVERY, timeout=60)
    acks = canary.stop()
    verdict = history.judged(acks, mariadb_probe.rows(ha.node(survivor), canary.table), survivor)
    lost = list(verdict.lost)                # what the repair threw away: expected here, and counted
    at = need(scenario.fault_at, "the fault's time")
    window = set(acks.acked_between(at, need(scenario.group_back_at, "when the group was back")))
    scenario.acks, scenario.verdict = acks, verdict
    attachments.attach_text("acknowledged rows thrown away by the repair",
                            " ".join(map(str, lost)) or "(none)")
    taker = ha.pair.other(need(scenario.master, "the node whose cable was pulled"))
    restored = need(scenario.restored_at, "when the cable was plugged back")
    found = phases(ha, taker, scenario.log_cursors[taker], at, acks, restored)
    _record(scenario, watch.stop_monitor(), acks, acks.outage_s(at, restored),
            found, rejoin_outage_s=rounded(acks.outage_s(restored)), survivor=survivor)
    outside = sorted(set(lost) - window)
    assert not outside, f"rows lost that were acknowledged outside the partition: {outside[:20]}"
    assert not verdict.anomalies_besides("lost"), f"the canary's rows on {survivor}: {verdict.summary()}"


# -- the book's claims -----------------------------------------------------------------------------
@then(book.parse('the book\'s claim "{claim}" is judged by where the group went'))
def _(ha: HeartbeatCluster, claim: str, scenario: Scenario) -> None:
    master = need(scenario.master, "the node the fault struck")
    holder = ha.holder()
    held = holder is not None and holder != master
    vip_on = [name for name in ha.names if name not in ha.powered_off() and ha.holdings(name).vip]
    claims.judge(scenario.name, claim, held,
                 f"after {scenario.fault} on {master}, the whole group is on {holder or 'no node'}; "
                 f"the VIP is on {', '.join(vip_on) or 'no node'}")


@then(book.parse('the book\'s claim "{claim}" is judged by whether the group stayed on {standby} without '
                 'a second outage'))
def _(claim: str, standby: str, scenario: Scenario) -> None:
    second = scenario.second_outage_s
    stayed = scenario.after_return == standby
    held = stayed and second is not None and second < NO_INTERRUPTION_S
    claims.judge(scenario.name, claim, held,
                 f"once {scenario.master} had rejoined, the group was on {scenario.after_return}; the "
                 f"longest time without a write from then on was "
                 f"{second if second is None else round(second, 2)} s")
