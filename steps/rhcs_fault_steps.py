"""Steps of features/rhcs under faults: power cut, frozen node, relocation, a broken fence device. The
canary's acknowledgements, the invariant monitor and node2's pacemaker log are the evidence."""

from __future__ import annotations

import time

from pytest_bdd import given, then, when

from harness.clusters.fencing import took_down
from harness.clusters.pacemaker import PacemakerCluster
from harness.lab.faults import Faults
from harness.ops import pacemaker as pm
from harness.probes import pcmk_log
from harness.report import attachments
from harness.scenario import Move, Scenario, need, need_capability
from harness.verdicts import claims
from harness.waiting import eventually
from harness.workloads.watch import Watch, observe, writes_resumed

from . import book
from .rhcs_common import (
    fenced_then_mounted,
    fencing_problems,
    held_by,
    record_fault,
    service_runs_on,
    takeover,
)

FENCE_FAIL_TIMEOUT_S = 180.0


# -- the takeover ------------------------------------------------------------------------------------
@then(book.parse("{survivor} fences {victim} and only then mounts /data, as {again}'s pacemaker log "
                 "shows"))
def _(pcmk: PacemakerCluster, survivor: str, victim: str, again: str, scenario: Scenario) -> None:
    assert again == survivor, f"the step names {survivor} and {again}"
    pcmk.mysql.await_on(survivor)
    fenced_then_mounted(pcmk, survivor, victim, scenario)


@then(book.parse("{name} runs mysql_service: /data mounted, the VIP up and mysqld running"))
def _(pcmk: PacemakerCluster, name: str, scenario: Scenario) -> None:
    service_runs_on(pcmk, name, scenario)


@then(book.parse("the failover is recorded with its outage and the phases from {name}'s pacemaker log"))
def _(pcmk: PacemakerCluster, name: str, watch: Watch, scenario: Scenario) -> None:
    acks = need(scenario.acks, "the writer's acknowledgements")
    at = need(scenario.fault_at, "the fault's time")
    events = scenario.events or takeover(pcmk, name, scenario)
    origin = need(scenario.origin, "the fault's time on the survivor's clock")
    found = pcmk_log.phases(events, origin, need(scenario.master, "the node the fault struck"),
                            pm.SERVICE_PHASES)
    resumed = writes_resumed(acks, at)
    if resumed is not None:
        found["writes_resumed"] = round(resumed, 2)
    record_fault(scenario, watch, need(scenario.fault, "the fault"), acks.outage_s(at), found,
            fence_before_mount=scenario.fence_before_mount)
    attachments.parameter("phases (s after the fault)", found)


@then(book.parse('the book\'s claim "{claim}" is judged by the order of fencing and mount'))
def _(claim: str, scenario: Scenario) -> None:
    claims.judge(scenario.name, claim, scenario.fence_before_mount is True, scenario.fence_evidence)


@then(book.parse('the book\'s claim "{claim}" is judged by what {survivor} did while the fence failed'))
def _(claim: str, survivor: str, watch: Watch, scenario: Scenario) -> None:
    confirmed = need(scenario.confirmed_at, "when the operator confirmed the fence")
    early = [at for at, held in watch.timeline() if at < confirmed and "mounted" in held.get(survivor, "")]
    up = scenario.service_up_at
    claims.judge(scenario.name, claim, not early and up is not None,
                 f"fencing of {scenario.master} failed; {survivor} mounted /data "
                 f"{'before' if early else 'only after'} the operator confirmed the fence by hand, "
                 f"{round(up - confirmed, 1) if up else '-'} s after it")


# -- a frozen node -----------------------------------------------------------------------------------
@when(book.parse("{name} is frozen while the canary writes"))
def _(pcmk: PacemakerCluster, name: str, faults: Faults, scenario: Scenario) -> None:
    need_capability(pcmk.lab, "freeze", "freeze a node")
    scenario.fault, scenario.master, scenario.log_cursors = "freeze", name, pcmk.log_cursors()
    scenario.frozen_pid = pcmk.fencing.kernel_pid(name)
    scenario.fence_mark = pcmk.fencing.mark()
    scenario.fault_at = faults.freeze(name)


@when(book.parse("the frozen {name} is let go on"))
def _(name: str, faults: Faults, scenario: Scenario) -> None:
    scenario.thawed = faults.let_go(name, scenario.frozen_pid)
    attachments.parameter("let go on", scenario.thawed)


@then(book.parse("the frozen {name} had already been powered off by the fence: its frozen processes "
                 "are gone"))
def _(pcmk: PacemakerCluster, name: str, scenario: Scenario) -> None:
    now = pcmk.fencing.kernel_pid(name)
    mark = need(scenario.fence_mark, "the fence records before the freeze")
    logged = pcmk.fencing.since(mark)[name]
    attachments.attach_text(f"{name}'s fence device from the freeze on ({mark.source})", "\n".join(logged))
    assert took_down(mark, logged), f"{name}'s fence device did not power it off: {logged}"
    assert now != scenario.frozen_pid, f"{name}'s frozen kernel (PID {now}) still runs"


# -- relocation --------------------------------------------------------------------------------------
@when(book.parse("mysql_service is relocated to {name} (the book's clusvcadm -r mysql_service -m "
                 "{again})"))
def _(pcmk: PacemakerCluster, name: str, again: str, scenario: Scenario) -> None:
    assert again == name, f"the step names {name} and {again}"
    scenario.moves.append(Move(name, time.monotonic(), pcmk.log_cursors()))
    pm.relocate(pcmk.node(pcmk.other(name)), pcmk.mysql.name, name)


