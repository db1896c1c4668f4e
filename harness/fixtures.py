"""The clusters and workloads a scenario's steps work on, as pytest fixtures (a plugin the root conftest
loads): every node of the lab, the DRBD pair, Heartbeat on it, the pacemaker cluster, the service they
serve, the scenario's watch (canary and monitor) and its record."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from harness.clusters.base import Cluster, ServiceCluster
from harness.clusters.drbd import DrbdPair
from harness.clusters.heartbeat import HeartbeatCluster
from harness.clusters.pacemaker import PacemakerCluster
from harness.lab.providers.base import Provider
from harness.node import Node
from harness.scenario import Scenario
from harness.workloads.watch import Watch

DRBD_SECRETS = ("drbd_shared_secret",)
HEARTBEAT_SECRETS = ("mariadb_canary_password",)
PACEMAKER_SECRETS = ("hacluster_password", "bmc_password", "mariadb_canary_password")


def _require(secrets: dict[str, str], names: tuple[str, ...]) -> None:
    missing = [name for name in names if name not in secrets]
    if missing:
        pytest.fail(f"no secret {', '.join(missing)}: give it in the lab's secrets or a secrets file")


@pytest.fixture(scope="session")
def every_node(lab: Provider, nodes: dict[str, Node]) -> Cluster:
    """Every node of the lab, whatever cluster it is part of."""
    return Cluster(lab, nodes, [access.name for access in lab.nodes()])


@pytest.fixture(scope="session")
def pair(lab: Provider, nodes: dict[str, Node], secrets: dict[str, str]) -> DrbdPair:
    """vm01 and vm02 with the resource test between them (the secret from the lab's secrets)."""
    _require(secrets, DRBD_SECRETS)
    return DrbdPair(lab, nodes, secrets[DRBD_SECRETS[0]])


@pytest.fixture(scope="session")
def ha(pair: DrbdPair, secrets: dict[str, str]) -> HeartbeatCluster:
    """Heartbeat on the DRBD pair, MariaDB the group's `mysql`, the canary's password from the secrets."""
    _require(secrets, HEARTBEAT_SECRETS)
    return HeartbeatCluster(pair, pair.lab.vip(), secrets[HEARTBEAT_SECRETS[0]])


@pytest.fixture(scope="session")
def pcmk(lab: Provider, nodes: dict[str, Node], secrets: dict[str, str]) -> PacemakerCluster:
    """The book's 7.3 cluster on the lab: storage node, two members, fencing, the MySQL service."""
    _require(secrets, PACEMAKER_SECRETS)
    return PacemakerCluster(lab, nodes, secrets, name="rhcs")


@pytest.fixture(scope="session")
def service(ha: HeartbeatCluster) -> HeartbeatCluster:
    """The service the shared steps watch: Heartbeat's group (an area on another cluster overrides it)."""
    return ha


@pytest.fixture
def watch(service: ServiceCluster) -> Iterator[Watch]:
    """The scenario's canary and invariant monitor, stopped when it ends."""
    w = Watch(service)
    yield w
    w.close()


@pytest.fixture
def scenario(request: pytest.FixtureRequest) -> Scenario:
    """What this scenario's steps leave for the next ones."""
    return Scenario(name=request.node.name)
