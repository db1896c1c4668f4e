"""Steps any clustered MySQL service shares: the canary writing through the VIP, the invariant monitor,
the acknowledged rows counted after a takeover."""

from __future__ import annotations

from pytest_bdd import given, then, when

from harness.clusters.base import ServiceCluster
from harness.lab.faults import Faults
from harness.probes import mariadb as mariadb_probe
from harness.report import attachments
from harness.scenario import Scenario, need_capability
from harness.verdicts import history
from harness.workloads.invariants import UNREAD_BOUND_S
from harness.workloads.watch import ROWS_AFTER_RECOVERY, Watch

from . import book


@given("the canary writes a row through the VIP every 100 ms")
def _(service: ServiceCluster, watch: Watch) -> None:
    canary = watch.start_canary()
    got = canary.wait_for(20, timeout=30)
    assert got >= 20, (f"the canary got {got} rows through {service.vip}: "
                       f"{canary.log.errors[-3:]} {canary.stderr()}")


@given("the invariant monitor samples both nodes")
def _(watch: Watch) -> None:
    watch.start_monitor()


@then(book.parse("every row the canary saw acknowledged is in MariaDB on {name}"))
def _(service: ServiceCluster, name: str, watch: Watch, scenario: Scenario) -> None:
    rows_kept(service, name, watch, scenario)


def rows_kept(service: ServiceCluster, name: str, watch: Watch, scenario: Scenario) -> None:
    """The canary stopped once its rows go through again; every row it saw acknowledged is in name's
    MariaDB (the verdict goes to the scenario)."""
    canary = watch.running_canary()
    before = len(canary.log.acked)
    got = canary.wait_for(before + ROWS_AFTER_RECOVERY, timeout=60)
    acks = canary.stop()
    assert got >= before + ROWS_AFTER_RECOVERY, f"the canary's rows stopped going through: {acks.errors[-3:]}"
    present = mariadb_probe.rows(service.node(name), canary.table)
    verdict = history.judged(acks, present, name)
    scenario.acks, scenario.present, scenario.verdict = acks, present, verdict
    assert not verdict.anomalies, f"the canary's rows on {name}: {verdict.summary()}"


def _away(watch: Watch, names: dict[str, float], origin: float) -> dict[str, list[str]]:
    """What the lab said of each named node while the monitor ran: off, frozen or booting, and when."""
    spans = watch.monitor.away if watch.monitor else {}
    return {n: [f"{a.why} {a.start - origin:.1f}-{'' if a.end is None else f'{a.end - origin:.1f}'}"
                for a in spans.get(n, [])] for n in names}


@then("no invariant was broken")
def _(watch: Watch) -> None:
    findings = watch.stop_monitor()
    origin = watch.monitor.started_at if watch.monitor else 0.0
    attachments.parameter("invariant readings", findings.samples)
    coverage = "-" if findings.coverage is None else f"{findings.coverage:.1%}"
    attachments.parameter("coverage: share of the time every live node was read", coverage)
    attachments.parameter("longest span a live node went unread (s)", findings.longest_unread() or "none")
    assert findings.samples > 0, f"the invariant monitor took no reading: {findings.errors[-3:]}"
    beyond = findings.unread_beyond(UNREAD_BOUND_S)
    spans = {n: [(round(a - origin, 1), round(b - origin, 1)) for a, b in found if b - a > UNREAD_BOUND_S]
             for n, found in findings.unread.items() if n in beyond}
    away = _away(watch, beyond, origin)
    assert not beyond, (f"a live node went unread for longer than {UNREAD_BOUND_S} s (s): {beyond}, "
                        f"from / to (s after the monitor began): {spans}; the lab said: {away}; "
                        f"{findings.errors[-3:]}")
    broken = "\n".join(f"{e.render(origin)} (at its start: {findings.state_at(e.first)})"
                       for e in findings.episodes)
    assert not findings.episodes, (f"invariants broken (coverage {coverage}, longest unread "
                                   f"{findings.longest_unread()}):\n{broken}")


@then("a client on the cluster network writes rows through the VIP and reads them back")
def _(service: ServiceCluster, watch: Watch) -> None:
    service.ensure_canary_user()
    canary = watch.start_canary()
    got = canary.wait_for(20, timeout=30)
    log = canary.stop()
    assert got >= 20, (f"{got} rows acknowledged through {service.vip} in 30 s: {log.errors[-3:]} "
                       f"{canary.stderr()}")
    active = next(n for n in service.names if service.holdings(n).vip)
    verdict = history.judged(log, mariadb_probe.rows(service.node(active), canary.table), active)
    assert not verdict.anomalies, f"the rows in {canary.table} on {active}: {verdict.summary()}"


@when(book.parse("{name}'s power is cut while the canary writes"))
def _(service: ServiceCluster, name: str, faults: Faults, scenario: Scenario) -> None:
    scenario.fault, scenario.master, scenario.log_cursors = "power_off", name, service.log_cursors()
    need_capability(service.lab, "power", "cut a node's power")
    scenario.fault_at = faults.power_off(name)
