"""Steps of features/rhcs under faults: power cut, frozen node, relocation, a broken fence device. The
canary's acknowledgements, the invariant monitor and node2's pacemaker log are the evidence."""

from __future__ import annotations

import time
from typing import Any

import pytest
from pytest_bdd import given, parsers, then, when

from harness.clusters.pacemaker import PacemakerCluster
from harness.lab.faults import Faults
from harness.lab.providers.base import Provider, ProviderError
from harness.ops import pacemaker as pm
from harness.probes import pcmk_log
from harness.probes.pcmk_log import Event
from harness.report import attachments
from harness.verdicts import claims, measurements
from harness.waiting import eventually
from harness.workloads.acks import AckLog

from .rhcs_common import takeover
from .service_common import Watch, observe, writes_resumed

FENCE_FAIL_TIMEOUT_S = 180.0


def _record(request: pytest.FixtureRequest, facts: dict[str, Any], watch: Watch, fault: str,
            rto: float | None, phases: dict[str, float], **more: Any) -> None:
    acks: AckLog | None = facts.get("acks")
    measurements.record({
        "scenario": request.node.name, "stack": "pacemaker", "fault": fault,
        "acked": len(acks.numbers) if acks else 0, "lost": len(facts.get("lost", [])),
        "rto_s": round(rto, 2) if rto is not None else None, "phases": phases,
        "violations": len(watch.stop_monitor().episodes), **more})


# -- the takeover ------------------------------------------------------------------------------------
@then(parsers.parse("{survivor} fences {victim} and only then mounts /data, as {again}'s pacemaker log "
                    "shows"))
def _(pcmk: PacemakerCluster, survivor: str, victim: str, again: str, facts: dict[str, Any]) -> None:
    assert again == survivor, f"the step names {survivor} and {again}"
    pcmk.await_service(survivor)
    events = takeover(pcmk, survivor, facts)
    fenced = pcmk_log.first(events, "fenced", victim)
    mount = pcmk_log.first(events, "start asked", "data_fs")
    attachments.parameter("fenced at / mount asked at (node's clock)", f"{fenced and fenced.at} / "
                                                                     f"{mount and mount.at}")
    facts["fence_before_mount"] = pcmk_log.fenced_before_mount(events, victim, "data_fs")
    facts["fence_evidence"] = (f"{survivor}'s pacemaker log: {victim} fenced at "
                               f"{fenced.at.time() if fenced else 'never'}, the mount of /data asked at "
                               f"{mount.at.time() if mount else 'never'} (the node's clock)")
    assert fenced is not None, f"{survivor}'s log shows no fencing of {victim}"
    assert mount is not None, f"{survivor}'s log shows no start of data_fs"
    assert facts["fence_before_mount"], f"/data was mounted at {mount.at}, before {victim} was fenced " \
                                        f"at {fenced.at}"


@then(parsers.parse("{name} runs mysql_service: /data mounted, the VIP up and mysqld running"))
def _(pcmk: PacemakerCluster, name: str, facts: dict[str, Any]) -> None:
    pcmk.await_service(name)
    facts.setdefault("service_up_at", time.monotonic())
    attachments.parameter(f"{name} holds", pcmk.holdings(name).summary())


@then(parsers.parse("the failover is recorded with its outage and the phases from {name}'s pacemaker log"))
def _(pcmk: PacemakerCluster, name: str, watch: Watch, facts: dict[str, Any],
      request: pytest.FixtureRequest) -> None:
    acks: AckLog = facts["acks"]
    at = facts["fault_at"]
    events: list[Event] = facts.get("events") or takeover(pcmk, name, facts)
    found = pcmk_log.phases(events, facts["origin"], facts["master"], pm.SERVICE_PHASES)
    resumed = writes_resumed(acks, at)
    if resumed is not None:
        found["writes_resumed"] = round(resumed, 2)
    _record(request, facts, watch, facts["fault"], acks.outage_s(at), found,
            fence_before_mount=facts.get("fence_before_mount"))
    attachments.parameter("phases (s after the fault)", found)


