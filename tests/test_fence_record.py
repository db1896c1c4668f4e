"""What a member's fence device did since a mark: its BMC's log where the lab reads it, else the cluster's
fencing history (crm_mon captured on the rhcs lab)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from harness.clusters.fencing import BMC_LOG, HISTORY, FenceMark, Fencing, took_down
from harness.lab.providers.base import Unsupported
from harness.ops.pacemaker import Member
from harness.probes.crm_mon import ClusterStatus, parse

DATA = Path(__file__).parent / "data"
MEMBERS = [Member("node1", "10.0.0.1", "10.0.1.1"), Member("node2", "10.0.0.2", "10.0.1.2")]


def _status(name: str) -> ClusterStatus:
    return parse((DATA / name).read_text())


def _fencing(status: ClusterStatus, bmc_log: Any) -> Fencing:
    cluster = SimpleNamespace(lab=SimpleNamespace(bmc_log=bmc_log))
    return Fencing(cluster, MEMBERS, "", lambda: status)  # type: ignore[arg-type]


def _unreadable(name: str) -> str:
    raise Unsupported("the ssh provider cannot read a node's fence device log")


def test_without_a_readable_bmc_the_history_is_the_record_and_only_new_events_count() -> None:
    before = _status("crm_mon_gfs2_clones_on_both.xml")
    mark = _fencing(before, _unreadable).mark()
    assert mark.source == HISTORY
    assert _fencing(before, _unreadable).since(mark) == {"node1": [], "node2": []}
    after = _fencing(_status("crm_mon_node2_after_fencing_node1.xml"), _unreadable).since(mark)
    assert after == {"node1": ["reboot of node1 by node2: success at 2026-12-01 01:54:43Z"], "node2": []}
    assert took_down(mark, after["node1"]) and not took_down(mark, after["node2"])


def test_a_readable_bmc_log_is_the_record_from_its_size_at_the_mark() -> None:
    logs = {"node1": "chassis power status\n", "node2": ""}
    fencing = _fencing(_status("crm_mon_gfs2_clones_on_both.xml"), lambda name: logs[name])
    mark = fencing.mark()
    assert mark == FenceMark(BMC_LOG, {"node1": 21, "node2": 0})
    logs["node1"] += "chassis power off\nchassis power on\n"
    got = fencing.since(mark)
    assert got == {"node1": ["chassis power off", "chassis power on"], "node2": []}
    assert took_down(mark, got["node1"])
    assert not took_down(mark, ["chassis power status"])     # asked, not acted


def test_a_failed_or_pending_fence_in_the_history_did_not_take_the_node_down() -> None:
    mark = FenceMark(HISTORY, {})
    assert not took_down(mark, ["reboot of node1 by node2: failed"])
    assert not took_down(mark, ["reboot of node1 by node2: pending"])
    assert took_down(mark, ["off of node1 by node2: success at 2026-12-01 01:54:43Z"])
