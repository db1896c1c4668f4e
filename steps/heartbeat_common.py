"""What the Heartbeat steps share: the phases of a takeover, read from a node's ha-log; what a fault on a
node records before it strikes; figures rounded as measurements keep them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from harness.clusters.heartbeat import HeartbeatCluster
from harness.probes import drbd_log, host, logs
from harness.probes import mariadb as mariadb_probe
from harness.probes.logs import Cursor
from harness.report import attachments
from harness.scenario import Scenario, need
from harness.verdicts import history, measurements
from harness.verdicts.measurements import Measurement
from harness.waiting import eventually
from harness.workloads.acks import AckLog
from harness.workloads.watch import Watch, writes_resumed


def phases(ha: HeartbeatCluster, name: str, since: Cursor, at: float, acks: AckLog | None = None,
           until: float | None = None) -> dict[str, float]:
    """The phases of a takeover in the node's ha-log (written since the cursor), in s after `at` (the log
    goes to the report); with the canary's acknowledgements, also when its writes went through again
    (after the longest outage between `at` and `until`)."""
    text, found = ha.phases(name, since, at)
    attachments.attach_text(f"ha-log of {name}", text)
    resumed = writes_resumed(acks, at, until) if acks is not None else None
    if resumed is not None:
        found["writes_resumed"] = round(resumed, 1)
    return found


def fault_begins(ha: HeartbeatCluster, scenario: Scenario, fault: str, name: str, why: str) -> None:
    """Before a fault on a node: its name, the node, each node's log cursors and a mark in each node's
    kernel log (what the fault's Then steps read from)."""
    scenario.fault, scenario.master, scenario.log_cursors = fault, name, ha.log_cursors()
    scenario.log_marks = ha.pair.mark_logs(why)


def ha_log_since(ha: HeartbeatCluster, name: str, scenario: Scenario, since_what: str) -> str:
    """The node's ha-log since the scenario's cursor for it, also in the report."""
    text = logs.since(ha.node(name), scenario.log_cursors[name])
    attachments.attach_text(f"ha-log of {name} since {since_what}", text)
    return text


def never_said(name: str, said: str, lines: tuple[str, ...]) -> None:
    """None of these lines is in the node's ha-log text."""
    for line in lines:
        assert line not in said, f"{name}'s ha-log says {line!r}:\n{said}"


def bitmap_resync_kib(ha: HeartbeatCluster, target: str,
                      since_fault: Callable[[str], drbd_log.DrbdLog]) -> int:
    """Once the pair is whole again: neither node's kernel log since the fault (`since_fault`) shows a split
    brain, and the target's shows its resync as SyncTarget, a bitmap one (not a full sync, under half its
    disk); its size in KiB. The logs and the size go to the report."""
    seen = {n: since_fault(n) for n in ha.pair.names}
    for n, log in seen.items():
        attachments.attach_text(f"DRBD in the kernel log of {n} from the fault on", "\n".join(log.lines))
        assert not log.split_brain_detected, f"{n}: {log.quote('Split-Brain')}"
    resyncs = eventually(lambda: since_fault(target).resyncs,
                         lambda found: any(r.role == "SyncTarget" for r in found), timeout=30,
                         describe=f"a resync logged on {target}")
    size_kib = host.block_size_bytes(ha.pair.node(target), ha.pair.res.peer(target).disk) // 1024
    kib = next(r.kib for r in resyncs if r.role == "SyncTarget")
    attachments.parameter("resynced", f"{kib} KiB of {size_kib} KiB")
    assert not seen[target].full_sync and kib < size_kib // 2, f"{target} resynced {kib} KiB of {size_kib}"
    return kib


def rounded(seconds: float | None) -> float | None:
    """A figure in seconds as measurements keep it (two decimals); None stays None."""
    return round(seconds, 2) if seconds is not None else None


def record_kept_service(ha: HeartbeatCluster, watch: Watch, scenario: Scenario, **more: Any) -> None:
    """A fault after which the master kept the group: the canary and the monitor stopped, the rows judged on
    the master, the figures recorded (the longest gap as the outage; the peer's ha-log for phases)."""
    name = need(scenario.master, "the node of the fault")
    other = ha.pair.other(name)
    at = need(scenario.fault_at, "the fault's time")
    canary = watch.running_canary()
    acks = canary.stop()
    verdict = history.judged(acks, mariadb_probe.rows(ha.node(name), canary.table), name)
    scenario.acks, scenario.verdict = acks, verdict
    found = phases(ha, other, scenario.log_cursors[other], at)
    findings = watch.stop_monitor()
    measurements.record(Measurement(
        scenario.name, "heartbeat", need(scenario.fault, "the fault"), acked=len(acks.numbers),
        lost=len(verdict.lost), rto_s=rounded(acks.outage_s(at)), phases=found,
        violations=len(findings.episodes), coverage=findings.coverage, **history.figures(verdict), **more))
    assert not verdict.anomalies, f"the canary's rows on {name}: {verdict.summary()}"
