"""Steps of features/heartbeat under faults (book 7.2 step 14): power cut, return, standby, mysqld killed,
cable pulled. The canary's acknowledgements and the invariant monitor's samples are the evidence."""

from __future__ import annotations

import time
from typing import Any

import pytest
from pytest_bdd import parsers, then, when

from harness.clusters.heartbeat import HeartbeatCluster
from harness.lab.faults import Faults
from harness.ops import drbd as drbd_ops
from harness.ops import heartbeat as hb
from harness.ops import mariadb
from harness.probes import drbd_log
from harness.report import attachments
from harness.verdicts import claims, measurements
from harness.waiting import eventually
from harness.workloads.acks import AckLog

from .drbd_common import repair_split_brain
from .heartbeat_common import phases
from .service_common import NO_INTERRUPTION_S, ROWS_AFTER_RECOVERY, Watch, observe, writes_resumed

REJOIN_WATCH_S = 15.0          # how long the group is watched after the master has rejoined


def _phases(ha: HeartbeatCluster, name: str, log_offset: int, at: float, acks: AckLog,
            until: float | None = None) -> dict[str, float]:
    """The phases in the node's ha-log after `at`, and when the canary's writes went through again
    (after the longest outage between `at` and `until`)."""
    found = phases(ha, name, log_offset, at)
    resumed = writes_resumed(acks, at, until)
    if resumed is not None:
        found["writes_resumed"] = round(resumed, 1)
    return found


# -- faults ----------------------------------------------------------------------------------------
@when(parsers.parse("hb_standby is run on {name}"))
def _(ha: HeartbeatCluster, name: str, facts: dict[str, Any]) -> None:
    facts.update(fault="standby", master=name, log_offset=ha.log_offsets(), fault_at=time.monotonic())
    hb.standby(ha.node(name))


@when(parsers.parse("mysqld on {name} is killed with {signal} and the cluster is watched for {seconds:d} "
                    "seconds"))
def _(ha: HeartbeatCluster, name: str, signal: str, seconds: int, facts: dict[str, Any]) -> None:
    facts.update(fault="kill_mysqld", master=name, signal=signal, log_offset=ha.log_offsets(),
                 restarts_before=_restarts(ha, name))
    facts["fault_at"] = time.monotonic()
    mariadb.kill_server(ha.node(name), signal)
    observe(seconds)


def _restarts(ha: HeartbeatCluster, name: str) -> int:
    out = ha.node(name).run("systemctl show mariadb -p NRestarts --value").stdout.strip()
    return int(out) if out.isdigit() else 0


@when(parsers.parse("{name}'s cluster cable is pulled while the canary writes"))
def _(ha: HeartbeatCluster, name: str, faults: Faults, facts: dict[str, Any]) -> None:
    facts.update(fault="cut_link", master=name, log_offset=ha.log_offsets(),
                 log_mark={n: drbd_log.mark(ha.node(n), "cable pulled") for n in ha.names})
    facts["fault_at"] = faults.cut_link(name)


@when(parsers.parse("the cable is plugged back after {seconds:d} seconds"))
def _(faults: Faults, seconds: int, facts: dict[str, Any]) -> None:
    observe(max(0.0, facts["fault_at"] + seconds - time.monotonic()))
    facts["restored_at"] = faults.restore_link(facts["master"])


@when(parsers.parse("{name} is powered on, then DRBD and Heartbeat are started on it by hand"))
def _(ha: HeartbeatCluster, name: str, faults: Faults, facts: dict[str, Any]) -> None:
    faults.power_on(name)
    facts["log_offset"] = ha.log_offsets()
    drbd_ops.start_service(ha.node(name))          # the book: DRBD does not start at boot
    ha.pair.await_state(name, "cs:Connected ro:Secondary/Primary ds:UpToDate/UpToDate", timeout=120)
    facts["rejoin_at"] = time.monotonic()
    hb.start(ha.node(name))


# -- what happened ---------------------------------------------------------------------------------
@then(parsers.parse("the group is on {where} once {name} has rejoined"))
def _(ha: HeartbeatCluster, where: str, name: str, facts: dict[str, Any]) -> None:
    other = ha.pair.other(name)
    eventually(lambda: hb.log_since(ha.node(other), facts["log_offset"][other]),
               lambda text: f"Status update for node {name}: status active" in text, timeout=60,
               describe=f"{other} sees {name} active")
    if where == name:
        ha.await_group(name)
    else:
        observe(REJOIN_WATCH_S)
    holder = ha.holder()
    facts["after_return"] = holder
    assert holder == where, f"the group is on {holder or 'no node'}, not {where}"


