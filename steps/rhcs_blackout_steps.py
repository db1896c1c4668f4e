"""Steps of features/rhcs where every member loses power at once and they come back one after the other
(blackout.feature): the first back waits for its peer; with both, the service starts where it prefers
and InnoDB recovers what it acknowledged from its redo log on the shared LUN. The canary's
acknowledgements, the members' pacemaker logs and MariaDB's journal are the evidence."""

from __future__ import annotations

import time

from pytest_bdd import given, then, when

from harness.clusters.pacemaker import PacemakerCluster
from harness.lab.faults import Faults
from harness.ops import pacemaker as pm
from harness.probes import mariadb, mariadb_log, service_state
from harness.report import attachments
from harness.scenario import Scenario, need, need_capability
from harness.workloads.watch import Watch

from . import book
from .rhcs_common import fault_begins, fault_phases, record_fault

DURABILITY = "innodb_flush_log_at_trx_commit"


@given(book.parse("MariaDB on {name} flushes its log to disk at every commit ({setting} = {value:d})"))
def _(pcmk: PacemakerCluster, name: str, setting: str, value: int) -> None:
    found = mariadb.variables(pcmk.node(name), [setting]).get(setting, "?")
    attachments.parameter(f"{setting} on {name}", found)
    assert found == str(value), f"durability precondition unmet: {setting} is {found} on {name}, not " \
                                f"{value}: a commit acknowledged may be lost by a power cut"


@when(book.parse("{a} and {b} lose power at once while the canary writes"))
def _(pcmk: PacemakerCluster, a: str, b: str, faults: Faults, scenario: Scenario) -> None:
    need_capability(pcmk.lab, "power", "cut a node's power")
    fault_begins(pcmk, scenario, "power_off_both", a)
    scenario.fault_at = faults.power_off(a)
    scenario.phases[f"{b}_off"] = round(faults.power_off(b) - scenario.fault_at, 2)


def _back(pcmk: PacemakerCluster, name: str, faults: Faults, scenario: Scenario) -> None:
    """name powered on (the cut's undo, now), its pacemaker log's end noted, its cluster started."""
    at = need(scenario.fault_at, "the power cut's time")
    scenario.phases[f"{name}_up"] = round(faults.power_on(name) - at, 2)
    scenario.log_cursors[name] = pcmk.log_cursors()[name]
    pcmk.rejoin_alone(name)
    scenario.phases[f"{name}_cluster_started"] = round(time.monotonic() - at, 2)


@when(book.parse("{name}'s power returns and it starts its cluster while {peer} is still off"))
def _(pcmk: PacemakerCluster, name: str, peer: str, faults: Faults, scenario: Scenario) -> None:
    assert peer in pcmk.lab.powered_off(), f"{peer} is not off"
    scenario.rejoin_at = time.monotonic()
    _back(pcmk, name, faults, scenario)


@when(book.parse("{name}'s power returns and it starts its cluster"))
def _(pcmk: PacemakerCluster, name: str, faults: Faults, scenario: Scenario) -> None:
    _back(pcmk, name, faults, scenario)


@then(book.parse("InnoDB's crash recovery on {name} is recorded with the outage and the phases from "
                 "{again}'s pacemaker log"))
def _(pcmk: PacemakerCluster, name: str, again: str, watch: Watch, scenario: Scenario) -> None:
    assert again == name, f"the step names {name} and {again}"
    acks, at = need(scenario.acks, "the writer's acknowledgements"), need(scenario.fault_at, "the cut")
    journal = mariadb_log.this_boot(pcmk.node(name), service_state.MARIADB_UNIT)
    attachments.attach_text(f"MariaDB's journal on {name} since its boot", journal)
    found, _, origin = fault_phases(pcmk, name, scenario, "", pm.SERVICE_PHASES)
    start = mariadb_log.last_start(journal, origin.year)
    found.update(scenario.phases)
    attachments.parameter("phases (s after the cut)", found)
    record_fault(scenario, watch, "power_off_both", acks.outage_s(at), found,
                 innodb_crash_recovery=start.crash_recovery if start else None,
                 innodb_start_s=start.ready_after_s if start else None)
    assert start is not None and start.ready is not None, f"{name}'s journal shows no start of MariaDB " \
                                                          "ready for connections since its boot"
    assert start.crash_recovery, f"MariaDB on {name} started without InnoDB's crash recovery: it was not " \
                                 "cut mid-write, or its log says otherwise"