@then("both relocations are recorded with their outages")
def _(pcmk: PacemakerCluster, watch: Watch, scenario: Scenario) -> None:
    acks = need(scenario.acks, "the writer's acknowledgements")
    moves = scenario.moves
    for i, move in enumerate(moves):
        until = moves[i + 1].at if i + 1 < len(moves) else None
        text, events, origin = pcmk.takeover_log(move.to, move.log_cursors[move.to], move.at)
        attachments.attach_text(f"pacemaker.log of {move.to} from the move to it", text)
        found = pcmk_log.phases(events, origin, "", pm.SERVICE_PHASES)
        resumed = writes_resumed(acks, move.at, until)
        if resumed is not None:
            found["writes_resumed"] = round(resumed, 2)
        record_fault(scenario, watch, "relocate", acks.outage_s(move.at, until), found, to=move.to)


# -- a broken fence device ---------------------------------------------------------------------------
@given(book.parse("{name}'s fence device is broken: its BMC does not answer"))
def _(faults: Faults, name: str) -> None:
    faults.break_fence(name)


@then(book.parse("verify's fence check finds {name}'s fence device not answering"))
def _(pcmk: PacemakerCluster, name: str) -> None:
    """The verify area's fencing check (steps/verify_pacemaker_steps.py) on a broken fence device: its
    negative control, on the lab."""
    problems = fencing_problems(pcmk)
    attachments.attach_text("verify's fencing check", "\n".join(problems))
    device = pm.fence_device_name(name)
    assert any(f"fence device {device}'s agent, asked to monitor, exited" in p for p in problems), problems


@when(book.parse("{name}'s power is cut"))
def _(pcmk: PacemakerCluster, name: str, faults: Faults, scenario: Scenario) -> None:
    need_capability(pcmk.lab, "power", "cut a node's power")
    scenario.fault, scenario.master, scenario.log_cursors = "broken_fence", name, pcmk.log_cursors()
    scenario.fault_at = faults.power_off(name)


@then(book.parse("{survivor} tries to fence {victim}, and fails"))
def _(pcmk: PacemakerCluster, survivor: str, victim: str, scenario: Scenario) -> None:
    since = scenario.log_cursors[survivor]
    text = eventually(lambda: pcmk.log_since(survivor, since),
                      lambda t: pcmk_log.first(pcmk_log.events(t, 2000), "fence failed", victim) is not None,
                      timeout=FENCE_FAIL_TIMEOUT_S, interval=2.0,
                      describe=f"{survivor}'s log saying the fencing of {victim} failed")
    failed = [line for line in text.splitlines() if "targeting" in line and victim in line]
    attachments.attach_text("fencing attempts", "\n".join(failed))
    scenario.fence_failed_at = time.monotonic()


@then(book.parse("for {seconds:d} seconds {survivor} does not mount /data, raise the VIP or start mysqld"))
def _(survivor: str, seconds: int, watch: Watch, scenario: Scenario) -> None:
    observe(seconds)
    assert watch.timeline(), "the invariant monitor has no sample"
    took = held_by(watch.timeline(), survivor)
    scenario.took_over_while_broken = bool(took)
    assert not took, f"{survivor} took {took[0]} while the fence device was broken"


@then(book.parse("crm_mon shows {victim} unclean and mysql_service not moved: pacemaker cannot know it "
                 "stopped"))
def _(pcmk: PacemakerCluster, victim: str) -> None:
    st = pcmk.status()
    where = st.group_nodes(pcmk.mysql.name)
    attachments.parameter(f"{victim} in crm_mon", st.nodes[victim])
    attachments.parameter("mysql_service as crm_mon shows it", f"on {', '.join(sorted(where)) or 'no node'}")
    assert st.nodes[victim].unclean, f"{victim} is not unclean: {st.nodes[victim]}"
    assert where <= {victim}, f"mysql_service was started on {sorted(where - {victim})}"


@when(book.parse("the operator, having checked that {victim} is off, confirms it with pcs stonith "
                 "confirm {again}"))
def _(pcmk: PacemakerCluster, victim: str, again: str, scenario: Scenario) -> None:
    assert again == victim, f"the step names {victim} and {again}"
    assert victim in pcmk.powered_off(), f"{victim} is not off: the operator must not confirm"
    scenario.confirmed_at = time.monotonic()
    pm.confirm_fenced(pcmk.node(pcmk.other(victim)), victim)


@then("the refusal is recorded as a failover that did not happen while fencing failed")
def _(watch: Watch, scenario: Scenario) -> None:
    at = need(scenario.fault_at, "the fault's time")
    confirmed = need(scenario.confirmed_at, "when the operator confirmed the fence")
    failed = need(scenario.fence_failed_at, "when the fencing failed")
    up = scenario.service_up_at if scenario.service_up_at is not None else time.monotonic()
    acks = need(scenario.acks, "the writer's acknowledgements")
    record_fault(scenario, watch, "broken_fence", acks.outage_s(at),
            {"fence_failed": round(failed - at, 2), "confirmed": round(confirmed - at, 2),
             "service_up": round(up - at, 2)},
            took_over_while_fence_broken=need(scenario.took_over_while_broken, "the watch, fence broken"),
            fence_before_mount=None, recovered_by="pcs stonith confirm",
            after_confirmation_s=round(up - confirmed, 2))