def _record(request: pytest.FixtureRequest, facts: dict[str, Any], findings_n: int, acks: AckLog,
            rto: float | None, phase_list: dict[str, float], **more: Any) -> None:
    measurements.record({
        "scenario": request.node.name, "stack": "heartbeat", "fault": facts["fault"],
        "acked": len(acks.numbers), "lost": len(facts.get("lost", [])),
        "rto_s": round(rto, 2) if rto is not None else None, "phases": phase_list,
        "violations": findings_n, **more})


@then(parsers.parse("the {what} is recorded with its outage and the phases from {name}'s ha-log"))
def _(ha: HeartbeatCluster, what: str, name: str, watch: Watch, facts: dict[str, Any],
      request: pytest.FixtureRequest) -> None:
    acks: AckLog = facts["acks"]
    at = facts["fault_at"]
    found = _phases(ha, name, facts["log_offset"][name], at, acks)
    _record(request, facts, len(watch.stop_monitor().episodes), acks, acks.outage_s(at), found)
    attachments.parameter(f"{what}: phases (s after the fault)", found)


@then("the return of vm01 is recorded with the outage it caused")
def _(ha: HeartbeatCluster, watch: Watch, facts: dict[str, Any], request: pytest.FixtureRequest) -> None:
    acks: AckLog = facts["acks"]
    at = facts["rejoin_at"]
    where = facts["after_return"]
    found = _phases(ha, where, facts["log_offset"][where], at, acks)
    second = acks.outage_s(at)
    facts["second_outage_s"] = second
    facts["fault"] = "failback" if where == facts["master"] else "rejoin"
    _record(request, facts, len(watch.stop_monitor().episodes), acks, second, found,
            first_outage_s=round(acks.outage_s(facts["fault_at"], until=at) or 0.0, 2))


# -- mysqld killed ---------------------------------------------------------------------------------
@then(parsers.parse("the VIP stayed on {name} and {other} took nothing"))
def _(ha: HeartbeatCluster, name: str, other: str, watch: Watch) -> None:
    assert ha.holdings(name).vip, f"the VIP left {name}"
    timeline = watch.monitor.findings.timeline if watch.monitor else []
    took = [held[other] for _, held in timeline if held.get(other, "").split()[0] != "Secondary"]
    assert not took, f"{other} held {took} while mysqld was down on {name}"


@then(parsers.parse("mysqld on {name} is running again, restarted by systemd"))
def _(ha: HeartbeatCluster, name: str, facts: dict[str, Any]) -> None:
    assert ha.holdings(name).mysqld and ha.serves(name), f"mysqld on {name} is not back"
    restarts = _restarts(ha, name) - facts["restarts_before"]
    attachments.parameter("restarts of mariadb.service by systemd", restarts)
    assert restarts >= 1, f"mysqld runs on {name}, but systemd did not restart it"


@then(parsers.parse("mysqld on {name} is still stopped"))
def _(ha: HeartbeatCluster, name: str) -> None:
    assert not ha.holdings(name).mysqld, f"mysqld runs on {name} again"


@then("the loss of mysqld is recorded with the canary's outage")
def _(ha: HeartbeatCluster, watch: Watch, facts: dict[str, Any], request: pytest.FixtureRequest) -> None:
    name = facts["master"]
    canary = watch.running_canary()
    acks = canary.stop()
    gap = acks.outage(facts["fault_at"])
    restarted = _restarts(ha, name) > facts["restarts_before"]
    if not ha.serves(name):                  # the operator's repair, so the rows can be counted
        mariadb.start(ha.node(name))
    present = mariadb.rows(ha.node(name), canary.table)
    facts.update(acks=acks, lost=sorted(set(acks.numbers) - present))
    found = _phases(ha, name, facts["log_offset"][name], facts["fault_at"], acks)
    resumed = gap is not None and gap[2]
    _record(request, facts, len(watch.stop_monitor().episodes), acks,
            gap[1] - gap[0] if gap is not None and resumed else None,
            found, signal=facts["signal"], writes_resumed=resumed,
            longest_without_writes_s=round(gap[1] - gap[0], 2) if gap else None,
            recovered_by="systemd" if restarted else "nobody (the harness started it after the window)")
    assert not facts["lost"], f"{len(facts['lost'])} acknowledged rows lost"


# -- the cable pulled ------------------------------------------------------------------------------
@then(parsers.parse("{taker} takes the group while {keeper} keeps it: the VIP and DRBD Primary on both "
                    "nodes"))
def _(ha: HeartbeatCluster, taker: str, keeper: str) -> None:
    ha.await_group(taker)
    kept = ha.holdings(keeper)
    assert kept.vip and kept.role == "Primary", f"{keeper} holds {kept.summary()}"
    attachments.parameter("both hold", f"{taker}: {ha.holdings(taker).summary()}; {keeper}: {kept.summary()}")


