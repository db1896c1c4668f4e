"""The workloads of one service scenario: the canary writing through the VIP and the invariant monitor
sampling every node; both stopped when the scenario ends (the `watch` fixture)."""

from __future__ import annotations

import uuid

from harness import waiting
from harness.clusters.base import ServiceCluster
from harness.report import attachments
from harness.workloads.acks import AckLog
from harness.workloads.canary import Canary
from harness.workloads.invariants import Findings
from harness.workloads.monitor import InvariantMonitor

ROWS_AFTER_RECOVERY = 20       # rows the canary must get through after a takeover before it is stopped
FENCED = "fenced (the cluster's fencing history)"
NO_INTERRUPTION_S = 1.0        # a gap between acknowledgements shorter than this is no interruption


def writes_resumed(acks: AckLog, at: float, until: float | None = None) -> float | None:
    """When the canary's writes went through again after the longest outage from `at` (s after it);
    None if they never stopped (a gap shorter than NO_INTERRUPTION_S) or never came back."""
    gap = acks.outage(at, until)
    if gap is not None and gap[2] and gap[1] - gap[0] >= NO_INTERRUPTION_S:
        return gap[1] - at
    return None


def observe(seconds: float) -> None:
    """An observation window of fixed length (the monitor and the canary record meanwhile)."""
    waiting.pause(seconds)


class Watch:
    """The canary and the invariant monitor of one scenario."""

    def __init__(self, service: ServiceCluster):
        self.service = service
        self.canary: Canary | None = None
        self.monitor: InvariantMonitor | None = None
        self.findings: Findings | None = None

    def start_canary(self) -> Canary:
        table = f"canary_{uuid.uuid4().hex[:12]}"   # a table per scenario: row numbers start at 1
        self.canary = Canary(self.service.lab, self.service.vip, self.service.canary_password, table)
        self.canary.start()
        return self.canary

    def running_canary(self) -> Canary:
        if self.canary is None:
            raise AssertionError("the canary was never started in this scenario")
        return self.canary

    def start_monitor(self) -> InvariantMonitor:
        self.monitor = InvariantMonitor(self.service.lab, self.service.vip, self.service.mountpoint,
                                        self.service.minor, self.service.names, self.service.shared_storage)
        self.monitor.start()
        return self.monitor

    def timeline(self) -> list[tuple[float, dict[str, str]]]:
        """What each node held, at each change the monitor saw so far (empty if it was never started)."""
        return self.monitor.findings.timeline if self.monitor else []

    def stop_monitor(self) -> Findings:
        """Stop sampling (once); the findings go to the report as a timeline."""
        if self.findings is None:
            if self.monitor is None:
                raise AssertionError("the invariant monitor was never started in this scenario")
            self._learn_fenced(self.monitor)
            self.findings = self.monitor.stop()
            origin = self.monitor.started_at
            attachments.attach_text("what each node held (invariant monitor, changes only)", "\n".join(
                f"+{at - origin:6.1f} s  " + "  |  ".join(f"{n}: {h}" for n, h in held.items())
                for at, held in self.findings.timeline))
        return self.findings

    def _learn_fenced(self, monitor: InvariantMonitor) -> None:
        """Where the provider does not see a fenced node go off (a site's BMCs), the cluster's fencing
        history says when it went: away from then until its next reading."""
        if self.service.lab.shows_fenced_nodes or waiting.dry_run():
            return
        try:
            down = self.service.taken_down_since(monitor.started_at)
        except AssertionError as exc:     # no member runs pacemaker: nothing to read it from
            monitor.lab_errors.append(f"the cluster's fencing history, unread: {exc}")
            return
        for name, times in down.items():
            for at in times:
                if name in monitor.away:
                    monitor.learn_taken_down(name, at, FENCED)

    @property
    def measuring(self) -> bool:
        """The canary or the monitor still runs."""
        canary_runs = self.canary is not None and self.canary.log.ended_at is None
        return canary_runs or (self.monitor is not None and self.findings is None)

    def close(self) -> None:
        if self.canary is not None:
            self.canary.stop()
        if self.monitor is not None and self.findings is None:
            self.monitor.stop()
