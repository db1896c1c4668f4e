"""Steps of features/rhcs where the cluster must ride a disturbance out and move nothing: the stack
restarted on every member in maintenance mode (maintenance.feature), a member's clock stepped back
(clock_step.feature), a slow or a lossy cluster link (slow_link.feature, lossy_link.feature). The members'
pacemaker and corosync logs, their fence devices' records and the canary's acknowledgements are the
evidence that nothing of the service stopped."""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable

from pytest_bdd import then, when

from harness.clusters.pacemaker import PacemakerCluster
from harness.lab.faults import Faults
from harness.node import on_each
from harness.ops import pacemaker as pm
from harness.probes import corosync_log, logs
from harness.probes.clock import clock_offset_s
from harness.report import attachments
from harness.scenario import Scenario, need
from harness.workloads.watch import Watch, observe

from . import book
from .rhcs_common import fault_begins, record_fault, service_actions

MAINTENANCE = "maintenance-mode"
CLOCK_SLACK_S = 5.0      # a UML node's clock drifts from the host's by a second or so (under load)


@when("the cluster is put in maintenance mode")
def _(pcmk: PacemakerCluster, scenario: Scenario) -> None:
    scenario.fault, scenario.master, scenario.log_cursors = "maintenance", pcmk.preferred, pcmk.log_cursors()
    scenario.fault_at = time.monotonic()
    pm.set_property(pcmk.node(pcmk.preferred), MAINTENANCE, "true")


@when(book.parse("corosync and pacemaker are stopped on {a} and {b}, then started again"))
def _(pcmk: PacemakerCluster, a: str, b: str, scenario: Scenario) -> None:
    at = need(scenario.fault_at, "when the maintenance began")
    for name in (b, a):           # one after the other: each leaves a cluster that sees it go
        pm.stop_stack(pcmk.node(name))
    scenario.phases["stack_stopped"] = round(time.monotonic() - at, 2)
    on_each([pcmk.node(a), pcmk.node(b)], pm.start_stack)
    pcmk.await_members()
    scenario.phases["stack_started"] = round(time.monotonic() - at, 2)


@when("the cluster manages its resources again")
def _(pcmk: PacemakerCluster, scenario: Scenario) -> None:
    pm.set_property(pcmk.node(pcmk.preferred), MAINTENANCE, "false")
    scenario.phases["managed_again"] = round(time.monotonic() - need(scenario.fault_at, "the start"), 2)


@then(book.parse("no part of mysql_service was started or stopped on {a} or {b}, as their pacemaker logs "
                 "show"))
def _(pcmk: PacemakerCluster, a: str, b: str, scenario: Scenario) -> None:
    acted = service_actions(pcmk, (a, b), scenario)
    assert not acted, f"the cluster acted on mysql_service: {acted}"


@then(book.parse("the {what} is recorded with the canary's longest gap"))
def _(what: str, watch: Watch, scenario: Scenario) -> None:
    acks = need(scenario.acks, "the writer's acknowledgements")
    at = need(scenario.fault_at, f"when the {what} began")
    attachments.parameter(f"phases (s after the {what} began)", scenario.phases)
    record_fault(scenario, watch, need(scenario.fault, "the fault"), acks.outage_s(at), dict(scenario.phases))


# -- a clock stepped ---------------------------------------------------------------------------------
@when(book.parse("{name}'s clock is stepped {seconds:d} seconds back and the cluster is watched for "
                 "{watched:d} seconds"))
def _(pcmk: PacemakerCluster, name: str, seconds: int, watched: int, faults: Faults,
      scenario: Scenario) -> None:
    fault_begins(pcmk, scenario, "clock_step", name)
    scenario.clock_before = clock_offset_s(pcmk.node(name))    # a UML node's clock may have drifted already
    scenario.fault_at = faults.step_clock(name, -seconds)
    observe(watched)
    scenario.phases["watched"] = round(time.monotonic() - scenario.fault_at, 2)


@then(book.parse("neither {a} nor {b} was fenced, as their fence devices' records show"))
def _(pcmk: PacemakerCluster, a: str, b: str, scenario: Scenario) -> None:
    mark = need(scenario.fence_mark, "the fence records before the fault")
    logged = {n: lines for n, lines in pcmk.fencing.since(mark).items() if n in (a, b)}
    attachments.parameter(f"the fence devices since the fault ({mark.source})", logged)
    assert not any(logged.values()), f"a fence device acted: {logged}"


@then(book.parse("the harness reads {name}'s clock about {seconds:d} s further behind this machine's "
                 "than before the step"))