@then(parsers.parse('the book\'s claim "{claim}" is judged by the order of fencing and mount'))
def _(claim: str, facts: dict[str, Any], request: pytest.FixtureRequest) -> None:
    claims.judge(request.node.name, claim, facts.get("fence_before_mount") is True, facts["fence_evidence"])


@then(parsers.parse('the book\'s claim "{claim}" is judged by what {survivor} did while the fence failed'))
def _(claim: str, survivor: str, watch: Watch, facts: dict[str, Any], request: pytest.FixtureRequest) -> None:
    timeline = watch.monitor.findings.timeline if watch.monitor else []
    confirmed = facts["confirmed_at"]
    early = [at for at, held in timeline if at < confirmed and "/data" in held.get(survivor, "")]
    up = facts.get("service_up_at")
    claims.judge(request.node.name, claim, not early and up is not None,
                 f"fencing of {facts['master']} failed; {survivor} mounted /data "
                 f"{'before' if early else 'only after'} the operator confirmed the fence by hand, "
                 f"{round(up - confirmed, 1) if up else '-'} s after it")


# -- a frozen node -----------------------------------------------------------------------------------
@when(parsers.parse("{name} is frozen while the canary writes"))
def _(pcmk: PacemakerCluster, lab: Provider, name: str, faults: Faults, facts: dict[str, Any]) -> None:
    facts.update(fault="freeze", master=name, log_offset=pcmk.log_offsets(), frozen_pid=lab.node_pid(name),
                 bmc_log=len(lab.bmc_log(name)))
    facts["fault_at"] = faults.freeze(name)


@when(parsers.parse("the frozen {name} is let go on"))
def _(lab: Provider, name: str, faults: Faults, facts: dict[str, Any]) -> None:
    now = lab.node_pid(name)
    if now == facts["frozen_pid"]:
        facts["thawed"] = f"SIGCONT sent to the frozen kernel (PID {now})"
    else:
        facts["thawed"] = (f"nothing to thaw: the frozen kernel (PID {facts['frozen_pid']}) is gone; "
                           f"{name} runs as PID {now}" if now else f"nothing to thaw: {name} is off")
    try:
        faults.thaw(name)
    except ProviderError as exc:     # powered off between the look and the thaw
        facts["thawed"] += f" ({exc})"
    attachments.parameter("let go on", facts["thawed"])


@then(parsers.parse("the frozen {name} had already been powered off by the fence: its frozen processes "
                    "are gone"))
def _(lab: Provider, name: str, facts: dict[str, Any]) -> None:
    now = lab.node_pid(name)
    logged = lab.bmc_log(name)[facts["bmc_log"]:]
    attachments.attach_text(f"{name}'s BMC log from the freeze on", logged)
    assert "chassis power off" in logged, f"{name}'s BMC did not power it off: {logged!r}"
    assert now != facts["frozen_pid"], f"{name}'s frozen kernel (PID {now}) still runs"


# -- relocation --------------------------------------------------------------------------------------
@when(parsers.parse("mysql_service is relocated to {name} (the book's clusvcadm -r mysql_service -m "
                    "{again})"))
def _(pcmk: PacemakerCluster, name: str, again: str, facts: dict[str, Any]) -> None:
    assert again == name, f"the step names {name} and {again}"
    at = time.monotonic()
    facts.setdefault("moves", []).append((name, at, pcmk.log_offsets()))
    pm.relocate(pcmk.node(pcmk.other(name)), pcmk.service_name, name)


@then("both relocations are recorded with their outages")
def _(pcmk: PacemakerCluster, watch: Watch, facts: dict[str, Any], request: pytest.FixtureRequest) -> None:
    acks: AckLog = facts["acks"]
    moves = facts["moves"]
    for i, (name, at, offsets) in enumerate(moves):
        until = moves[i + 1][1] if i + 1 < len(moves) else None
        text, events, origin = pcmk.takeover_log(name, offsets[name], at)
        attachments.attach_text(f"pacemaker.log of {name} from the move to it", text)
        found = pcmk_log.phases(events, origin, "", pm.SERVICE_PHASES)
        resumed = writes_resumed(acks, at, until)
        if resumed is not None:
            found["writes_resumed"] = round(resumed, 2)
        _record(request, facts, watch, "relocate", acks.outage_s(at, until), found, to=name)


