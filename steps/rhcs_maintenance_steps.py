"""Steps of features/rhcs/maintenance.feature: the cluster stack restarted on every member in maintenance
mode, under a running service. The members' pacemaker logs and the canary's acknowledgements are the
evidence that nothing of the service stopped."""

from __future__ import annotations

import time

from pytest_bdd import then, when

from harness.clusters.pacemaker import PacemakerCluster
from harness.node import on_each
from harness.ops import pacemaker as pm
from harness.probes import pcmk_log
from harness.report import attachments
from harness.scenario import Scenario, need
from harness.workloads.watch import Watch

from . import book
from .rhcs_common import record_fault

MAINTENANCE = "maintenance-mode"


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
    service = set(pm.SERVICE_RESOURCES)
    acted = []
    for name in (a, b):
        text = pcmk.log_since(name, scenario.log_cursors[name])
        attachments.attach_text(f"pacemaker.log of {name} from the maintenance on", text)
        acted += [f"{name}: {e.what} {e.subject} at {e.at.time()}" for e in pcmk_log.events(text, 2000)
                  if e.what in ("start asked", "stop asked") and e.subject in service]
    assert not acted, f"the cluster acted on mysql_service: {acted}"


@then("the maintenance is recorded with the canary's longest gap")
def _(watch: Watch, scenario: Scenario) -> None:
    acks = need(scenario.acks, "the writer's acknowledgements")
    at = need(scenario.fault_at, "when the maintenance began")
    attachments.parameter("phases (s after maintenance mode was set)", scenario.phases)
    record_fault(scenario, watch, "maintenance", acks.outage_s(at), dict(scenario.phases))
