"""Steps of features/rhcs where a resource fails and the node stays up: mysqld killed under Pacemaker.
The fail count, crm_mon, the node's pacemaker log and the canary's acknowledgements are the evidence."""

from __future__ import annotations

import time

from pytest_bdd import then, when

from harness.clusters.pacemaker import PacemakerCluster
from harness.ops import mariadb
from harness.ops import pacemaker as pm
from harness.probes import failcount, host, pcmk_log, service_state
from harness.report import attachments
from harness.scenario import Scenario, need
from harness.verdicts import claims
from harness.waiting import eventually
from harness.workloads.watch import Watch

from . import book
from .rhcs_common import fault_phases, held_by, record_fault

RECOVERY_TIMEOUT_S = 120.0     # a 10 s monitor, a stop and a start of MariaDB, on a loaded machine
UNIT = service_state.MARIADB_UNIT   # the systemd unit behind the mysql resource
DATABASE = pm.SERVICE_RESOURCES[2]   # the resource itself


@when(book.parse("mysqld on {name} is killed with {signal} while the canary writes"))
def _(pcmk: PacemakerCluster, name: str, signal: str, scenario: Scenario) -> None:
    node = pcmk.node(name)
    scenario.fault, scenario.master, scenario.signal = "kill_mysqld", name, signal
    scenario.log_cursors = pcmk.log_cursors()
    scenario.fail_count_before = need(failcount.read(node, DATABASE, name),
                                      f"the fail count of {DATABASE} on {name}")
    scenario.restarts_before = host.unit_restarts(node, UNIT)
    scenario.fault_at = time.monotonic()
    mariadb.kill_server(node, signal)


def _recovered(pcmk: PacemakerCluster, name: str, before: int) -> tuple[int | None, str | None, bool]:
    """The fail count on name; once it has risen, where mysql_service runs as a whole with no member
    failed, and whether MariaDB answers there (crm_mon still shows the killed resource Started until
    Pacemaker has acted on its failed monitor)."""
    count = failcount.read(pcmk.node(name), DATABASE, name)
    if count is None or count <= before:
        return count, None, False
    st = pcmk.status()
    members = [r for r in st.resources.values() if r.group == pcmk.mysql.name]
    holder = st.group_on(pcmk.mysql.name) if not any(r.failed for r in members) else None
    return count, holder, holder is not None and pcmk.mysql.serves(holder)


@then(book.parse("Pacemaker counts one failure of mysql on {name} and starts it again there, not systemd"))
def _(pcmk: PacemakerCluster, name: str, scenario: Scenario) -> None:
    before = need(scenario.fail_count_before, "the fail count before the kill")
    count, holder, _ = eventually(lambda: _recovered(pcmk, name, before), lambda got: got[2],
                                  timeout=RECOVERY_TIMEOUT_S, interval=1.0,
                                  describe=f"a failure of mysql counted on {name} and mysql_service serving")
    restarts = host.unit_restarts(pcmk.node(name), UNIT) - need(scenario.restarts_before, "restarts before")
    attachments.parameter("fail count of mysql (before / after)", f"{before} / {count}")
    attachments.parameter("restarts of mariadb.service by systemd", restarts)
    scenario.fail_count_after = count
    assert count == before + 1, f"the fail count of mysql on {name} went from {before} to {count}"
    assert holder == name, f"mysql_service runs on {holder}, not on {name}"
    assert restarts == 0, f"systemd restarted mariadb.service {restarts} times: not Pacemaker's Restart=no"


@then(book.parse("{other} took nothing while mysqld was down on {name}"))
def _(other: str, name: str, watch: Watch) -> None:
    took = held_by(watch.timeline(), other)
    assert not took, f"{other} held {took[0]} while mysqld was down on {name}"


@then(book.parse("the restart is recorded with its outage and the phases from {name}'s pacemaker log"))
def _(pcmk: PacemakerCluster, name: str, watch: Watch, scenario: Scenario) -> None:
    acks = need(scenario.acks, "the writer's acknowledgements")
    at = need(scenario.fault_at, "the fault's time")
    found, events, origin = fault_phases(pcmk, name, scenario, "", {DATABASE: "database"})
    failed = pcmk_log.first([e for e in events if e.at >= origin], "failed", DATABASE)
    if failed is not None:
        found["detection"] = round((failed.at - origin).total_seconds(), 2)
    attachments.parameter("phases (s after the kill)", found)
    record_fault(scenario, watch, "kill_mysqld", acks.outage_s(at), found, signal=scenario.signal,
                 fail_count=scenario.fail_count_after, recovered_by="pacemaker")
    assert "detection" in found and "database" in found, f"{name}'s log shows no failed monitor and " \
                                                         f"start of mysql: {found}"


@then(book.parse('the book\'s claim "{claim}" is judged by where mysql_service went'))
def _(pcmk: PacemakerCluster, claim: str, scenario: Scenario) -> None:
    master = need(scenario.master, "the node the fault struck")
    holder = pcmk.status().group_on(pcmk.mysql.name)
    claims.judge(scenario.name, claim, holder not in (None, master),
                 f"after mysqld was killed with {scenario.signal} on {master}, Pacemaker counted the failure "
                 f"and mysql_service is on {holder or 'no node'}: restarted in place, the VIP did not move "
                 f"(no migration-threshold)" if holder == master and scenario.signal else
                 f"after {scenario.fault} on {master}, mysql_service (its filesystem, the VIP, mysqld) is on "
                 f"{holder or 'no node'}")


@then(book.parse("the failure of mysql is cleaned up with pcs resource cleanup"))
def _(pcmk: PacemakerCluster, scenario: Scenario) -> None:
    name = need(scenario.master, "the node the fault struck")
    pm.cleanup(pcmk.node(name), DATABASE)
    left = failcount.read(pcmk.node(name), DATABASE, name)
    assert left == 0, f"the fail count of mysql on {name} is {left} after the cleanup"