# -- a broken fence device ---------------------------------------------------------------------------
@given(parsers.parse("{name}'s fence device is broken: its BMC does not answer"))
def _(faults: Faults, name: str) -> None:
    faults.break_fence(name)


@when(parsers.parse("{name}'s power is cut"))
def _(pcmk: PacemakerCluster, name: str, faults: Faults, facts: dict[str, Any]) -> None:
    facts.update(fault="broken_fence", master=name, log_offset=pcmk.log_offsets())
    facts["fault_at"] = faults.power_off(name)


@then(parsers.parse("{survivor} tries to fence {victim}, and fails"))
def _(pcmk: PacemakerCluster, survivor: str, victim: str, facts: dict[str, Any]) -> None:
    offset = facts["log_offset"][survivor]
    text = eventually(lambda: pm.log_since(pcmk.node(survivor), offset),
                      lambda t: pcmk_log.first(pcmk_log.events(t, 2000), "fence failed", victim) is not None,
                      timeout=FENCE_FAIL_TIMEOUT_S, interval=2.0,
                      describe=f"{survivor}'s log saying the fencing of {victim} failed")
    failed = [line for line in text.splitlines() if "targeting" in line and victim in line]
    attachments.attach_text("fencing attempts", "\n".join(failed))
    facts["fence_failed_at"] = time.monotonic()


@then(parsers.parse("for {seconds:d} seconds {survivor} does not mount /data, raise the VIP or start mysqld"))
def _(survivor: str, seconds: int, watch: Watch) -> None:
    observe(seconds)
    timeline = watch.monitor.findings.timeline if watch.monitor else []
    took = [held[survivor] for _, held in timeline if any(w in held.get(survivor, "")
                                                          for w in ("/data", "VIP", "mysqld"))]
    assert timeline, "the invariant monitor has no sample"
    assert not took, f"{survivor} took {took[0]} while the fence device was broken"


@then(parsers.parse("crm_mon shows {victim} unclean and mysql_service not moved: pacemaker cannot know it "
                    "stopped"))
def _(pcmk: PacemakerCluster, victim: str) -> None:
    st = pcmk.status()
    where = st.group_nodes(pcmk.service_name)
    attachments.parameter(f"{victim} in crm_mon", st.nodes[victim])
    attachments.parameter("mysql_service as crm_mon shows it", f"on {', '.join(sorted(where)) or 'no node'}")
    assert st.nodes[victim].unclean, f"{victim} is not unclean: {st.nodes[victim]}"
    assert where <= {victim}, f"mysql_service was started on {sorted(where - {victim})}"


@when(parsers.parse("the operator, having checked that {victim} is off, confirms it with pcs stonith "
                    "confirm {again}"))
def _(pcmk: PacemakerCluster, lab: Provider, victim: str, again: str, facts: dict[str, Any]) -> None:
    assert again == victim, f"the step names {victim} and {again}"
    assert victim in lab.powered_off(), f"{victim} is not off: the operator must not confirm"
    facts["confirmed_at"] = time.monotonic()
    pm.confirm_fenced(pcmk.node(pcmk.other(victim)), victim)


@then("the refusal is recorded as a failover that did not happen while fencing failed")
def _(watch: Watch, facts: dict[str, Any], request: pytest.FixtureRequest) -> None:
    at, confirmed = facts["fault_at"], facts["confirmed_at"]
    up = facts.get("service_up_at", time.monotonic())
    acks: AckLog = facts["acks"]
    _record(request, facts, watch, "broken_fence", acks.outage_s(at),
            {"fence_failed": round(facts["fence_failed_at"] - at, 2), "confirmed": round(confirmed - at, 2),
             "service_up": round(up - at, 2)},
            took_over_while_fence_broken=False, fence_before_mount=None, recovered_by="pcs stonith confirm",
            after_confirmation_s=round(up - confirmed, 2))
