"""A node's clock against the harness's: log lines carry the node's time, faults the harness's."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from harness.node import Node


def clock_offset_s(node: Node) -> float:
    """How far the node's clock is ahead of the harness's (a UML node's clock drifts from the host's)."""
    before = time.time()
    out = node.run("date +%s.%N").stdout.strip()
    return float(out) - (before + time.time()) / 2


def node_time(monotonic_at: float, offset_s: float) -> datetime:
    """A harness monotonic time as a node's clock showed it (UTC: the image's zone)."""
    wall = time.time() - (time.monotonic() - monotonic_at) + offset_s
    return datetime.fromtimestamp(wall, tz=UTC).replace(tzinfo=None)
