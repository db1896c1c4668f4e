"""What a writer acknowledged, as the harness received it: the one record both writers keep.

The DRBD record writer (ackwriter.py) and the MariaDB canary (canary.py) report each acknowledged number
with the harness's monotonic time of its arrival, so the record survives whichever node dies.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class AckLog:
    """Acknowledged numbers with their monotonic times, in order; failed attempts apart."""

    acked: list[tuple[int, float]] = field(default_factory=list)
    errors: list[tuple[int, float, str]] = field(default_factory=list)
    ended_at: float | None = None        # when the writer was stopped (monotonic)

    def add(self, event: dict[str, object]) -> None:
        """A writer's event: {"n", "t"} for an acknowledgement, with "err" for a failed attempt."""
        n, t = int(str(event["n"])), float(str(event["t"]))
        if "err" in event:
            self.errors.append((n, t, str(event["err"])))
        else:
            self.acked.append((n, t))

    def wait_for(self, count: int, timeout: float, running: Callable[[], bool]) -> int:
        """Wait until count numbers are acknowledged (or the writer stopped running, or timeout);
        returns how many are."""
        deadline = time.monotonic() + timeout
        while len(self.acked) < count and time.monotonic() < deadline and running():
            time.sleep(0.05)
        return len(self.acked)

    @property
    def numbers(self) -> list[int]:
        return [n for n, _ in self.acked]

    @property
    def last(self) -> int:
        return self.acked[-1][0] if self.acked else 0

    def outage(self, fault_at: float, until: float | None = None) -> tuple[float, float, bool] | None:
        """The longest time without an acknowledgement from the last one before fault_at to `until` (by
        default, when the writer was stopped), as (start, end, resumed): resumed is False when the writes
        had not come back by `until`. None if there is nothing to measure."""
        until = self.ended_at if until is None else until
        before = [t for _, t in self.acked if t <= fault_at]
        after = [t for _, t in self.acked if t > fault_at and (until is None or t <= until)]
        times = [before[-1] if before else fault_at, *after]
        gaps = [(a, b, True) for a, b in itertools.pairwise(times)]
        if until is not None and until > times[-1]:
            gaps.append((times[-1], until, False))
        return max(gaps, key=lambda gap: gap[1] - gap[0]) if gaps else None

    def outage_s(self, fault_at: float, until: float | None = None) -> float | None:
        """The length of outage() in seconds; None if the writes had not resumed (or nothing to measure)."""
        gap = self.outage(fault_at, until)
        return gap[1] - gap[0] if gap is not None and gap[2] else None

    def acked_between(self, start: float, end: float) -> list[int]:
        """The numbers acknowledged in [start, end] (monotonic)."""
        return [n for n, t in self.acked if start <= t <= end]
