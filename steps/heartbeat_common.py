"""What the Heartbeat steps share: the cluster, the canary and the invariant monitor of a scenario."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from harness import reporting
from harness.canary import Canary
from harness.drbdpair import DrbdPair
from harness.hacluster import HeartbeatCluster
from harness.invariants import Findings, InvariantMonitor
from harness.providers.base import Provider

SECRET_NAME = "mariadb_canary_password"


@pytest.fixture(scope="session")
def ha(pair: DrbdPair, secrets: dict[str, str]) -> HeartbeatCluster:
    """Heartbeat on the DRBD pair, MariaDB the group's `mysql`, the canary's password from the secrets."""
    if SECRET_NAME not in secrets:
        pytest.fail(f"no secret {SECRET_NAME!r}: give it in the lab's secrets or a secrets file")
    return HeartbeatCluster(pair, pair.lab.vip(), secrets[SECRET_NAME])


class Watch:
    """The canary and the invariant monitor of one scenario; both stopped when it ends."""

    def __init__(self, lab: Provider, ha: HeartbeatCluster):
        self.lab = lab
        self.ha = ha
        self.canary: Canary | None = None
        self.monitor: InvariantMonitor | None = None
        self.findings: Findings | None = None

    def start_canary(self) -> Canary:
        table = f"canary_{uuid.uuid4().hex[:12]}"   # a table per scenario: row numbers start at 1
        self.canary = Canary(self.lab, self.ha.vip, self.ha.canary_password, table)
        self.canary.start()
        return self.canary

    def start_monitor(self) -> InvariantMonitor:
        self.monitor = InvariantMonitor(self.lab, self.ha.vip)
        self.monitor.start()
        return self.monitor

    def stop_monitor(self) -> Findings:
        """Stop sampling (once); the findings go to the report as a timeline."""
        if self.findings is None:
            if self.monitor is None:
                raise AssertionError("the invariant monitor was never started in this scenario")
            self.findings = self.monitor.stop()
            origin = self.monitor.started_at
            reporting.attach_text("what each node held (invariant monitor, changes only)", "\n".join(
                f"+{at - origin:6.1f} s  " + "  |  ".join(f"{n}: {h}" for n, h in held.items())
                for at, held in self.findings.timeline))
        return self.findings

    def close(self) -> None:
        if self.canary is not None:
            self.canary.stop()
        if self.monitor is not None and self.findings is None:
            self.monitor.stop()


@pytest.fixture
def watch(lab: Provider, ha: HeartbeatCluster) -> Iterator[Watch]:
    w = Watch(lab, ha)
    yield w
    w.close()


def phases(ha: HeartbeatCluster, name: str, log_offset: int, origin: float) -> dict[str, float]:
    """The phases of a takeover in the node's ha-log (written since log_offset), in s after origin;
    the log goes to the report."""
    text, found = ha.phases(name, log_offset, origin)
    reporting.attach_text(f"ha-log of {name}", text)
    return found
