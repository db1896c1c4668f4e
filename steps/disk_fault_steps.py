"""Steps of features/heartbeat/disk_errors.feature: a node's backing disk fails under DRBD while the
service runs; the node detaches it and serves or replicates through its peer; the disk healed and
attached again, only what changed is resynced. /proc/drbd, each node's kernel log and the canary are
the evidence."""

from __future__ import annotations

import time

import pytest
from pytest_bdd import then, when

from harness.clusters.heartbeat import HeartbeatCluster
from harness.lab.faults import Faults
from harness.ops import drbd_faults
from harness.probes import drbd_log
from harness.report import attachments
from harness.scenario import Scenario, need
from harness.workloads.watch import ROWS_AFTER_RECOVERY, Watch, observe

from . import book
from .heartbeat_common import bitmap_resync_kib, fault_begins

DETACH_WITHIN_S = 60.0       # the next write to the disk fails, and DRBD detaches at once
WHOLE_WITHIN_S = 120.0


@when(book.parse("every data write to the backing disk of {name} fails while the canary writes"))
def _(ha: HeartbeatCluster, name: str, faults: Faults, scenario: Scenario) -> None:
    if not drbd_faults.injectable(ha.pair.node(name)):
        pytest.skip(f"{name}'s DRBD module takes no injected faults (its kernel was built without "
                    "CONFIG_DRBD_FAULT_INJECTION): its backing disk cannot be made to fail here")
    fault_begins(ha, scenario, "disk_errors", name, "backing disk failing")
    scenario.fault_at = faults.fail_disk_writes(name, ha.pair.res.minor, ha.pair.res.name)


@then(book.parse("{name} detaches its failing disk, /proc/drbd reading {state}, and the canary's rows are "
                 "acknowledged again"))
def _(ha: HeartbeatCluster, name: str, state: str, watch: Watch, scenario: Scenario) -> None:
    at = need(scenario.fault_at, "the fault's time")
    ha.pair.await_state(name, state, timeout=DETACH_WITHIN_S)
    scenario.alone_at = time.monotonic()
    attachments.parameter("detached after (s)", round(scenario.alone_at - at, 2))
    logged = drbd_log.since(ha.pair.node(name), scenario.log_marks[name])
    attachments.attach_text(f"DRBD in the kernel log of {name} from the fault on", "\n".join(logged.lines))
    assert logged.quote("Diskless"), f"{name}'s kernel log does not show its disk going Diskless"
    canary = watch.running_canary()
    before = len(canary.log.acked)
    got = canary.wait_for(before + ROWS_AFTER_RECOVERY, timeout=60)
    assert got >= before + ROWS_AFTER_RECOVERY, f"the canary's rows stopped: {canary.log.errors[-3:]}"


@then(book.parse("Heartbeat moves nothing: the group stays on {name}, {other} holds none of it"))
def _(ha: HeartbeatCluster, name: str, other: str) -> None:
    assert ha.holder() == name, f"the group is on {ha.holder() or 'no node'}, not {name}"
    held = ha.holdings(other)
    assert not (held.vip or held.mounted or held.mysqld), f"{other} holds {held.summary()}"


@when(book.parse("after {seconds:d} seconds the disk of {name} is healed and attached again"))
def _(seconds: int, name: str, faults: Faults, scenario: Scenario) -> None:
    observe(max(0.0, need(scenario.alone_at, "when the disk was detached") + seconds - time.monotonic()))
    scenario.restored_at = faults.heal_disk(name)


@then(book.parse("{name} catches up with a bitmap resync: /proc/drbd on {primary} reads {state}, oos:0, no "
                 "split brain"))
def _(ha: HeartbeatCluster, name: str, primary: str, state: str, scenario: Scenario) -> None:
    whole = ha.pair.await_state(primary, state, timeout=WHOLE_WITHIN_S)
    scenario.resynced_at = time.monotonic()
    assert whole.counters.get("oos") == 0, f"{primary}: oos:{whole.counters.get('oos')}"
    scenario.resync_kib = bitmap_resync_kib(
        ha, name, lambda n: drbd_log.since(ha.pair.node(n), scenario.log_marks[n]))
