"""What the steps of a clustered MySQL service share, whichever cluster runs it (Heartbeat on DRBD, book
7.2; pacemaker on shared storage, 7.3): the service, the canary and the invariant monitor of a scenario.

Each area's test module gives the `service` fixture (Heartbeat's in steps/heartbeat_common.py, the
pacemaker cluster's in steps/test_rhcs.py)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Protocol

import pytest

from harness import waiting
from harness.lab.providers.base import Provider
from harness.node import Node
from harness.probes.holdings import Holdings
from harness.report import attachments
from harness.workloads.acks import AckLog
from harness.workloads.canary import Canary
from harness.workloads.monitor import Findings, InvariantMonitor

ROWS_AFTER_RECOVERY = 20       # rows the canary must get through after a takeover before it is stopped
NO_INTERRUPTION_S = 1.0        # a gap between acknowledgements shorter than this is no interruption


class ServiceCluster(Protocol):
    """A cluster that serves MariaDB through a VIP."""

    vip: str
    canary_password: str
    shared_storage: bool      # /data on a shared LUN (7.3) rather than a DRBD pair (7.2)

    @property
    def names(self) -> list[str]: ...

    def node(self, name: str) -> Node: ...

    def holdings(self, name: str) -> Holdings: ...

    def ensure_canary_user(self) -> None: ...

    def log_offsets(self) -> dict[str, int]:
        """The size of each running node's cluster log, to read what a fault makes it write."""
        ...


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
    """The canary and the invariant monitor of one scenario; both stopped when it ends."""

    def __init__(self, lab: Provider, service: ServiceCluster):
        self.lab = lab
        self.service = service
        self.canary: Canary | None = None
        self.monitor: InvariantMonitor | None = None
        self.findings: Findings | None = None

    def start_canary(self) -> Canary:
        table = f"canary_{uuid.uuid4().hex[:12]}"   # a table per scenario: row numbers start at 1
        self.canary = Canary(self.lab, self.service.vip, self.service.canary_password, table)
        self.canary.start()
        return self.canary

    def running_canary(self) -> Canary:
        if self.canary is None:
            raise AssertionError("the canary was never started in this scenario")
        return self.canary

    def start_monitor(self) -> InvariantMonitor:
        self.monitor = InvariantMonitor(self.lab, self.service.vip, self.service.names,
                                        self.service.shared_storage)
        self.monitor.start()
        return self.monitor

    def stop_monitor(self) -> Findings:
        """Stop sampling (once); the findings go to the report as a timeline."""
        if self.findings is None:
            if self.monitor is None:
                raise AssertionError("the invariant monitor was never started in this scenario")
            self.findings = self.monitor.stop()
            origin = self.monitor.started_at
            attachments.attach_text("what each node held (invariant monitor, changes only)", "\n".join(
                f"+{at - origin:6.1f} s  " + "  |  ".join(f"{n}: {h}" for n, h in held.items())
                for at, held in self.findings.timeline))
        return self.findings

    def close(self) -> None:
        if self.canary is not None:
            self.canary.stop()
        if self.monitor is not None and self.findings is None:
            self.monitor.stop()


@pytest.fixture
def watch(lab: Provider, service: ServiceCluster) -> Iterator[Watch]:
    w = Watch(lab, service)
    yield w
    w.close()
