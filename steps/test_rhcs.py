"""Binds features/rhcs in the book's order (7.3): storage, cluster, fencing, service, then the failures."""

import pytest
from pytest_bdd import scenarios

from harness.clusters.mysql_service import MysqlService
from harness.clusters.pacemaker import PacemakerCluster


@pytest.fixture(scope="session")
def service(pcmk: PacemakerCluster) -> MysqlService:
    """The service the shared steps (steps/service_steps.py) watch: pacemaker's mysql_service."""
    return pcmk.mysql


for _feature in ("shared_storage", "cluster", "fencing", "service", "power_cut", "frozen_node", "relocate",
                 "kill_mysqld", "daemon_killed", "partition", "blackout", "slow_link", "lossy_link",
                 "second_link", "maintenance", "clock_step", "path_loss", "broken_fence", "gfs2"):
    scenarios(f"rhcs/{_feature}.feature")