def _(pcmk: PacemakerCluster, name: str, seconds: int, scenario: Scenario) -> None:
    before = need(scenario.clock_before, f"{name}'s clock before the step")
    offset = clock_offset_s(pcmk.node(name))
    attachments.parameter(f"{name}'s clock against this machine's before / after the step (s)",
                          f"{before:+.2f} / {offset:+.2f}")
    moved = offset - before
    assert abs(moved + seconds) < CLOCK_SLACK_S, \
        f"{name}'s clock moved {moved:+.1f} s, not -{seconds} s ({before:+.1f} before, {offset:+.1f} after)"


# -- a slow or lossy link ---------------------------------------------------------------------------
@when(book.parse("every packet {name} sends on its cluster interface is held back {delay:d} ms for "
                 "{seconds:d} seconds"))
def _(pcmk: PacemakerCluster, name: str, delay: int, seconds: int, faults: Faults,
      scenario: Scenario) -> None:
    scenario.delay_ms = delay
    _impaired(pcmk, name, seconds, faults, scenario, "slow_link",
              lambda interface: faults.slow_link(name, interface, delay))


@when(book.parse("{name} loses {pct:d} % of the packets it sends on its cluster interface for {seconds:d} "
                 "seconds"))
def _(pcmk: PacemakerCluster, name: str, pct: int, seconds: int, faults: Faults, scenario: Scenario) -> None:
    scenario.loss_pct = pct
    _impaired(pcmk, name, seconds, faults, scenario, "lossy_link",
              lambda interface: faults.lossy_link(name, interface, pct))


def _impaired(pcmk: PacemakerCluster, name: str, seconds: int, faults: Faults, scenario: Scenario, fault: str,
              impair: Callable[[str], float]) -> None:
    """The member's cluster interface impaired (netem) for `seconds`, then at full speed again; the
    corosync logs' cursors taken before."""
    fault_begins(pcmk, scenario, fault, name)
    scenario.corosync_logs = pcmk.corosync_cursors()
    interface = pcmk.mysql.site.interface
    scenario.fault_at = impair(interface)
    observe(seconds)
    scenario.phases["full_speed"] = round(faults.full_speed(name, interface) - scenario.fault_at, 2)


def _link_changes(pcmk: PacemakerCluster, scenario: Scenario) -> dict[str, corosync_log.LinkChanges]:
    """What each member's corosync.log says happened since the fault (the logs attached)."""
    found = {}
    for name, cursor in scenario.corosync_logs.items():
        text = logs.since(pcmk.node(name), cursor)
        attachments.attach_text(f"corosync.log of {name} from the fault on", text)
        found[name] = corosync_log.changes(text)
    return found


def _members_left(pcmk: PacemakerCluster, names: tuple[str, str], scenario: Scenario) -> dict[str, int]:
    """The members' corosync logs read (kept for the record), and how many memberships each formed
    without a member."""
    found = _link_changes(pcmk, scenario)
    attachments.parameter("corosync.log since the fault", {n: str(c) for n, c in found.items()})
    scenario.link_changes = found
    return {n: c.members_left for n, c in found.items() if n in names and c.members_left}


@then(book.parse("corosync on {a} and {b} lost no member, as their corosync logs show"))
def _(pcmk: PacemakerCluster, a: str, b: str, scenario: Scenario) -> None:
    left = _members_left(pcmk, (a, b), scenario)
    assert not left, f"a member left the corosync membership: {left} (memberships formed without it)"


class MembershipSplit(UserWarning):
    """A membership formed without a member while the link was impaired, then whole again."""


@then(book.parse("what corosync on {a} and {b} went through is read from their logs, a membership "
                 "formed without a member said"))
def _(pcmk: PacemakerCluster, a: str, b: str, scenario: Scenario) -> None:
    left = _members_left(pcmk, (a, b), scenario)
    if left:
        said = (f"a membership formed without a member during the {scenario.fault}: {left} (each node's "
                "count); the steps after it judge whether anyone was fenced or anything moved")
        attachments.parameter("memberships formed without a member", left)
        warnings.warn(MembershipSplit(said), stacklevel=1)


@then(book.parse("the {what} is recorded with what corosync logged and the canary's longest gap"))
def _(what: str, watch: Watch, scenario: Scenario) -> None:
    acks = need(scenario.acks, "the writer's acknowledgements")
    at = need(scenario.fault_at, f"when the {what} began")
    changes = scenario.link_changes
    assert changes, "no earlier step of this scenario read the members' corosync logs"
    attachments.parameter(f"phases (s after the {what} began)", scenario.phases)
    record_fault(scenario, watch, need(scenario.fault, "the fault"), acks.outage_s(at), dict(scenario.phases),
                 delay_ms=scenario.delay_ms, loss_pct=scenario.loss_pct,
                 memberships=max(c.memberships for c in changes.values()),
                 late_tokens=max(c.late_tokens for c in changes.values()),
                 links_down=max(c.links_down for c in changes.values()),
                 members_left=max(c.members_left for c in changes.values()))
