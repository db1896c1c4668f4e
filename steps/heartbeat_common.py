"""What the Heartbeat steps share: the cluster (also the `service` of the shared steps) and its phases."""

from __future__ import annotations

import pytest

from harness.clusters.drbd import DrbdPair
from harness.clusters.heartbeat import HeartbeatCluster
from harness.report import attachments

SECRET_NAME = "mariadb_canary_password"


@pytest.fixture(scope="session")
def ha(pair: DrbdPair, secrets: dict[str, str]) -> HeartbeatCluster:
    """Heartbeat on the DRBD pair, MariaDB the group's `mysql`, the canary's password from the secrets."""
    if SECRET_NAME not in secrets:
        pytest.fail(f"no secret {SECRET_NAME!r}: give it in the lab's secrets or a secrets file")
    return HeartbeatCluster(pair, pair.lab.vip(), secrets[SECRET_NAME])


@pytest.fixture(scope="session")
def service(ha: HeartbeatCluster) -> HeartbeatCluster:
    """The service the shared steps (steps/service_steps.py) watch: Heartbeat's group."""
    return ha


def phases(ha: HeartbeatCluster, name: str, log_offset: int, origin: float) -> dict[str, float]:
    """The phases of a takeover in the node's ha-log (written since log_offset), in s after origin;
    the log goes to the report."""
    text, found = ha.phases(name, log_offset, origin)
    attachments.attach_text(f"ha-log of {name}", text)
    return found
