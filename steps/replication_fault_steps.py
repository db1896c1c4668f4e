"""Steps of the fault catalogue's faults of the replica (features/heartbeat/replication_cut.feature):
DRBD's port dropped while Heartbeat's link stays up, or the standby's power cut; the Primary alone, then
its peer catching up."""

from __future__ import annotations

from pytest_bdd import then, when

from harness.clusters.heartbeat import HeartbeatCluster
from harness.lab.faults import Faults
from harness.probes import drbd_log, logs
from harness.report import attachments
from harness.scenario import Scenario, need, need_capability
from harness.workloads.watch import Watch

from . import book
from .drbd_common import caught_up, goes_on_alone, port_passes_after, record_replica_lost
from .heartbeat_common import bitmap_resync_kib, fault_begins


@when(book.parse("DRBD's replication port is dropped on {name} while the canary writes"))
def _(ha: HeartbeatCluster, name: str, faults: Faults, scenario: Scenario) -> None:
    fault_begins(ha, scenario, "drop_replication", name, "replication dropped")
    scenario.fault_at = faults.drop_port(name, ha.site.interface, ha.pair.res.port)


@when(book.parse("{name}, the standby, loses power while the canary writes"))
def _(ha: HeartbeatCluster, name: str, faults: Faults, scenario: Scenario) -> None:
    need_capability(ha.lab, "power", "cut a node's power")
    fault_begins(ha, scenario, "power_off_standby", name, "standby's power cut")
    scenario.fault_at = faults.power_off(name)


def _drbd_since_fault(ha: HeartbeatCluster, name: str, scenario: Scenario) -> drbd_log.DrbdLog:
    """What DRBD logged on the node since the fault: all its log if the fault powered it off (it booted
    since, the mark went with its memory), else after the mark."""
    if scenario.fault == "power_off_standby" and name == scenario.master:
        return drbd_log.parse(logs.kernel_log(ha.pair.node(name)))
    return drbd_log.since(ha.pair.node(name), scenario.log_marks[name])


@then(book.parse("{name} goes on alone: WFConnection, Primary, UpToDate/DUnknown, the canary's rows "
                 "acknowledged again"))
def _(ha: HeartbeatCluster, name: str, watch: Watch, scenario: Scenario) -> None:
    goes_on_alone(ha.pair, name, "cs:WFConnection ro:Primary/Unknown ds:UpToDate/DUnknown", watch, scenario)


@then(book.parse("{other} stays Secondary and Heartbeat moves nothing: the group on {name} only"))
def _(ha: HeartbeatCluster, other: str, name: str) -> None:
    state = ha.pair.state(other)
    attachments.parameter(f"DRBD on {other}", state.state)
    assert (state.role, state.disk) == ("Secondary", "UpToDate"), f"{other}: {state.state}"
    assert ha.holder() == name, f"the group is on {ha.holder() or 'no node'}, not {name}"
    held = ha.holdings(other)
    assert not (held.vip or held.mounted or held.mysqld), f"{other} holds {held.summary()}"


@when(book.parse("the port passes again after {seconds:d} seconds"))
def _(ha: HeartbeatCluster, seconds: int, faults: Faults, scenario: Scenario) -> None:
    port_passes_after(faults, ha.pair, need(scenario.master, "the node whose port was dropped"), seconds,
                      scenario)


@then(book.parse("{other} catches up from {name} with a bitmap resync: Connected, UpToDate/UpToDate, "
                 "oos:0, no split brain"))
def _(ha: HeartbeatCluster, other: str, name: str, scenario: Scenario) -> None:
    caught_up(ha.pair, name, scenario)
    scenario.resync_kib = bitmap_resync_kib(ha, other, lambda n: _drbd_since_fault(ha, n, scenario))


@then(book.parse("the {what} is recorded with the canary's longest wait and the resync"))
def _(what: str, watch: Watch, scenario: Scenario) -> None:
    record_replica_lost(scenario, watch, "heartbeat", resync_kib=scenario.resync_kib)
