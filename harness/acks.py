"""What a writer acknowledged, as the harness received it: the one record both writers keep.

The DRBD record writer (ackwriter.py) and the MariaDB canary (canary.py) report each acknowledged number
with the harness's monotonic time of its arrival, so the record survives whichever node dies.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field


@dataclass
class AckLog:
    """Acknowledged numbers with their monotonic times, in order; failed attempts apart."""

    acked: list[tuple[int, float]] = field(default_factory=list)
    errors: list[tuple[int, float, str]] = field(default_factory=list)

    def add(self, event: dict[str, object]) -> None:
        """A writer's event: {"n", "t"} for an acknowledgement, with "err" for a failed attempt."""
        n, t = int(str(event["n"])), float(str(event["t"]))
        if "err" in event:
            self.errors.append((n, t, str(event["err"])))
        else:
            self.acked.append((n, t))

    @property
    def numbers(self) -> list[int]:
        return [n for n, _ in self.acked]

    @property
    def last(self) -> int:
        return self.acked[-1][0] if self.acked else 0

    def outage(self, fault_at: float, until: float | None = None) -> tuple[float, float] | None:
        """The longest time without an acknowledgement from the last one before fault_at on (to the last
        one before `until`, if given), as (last before it, first after it); None if nothing was
        acknowledged after fault_at."""
        before = [t for _, t in self.acked if t <= fault_at]
        after = [t for _, t in self.acked if t > fault_at and (until is None or t <= until)]
        if not after:
            return None
        times = [before[-1] if before else fault_at, *after]
        return max(itertools.pairwise(times), key=lambda gap: gap[1] - gap[0])

    def outage_s(self, fault_at: float, until: float | None = None) -> float | None:
        """The length of outage(), in seconds."""
        gap = self.outage(fault_at, until)
        return None if gap is None else gap[1] - gap[0]

    def acked_between(self, start: float, end: float) -> list[int]:
        """The numbers acknowledged in [start, end] (monotonic)."""
        return [n for n, t in self.acked if start <= t <= end]
