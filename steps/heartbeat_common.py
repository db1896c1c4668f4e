"""What the Heartbeat steps share: the phases of a takeover, read from a node's ha-log; what a fault on a
node records before it strikes; figures rounded as measurements keep them."""

from __future__ import annotations

from harness.clusters.heartbeat import HeartbeatCluster
from harness.probes.logs import Cursor
from harness.report import attachments
from harness.scenario import Scenario
from harness.workloads.acks import AckLog
from harness.workloads.watch import writes_resumed


def phases(ha: HeartbeatCluster, name: str, since: Cursor, at: float, acks: AckLog | None = None,
           until: float | None = None) -> dict[str, float]:
    """The phases of a takeover in the node's ha-log (written since the cursor), in s after `at` (the log
    goes to the report); with the canary's acknowledgements, also when its writes went through again
    (after the longest outage between `at` and `until`)."""
    text, found = ha.phases(name, since, at)
    attachments.attach_text(f"ha-log of {name}", text)
    resumed = writes_resumed(acks, at, until) if acks is not None else None
    if resumed is not None:
        found["writes_resumed"] = round(resumed, 1)
    return found


def fault_begins(ha: HeartbeatCluster, scenario: Scenario, fault: str, name: str, why: str) -> None:
    """Before a fault on a node: its name, the node, each node's log cursors and a mark in each node's
    kernel log (what the fault's Then steps read from)."""
    scenario.fault, scenario.master, scenario.log_cursors = fault, name, ha.log_cursors()
    scenario.log_marks = ha.pair.mark_logs(why)


def rounded(seconds: float | None) -> float | None:
    """A figure in seconds as measurements keep it (two decimals); None stays None."""
    return round(seconds, 2) if seconds is not None else None
