"""A node the cluster fenced, on a provider that does not see its BMCs (a site's): when it went, from the
fencing history crm_mon printed on the rhcs lab (node2 after fencing node1), on this machine's clock."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from harness.clusters.fencing import taken_down_at
from harness.probes import crm_mon
from harness.probes.clock import harness_time, node_time

CAPTURED = (Path(__file__).parent / "data" / "crm_mon_node2_after_fencing_node1.xml").read_text()
COMPLETED = datetime(2026, 12, 1, 1, 54, 43, tzinfo=UTC).timestamp()   # its fence_event's "completed"


def test_a_reboot_that_succeeded_is_placed_on_this_machine_s_clock() -> None:
    status = crm_mon.parse(CAPTURED)
    # 10 s after the node's clock said it completed, the node 2 s ahead of this machine: 12 s ago here
    assert taken_down_at(status, 2.0, (1000.0, COMPLETED + 10.0)) == {"node1": [988.0]}


def test_a_fence_that_failed_or_is_pending_took_nothing_down() -> None:
    for status in ('status="failed"', 'status="pending"'):
        changed = crm_mon.parse(CAPTURED.replace('status="success"', status))
        assert taken_down_at(changed, 0.0, (1000.0, COMPLETED)) == {}


def test_a_node_s_moment_comes_back_to_this_machine_s_clock() -> None:
    moment, offset = time.monotonic() - 30.0, 2.5
    back = harness_time(node_time(moment, offset), offset, (time.monotonic(), time.time()))
    assert abs(back - moment) < 0.01
