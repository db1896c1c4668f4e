"""Root conftest: the hadrill plugin and the step modules, one per area; and what every unit-test module
must leave behind."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import paramiko
import pytest

pytest_plugins = [
    "harness.plugin",
    "harness.plan.plugin",
    "harness.fixtures",
    "steps.lab_steps",
    "steps.drbd_common",
    "steps.drbd_setup_steps",
    "steps.drbd_data_steps",
    "steps.drbd_fault_steps",
    "steps.drbd_catalogue_steps",
    "steps.monitor_control_steps",
    "steps.replica_check_steps",
    "steps.service_steps",
    "steps.heartbeat_common",
    "steps.heartbeat_setup_steps",
    "steps.heartbeat_fault_steps",
    "steps.replication_fault_steps",
    "steps.rhcs_config_steps",
    "steps.rhcs_common",
    "steps.rhcs_setup_steps",
    "steps.rhcs_fault_steps",
    "steps.rhcs_resource_fault_steps",
    "steps.disk_fault_steps",
    "steps.heartbeat_kill_steps",
    "steps.heartbeat_channel_steps",
    "steps.rhcs_daemon_steps",
    "steps.rhcs_blackout_steps",
    "steps.rhcs_link_steps",
    "steps.rhcs_partition_steps",
    "steps.rhcs_steady_steps",
    "steps.rhcs_gfs2_steps",
    "steps.rhcs_path_loss_steps",
    "steps.verify_steps",
    "steps.verify_pacemaker_steps",
    "steps.drbd_pacemaker_steps",
    "steps.drbd_pacemaker_fault_steps",
]

TESTS = Path(__file__).parent / "tests"


def _open_transports() -> set[paramiko.Transport]:
    return {t for t in threading.enumerate() if isinstance(t, paramiko.Transport) and t.is_alive()}


def _ended_in_time(transports: set[paramiko.Transport], grace_s: float = 5.0) -> set[paramiko.Transport]:
    """The transports still running once those already closed have had time to end their thread (a
    handshake that failed closes its transport, whose thread ends a moment later)."""
    deadline = time.monotonic() + grace_s
    while any(not t.is_active() and t.is_alive() for t in transports) and time.monotonic() < deadline:
        time.sleep(0.05)
    return {t for t in transports if t.is_alive()}


@pytest.fixture(autouse=True, scope="module")
def _no_connection_left_open(request: pytest.FixtureRequest) -> Iterator[None]:
    """A unit-test module closes every SSH connection it opened. One left open keeps its keepalive thread
    running (and logging tracebacks) after its lab is gone; on Python 3.11 that thread's traceback formatting
    races the layout test's ast.parse (a SystemError)."""
    if TESTS not in request.path.parents:
        yield  # the book's areas keep their nodes' connections for the whole session
        return
    before = _open_transports()
    yield
    left = _ended_in_time(_open_transports() - before)
    for transport in left:
        transport.close()
    assert not left, f"{len(left)} SSH connection(s) left open by this module"