@then("the group is on one node once both Heartbeats have restarted")
def _(ha: HeartbeatCluster, facts: dict[str, Any]) -> None:
    for name in ha.names:
        eventually(lambda n=name: hb.log_since(ha.node(n), facts["log_offset"][n]),  # type: ignore[misc]
                   lambda text: "Performing heartbeat restart exec" in text, timeout=60,
                   describe=f"Heartbeat on {name} restarting after the partition")
    holder = eventually(lambda: ha.holder(), bool, timeout=120, interval=1.0,
                        describe="the group on one node after the restart")
    facts.update(survivor=holder, group_back_at=time.monotonic())
    attachments.parameter("the group after the partition", holder)


@then("DRBD on each node is StandAlone after a split brain")
def _(ha: HeartbeatCluster) -> None:
    for name in ha.names:
        seen = ha.pair.await_state(name, "cs:StandAlone", timeout=30)
        attachments.parameter(f"DRBD on {name}", seen.state)


@then("the invariant monitor saw the VIP and DRBD Primary on both nodes")
def _(ha: HeartbeatCluster, watch: Watch, facts: dict[str, Any]) -> None:
    findings = watch.stop_monitor()
    origin = facts["fault_at"]
    both = " and ".join(ha.names)
    kinds = {e.what for e in findings.episodes}
    attachments.attach_text("invariants broken (s after the cable was pulled)",
                          "\n".join(e.render(origin) for e in findings.episodes))
    attachments.parameter("unsafe", "no fencing: both nodes held the VIP and DRBD Primary at once")
    facts["violations"] = len(findings.episodes)
    assert {f"the VIP on {both}", f"DRBD Primary on {both}"} <= kinds, f"the monitor saw only {sorted(kinds)}"


@when("the split brain is repaired with the book's procedure, the node without the group the victim")
def _(ha: HeartbeatCluster, facts: dict[str, Any]) -> None:
    survivor = facts["survivor"]
    repair_split_brain(ha.pair, ha.pair.other(survivor), survivor, facts)


@then("the acknowledged rows the repair threw away are counted, all of them written while the cable was out")
def _(ha: HeartbeatCluster, watch: Watch, facts: dict[str, Any], request: pytest.FixtureRequest) -> None:
    survivor = facts["survivor"]
    ha.pair.await_state(survivor, "cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate", timeout=120)
    canary = watch.running_canary()
    canary.wait_for(len(canary.log.acked) + ROWS_AFTER_RECOVERY, timeout=60)
    acks = canary.stop()
    present = mariadb.rows(ha.node(survivor), canary.table)
    lost = sorted(set(acks.numbers) - present)
    window = set(acks.acked_between(facts["fault_at"], facts["group_back_at"]))
    facts.update(acks=acks, lost=lost)
    attachments.attach_text("acknowledged rows thrown away by the repair",
                            " ".join(map(str, lost)) or "(none)")
    taker = ha.pair.other(facts["master"])
    found = _phases(ha, taker, facts["log_offset"][taker], facts["fault_at"], acks, facts["restored_at"])
    _record(request, facts, facts["violations"], acks, acks.outage_s(facts["fault_at"], facts["restored_at"]),
            found, rejoin_outage_s=round(acks.outage_s(facts["restored_at"]) or 0.0, 2), survivor=survivor)
    outside = sorted(set(lost) - window)
    assert not outside, f"rows lost that were acknowledged outside the partition: {outside[:20]}"


# -- the book's claims -----------------------------------------------------------------------------
@then(parsers.parse('the book\'s claim "{claim}" is judged by where the group went'))
def _(ha: HeartbeatCluster, claim: str, facts: dict[str, Any], request: pytest.FixtureRequest) -> None:
    master = facts["master"]
    holder = ha.holder()
    held = holder is not None and holder != master
    vip_on = [name for name in ha.names if name not in ha.pair.lab.powered_off() and ha.holdings(name).vip]
    claims.judge(request.node.name, claim, held,
                 f"after {facts['fault']} on {master}, the whole group is on {holder or 'no node'}; "
                 f"the VIP is on {', '.join(vip_on) or 'no node'}")


@then(parsers.parse('the book\'s claim "{claim}" is judged by whether the group stayed on {standby} without '
                    'a second outage'))
def _(claim: str, standby: str, facts: dict[str, Any], request: pytest.FixtureRequest) -> None:
    second = facts["second_outage_s"]
    stayed = facts["after_return"] == standby
    held = stayed and second is not None and second < NO_INTERRUPTION_S
    claims.judge(request.node.name, claim, held,
                 f"once {facts['master']} had rejoined, the group was on {facts['after_return']}; the "
                 f"longest time without a write from then on was "
                 f"{second if second is None else round(second, 2)} s")
