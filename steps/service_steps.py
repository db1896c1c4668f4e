"""Steps any clustered MySQL service shares: the canary writing through the VIP, the invariant monitor,
the acknowledged rows counted after a takeover."""

from __future__ import annotations

import pytest
from pytest_bdd import given, parsers, then, when

from harness.clusters.base import ServiceCluster
from harness.lab.faults import Faults
from harness.probes import mariadb as mariadb_probe
from harness.report import attachments
from harness.scenario import Scenario
from harness.workloads.watch import ROWS_AFTER_RECOVERY, Watch


@given("the canary writes a row through the VIP every 100 ms")
def _(service: ServiceCluster, watch: Watch) -> None:
    if not service.lab.capabilities.power:
        pytest.skip(f"the {service.lab.name} provider cannot inject this scenario's faults")
    canary = watch.start_canary()
    got = canary.wait_for(20, timeout=30)
    assert got >= 20, (f"the canary got {got} rows through {service.vip}: "
                       f"{canary.log.errors[-3:]} {canary.stderr()}")


@given("the invariant monitor samples both nodes")
def _(watch: Watch) -> None:
    watch.start_monitor()


@then(parsers.parse("every row the canary saw acknowledged is in MariaDB on {name}"))
def _(service: ServiceCluster, name: str, watch: Watch, scenario: Scenario) -> None:
    canary = watch.running_canary()
    before = len(canary.log.acked)
    got = canary.wait_for(before + ROWS_AFTER_RECOVERY, timeout=60)
    acks = canary.stop()
    assert got >= before + ROWS_AFTER_RECOVERY, f"the canary's rows stopped going through: {acks.errors[-3:]}"
    present = mariadb_probe.rows(service.node(name), canary.table)
    lost = sorted(set(acks.numbers) - present)
    scenario.acks, scenario.lost, scenario.present = acks, lost, present
    attachments.parameter("rows acknowledged", len(acks.numbers))
    assert not lost, f"{len(lost)} acknowledged rows are not on {name}: {lost[:20]}"


@then("no invariant was broken")
def _(watch: Watch) -> None:
    findings = watch.stop_monitor()
    origin = watch.monitor.started_at if watch.monitor else 0.0
    attachments.parameter("invariant samples", findings.samples)
    assert findings.samples > 0, f"the invariant monitor took no sample: {findings.errors[-3:]}"
    broken = "\n".join(e.render(origin) for e in findings.episodes)
    assert not findings.episodes, f"invariants broken:\n{broken}"


@then("a client on the cluster network writes rows through the VIP and reads them back")
def _(service: ServiceCluster, watch: Watch) -> None:
    service.ensure_canary_user()
    canary = watch.start_canary()
    got = canary.wait_for(20, timeout=30)
    log = canary.stop()
    assert got >= 20, (f"{got} rows acknowledged through {service.vip} in 30 s: {log.errors[-3:]} "
                       f"{canary.stderr()}")
    active = next(n for n in service.names if service.holdings(n).vip)
    present = mariadb_probe.rows(service.node(active), canary.table)
    assert set(log.numbers) <= present, f"rows acknowledged but not in {canary.table} on {active}"
    attachments.parameter("rows written through the VIP", len(log.numbers))


@when(parsers.parse("{name}'s power is cut while the canary writes"))
def _(service: ServiceCluster, name: str, faults: Faults, scenario: Scenario) -> None:
    scenario.fault, scenario.master, scenario.log_cursors = "power_off", name, service.log_cursors()
    scenario.fault_at = faults.power_off(name)
