"""Steps of features/heartbeat/heartbeat_killed.feature: Heartbeat's master control process killed on the
serving node (issue 22, scenario 9, on the book's stack). Each node's ha-log and the canary are the
evidence."""

from __future__ import annotations

import time

import pytest
from pytest_bdd import then, when

from harness.clusters.heartbeat import HeartbeatCluster
from harness.fixtures import measured_part_over
from harness.ops import heartbeat as hb
from harness.probes import heartbeat as hb_probe
from harness.probes import host, logs
from harness.report import attachments
from harness.scenario import Scenario
from harness.waiting import eventually
from harness.workloads.watch import Watch, observe

from . import book
from .heartbeat_common import fault_begins, ha_log_since, record_kept_service

EMERGENCY = "Emergency Shutdown: Master Control process died"
START_TIMEOUT_S = 60.0


@when(book.parse("Heartbeat's master control process on {name} is killed with SIGKILL and the cluster is "
                 "watched for {seconds:d} seconds"))
def _(ha: HeartbeatCluster, name: str, seconds: int, scenario: Scenario) -> None:
    fault_begins(ha, scenario, "kill_heartbeat", name, "Heartbeat killed")
    scenario.fault_at = time.monotonic()
    killed = hb.kill_master(ha.node(name))
    attachments.parameter(f"Heartbeat's master control process on {name}", killed.stdout.strip())
    observe(seconds)


@then(book.parse("every Heartbeat process on {name} has ended, and nothing started Heartbeat again"))
def _(ha: HeartbeatCluster, name: str, scenario: Scenario) -> None:
    node = ha.node(name)
    assert not hb_probe.running(node), f"Heartbeat runs on {name}: {host.pids(node, 'heartbeat')}"
    said = ha_log_since(ha, name, scenario, "the kill")
    assert EMERGENCY in said, f"{name}'s ha-log does not say {EMERGENCY!r}:\n{said}"
    # systemd's word is no evidence here: with the lab's RemainAfterExit=yes (Heartbeat restarts itself as a
    # new process) the unit stays "active" after some kills and goes "failed" after others
    unit = host.unit_state(node, "heartbeat.service")
    attachments.parameter(f"heartbeat.service on {name} (systemd)", unit)


@then(book.parse("{other} declared {name} dead, and gave the group up when DRBD refused to make it Primary"))
def _(ha: HeartbeatCluster, other: str, name: str, scenario: Scenario) -> None:
    drbddisk = f"drbddisk::{ha.pair.res.name}"
    said = ha_log_since(ha, other, scenario, "the kill")
    for line in (f"node {name}: is dead", f"Giving up resources due to failure of {drbddisk}"):
        assert line in said, f"{other}'s ha-log does not say {line!r}:\n{said}"
    h = ha.holdings(other)
    assert h.role == "Secondary" and not (h.vip or h.mounted or h.mysqld), f"{other} holds {h}"


@then("the loss of Heartbeat is recorded with the canary's outage")
def _(ha: HeartbeatCluster, watch: Watch, scenario: Scenario) -> None:
    record_kept_service(ha, watch, scenario)


@when(book.parse("Heartbeat is started again on {name} by hand"))
def _(ha: HeartbeatCluster, name: str, scenario: Scenario, request: pytest.FixtureRequest) -> None:
    measured_part_over(request.config)     # the canary and the monitor are stopped: nothing after is timed
    scenario.log_cursors = ha.log_cursors()
    hb.start(ha.node(name))


@then(book.parse("{name}'s Heartbeat holds none of the group by its own account, while the group runs on "
                 "{where}"))
def _(ha: HeartbeatCluster, name: str, where: str, scenario: Scenario) -> None:
    node = ha.node(name)
    eventually(lambda: logs.since(node, scenario.log_cursors[name]),
               lambda text: "Initial resource acquisition complete" in text, timeout=START_TIMEOUT_S,
               describe=f"the end of {name}'s Heartbeat start")
    said = hb_probe.rscstatus(node)
    attachments.parameter(f"cl_status rscstatus on {name}", said)
    ha_log_since(ha, name, scenario, "the restart")
    runs = ha.holds_group(where) and ha.serves(where)
    assert runs, f"the group does not run on {where}: {ha.held_by_each()}"
    assert said == "none", f"{name}'s Heartbeat says it holds {said!r} of the group"
    assert not ha.manages_group(where), f"Heartbeat on {where} manages the group"


@then("Heartbeat is stopped on both nodes and the group released, the operator's repair")
def _(ha: HeartbeatCluster) -> None:
    ha.ensure_stopped()
    held = {n: ha.holdings(n) for n in ha.names}
    assert not any(h.heartbeat or h.vip or h.mounted or h.mysqld for h in held.values()), held
