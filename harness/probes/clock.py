"""A node's clock against the harness's: log lines carry the node's time, faults the harness's."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from harness.node import Node

SAMPLES = 3     # the offset is read from the quickest of these round trips (a loaded machine's ssh varies)


def clock_offset_s(node: Node, samples: int = SAMPLES) -> float:
    """How far the node's clock is ahead of the harness's (a UML node's clock drifts from the host's):
    from the sample with the shortest round trip, whose error is at most half that trip."""
    readings = [_reading(node) for _ in range(samples)]
    return min(readings)[1]


def _reading(node: Node) -> tuple[float, float]:
    """One round trip's duration and the offset it gives, the node's time set at the trip's middle."""
    before = time.time()
    out = node.run("date +%s.%N").stdout.strip()
    after = time.time()
    return after - before, float(out) - (before + after) / 2


def node_time(monotonic_at: float, offset_s: float) -> datetime:
    """A harness monotonic time as a node's clock showed it (UTC: the image's zone)."""
    wall = time.time() - (time.monotonic() - monotonic_at) + offset_s
    return datetime.fromtimestamp(wall, tz=UTC).replace(tzinfo=None)


def harness_time(node_at: datetime, offset_s: float, now: tuple[float, float]) -> float:
    """A moment as a node's clock showed it (UTC, as node_time gives it) on this machine's monotonic clock:
    node_time's inverse, from this machine's monotonic and wall clocks read together (`now`)."""
    mono_now, wall_now = now
    return mono_now - (wall_now - (node_at.replace(tzinfo=UTC).timestamp() - offset_s))
