"""Binds features/drbd_pacemaker: book 7.2 (DRBD + MariaDB) under pacemaker with fencing, on a lab of its
own (the drbdpcmk topology: the drbd lab's two nodes with a BMC each)."""

import pytest
from pytest_bdd import scenarios

from harness.clusters.drbd_pacemaker import DrbdPacemakerCluster, DrbdService


@pytest.fixture(scope="session")
def service(drbd_pcmk: DrbdPacemakerCluster) -> DrbdService:
    """The service the shared steps (steps/service_steps.py) watch: the group on the Promoted node."""
    return drbd_pcmk.mysql


@pytest.fixture(scope="session")
def pcmk(drbd_pcmk: DrbdPacemakerCluster) -> DrbdPacemakerCluster:
    """The cluster the pacemaker steps of features/rhcs read (a takeover in the survivor's pacemaker log,
    the service on a member) when this area's features use their words: this one."""
    return drbd_pcmk


for _feature in ("cluster", "standby", "kill_mysqld", "replication_cut", "power_cut", "cable_cut"):
    scenarios(f"drbd_pacemaker/{_feature}.feature")
