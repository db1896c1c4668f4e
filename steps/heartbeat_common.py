"""What the Heartbeat steps share: the phases of a takeover, read from a node's ha-log."""

from __future__ import annotations

from harness.clusters.heartbeat import HeartbeatCluster
from harness.probes.logs import Cursor
from harness.report import attachments
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
