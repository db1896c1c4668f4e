"""The invariants of a service's nodes, judged over the readings the invariant monitor streamed.

The invariants of a DRBD + Heartbeat + MariaDB pair: the VIP on at most one node, DRBD Primary on at most
one node, /data mounted only where DRBD is Primary, mysqld running only where /data is mounted. On shared
storage (book 7.3) there is no DRBD role: /data (ext4, not a cluster filesystem) mounted on at most one node.

Only readings prove anything. Two nodes broke an "at most one" invariant when a run of readings of one
(each showing it, none further apart than STALE_S) overlaps such a run of the other; a node's own invariant
is broken when two readings in a row show it (one alone may be a stop or start caught between its reads).
A node that was not read for longer than STALE_S is unknown for that span, unless it was away: powered off,
frozen or booting, as the lab said, which holds nothing and is not counted against the monitor's coverage.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from harness.probes.holdings import Holdings

STALE_S = 0.5            # a reading stands for its node this long (5 of the stream's intervals)
PROCESSES_STALE_S = 1.0  # the same for the processes, walked at every 5th reading only
# A live node may go unread this long at most. Idle, the longest gap seen was 0.22 s; under make test's
# load (two labs on 2 cores) a survivor busy taking over went 2.9 s without a reading of its own loop.
UNREAD_BOUND_S = 5.0
UNKNOWN = "unknown"      # what the timeline says of a live node without a fresh reading

Span = tuple[float, float]


@dataclass(frozen=True)
class Reading:
    at: float            # the harness's monotonic clock
    held: Holdings
    processes_read: bool = True    # False: held's processes are those of an earlier reading


@dataclass(frozen=True)
class Away:
    """A span the lab said the node was off, frozen or booting (end None: until its next reading)."""

    start: float
    end: float | None
    why: str


@dataclass
class Episode:
    """One invariant broken, from first to last proven (monotonic seconds)."""

    what: str
    first: float
    last: float

    def render(self, origin: float) -> str:
        return f"+{self.first - origin:.1f} s to +{self.last - origin:.1f} s: {self.what}"


@dataclass
class Findings:
    shared_storage: bool = False
    samples: int = 0
    episodes: list[Episode] = field(default_factory=list)
    timeline: list[tuple[float, dict[str, str]]] = field(default_factory=list)  # changes only
    unread: dict[str, list[Span]] = field(default_factory=dict)   # spans a live node went unread
    coverage: float | None = None      # share of the span in which every live node was read
    errors: list[str] = field(default_factory=list)

    def longest_unread(self) -> dict[str, float]:
        return {name: round(max(b - a for a, b in spans), 2) for name, spans in self.unread.items() if spans}

    def state_at(self, t: float) -> str:
        """What each node held at t, as the timeline says it (for a broken invariant's context)."""
        states = [s for when, s in self.timeline if when <= t]
        return "; ".join(f"{n}: {h}" for n, h in states[-1].items()) if states else "nothing read yet"

    def unread_beyond(self, bound_s: float = UNREAD_BOUND_S) -> dict[str, float]:
        return {name: s for name, s in self.longest_unread().items() if s > bound_s}


def broken(held: dict[str, Holdings], shared_storage: bool = False) -> list[str]:
    """The invariants one instant of the nodes breaks, each said in words (empty: all hold)."""
    found = []
    for what, holds in _exclusive(shared_storage):
        holders = sorted(n for n, h in held.items() if holds(h))
        if len(holders) > 1:
            found.append(f"{what} on {' and '.join(holders)}")
    for name, h in sorted(held.items()):
        found += _own(name, h, shared_storage)
    return found


def _exclusive(shared_storage: bool) -> list[tuple[str, Callable[[Holdings], bool]]]:
    second: tuple[str, Callable[[Holdings], bool]] = (
        ("the filesystem mounted", lambda h: h.mounted) if shared_storage else
        ("DRBD Primary", lambda h: h.role == "Primary"))
    return [("the VIP", lambda h: h.vip), second]


def _own(name: str, h: Holdings, shared_storage: bool) -> list[str]:
    return _own_mount(name, h, shared_storage) + _own_processes(name, h)


def _own_mount(name: str, h: Holdings, shared_storage: bool = False) -> list[str]:
    return [f"the filesystem mounted on {name}, which is {h.role}"] if (
        h.mounted and h.role != "Primary" and not shared_storage) else []


def _own_processes(name: str, h: Holdings) -> list[str]:
    return [f"mysqld on {name} without its filesystem mounted"] if h.mysqld and not h.mounted else []


def judge(readings: dict[str, list[Reading]], away: dict[str, list[Away]], start: float, end: float,
          shared_storage: bool = False) -> Findings:
    """The findings over [start, end] from each node's readings (in time order) and its away spans."""
    findings = Findings(shared_storage, samples=sum(len(r) for r in readings.values()))
    spans = {name: _away_spans(away.get(name, []), readings[name], end) for name in readings}
    findings.episodes = sorted(_overlaps(readings, shared_storage) + _own_episodes(readings, shared_storage),
                               key=lambda e: (e.first, e.what))
    findings.unread = {name: _unread(readings[name], spans[name], start, end) for name in readings}
    findings.coverage = _coverage(findings.unread, start, end)
    findings.timeline = _timeline(readings, spans, end)
    return findings


def _away_spans(away: list[Away], readings: list[Reading], end: float) -> list[tuple[float, float, str]]:
    """Away spans with their ends: an open one ends at the node's first reading after it began."""
    times = [r.at for r in readings]
    spans = []
    for a in away:
        stop = a.end
        if stop is None:
            i = bisect.bisect_right(times, a.start)
            stop = times[i] if i < len(times) else end
        spans.append((a.start, stop, a.why))
    return spans


def _runs(readings: list[Reading], holds: Callable[[Holdings], bool]) -> list[Span]:
    """Maximal runs of readings that show `holds`, none further apart than STALE_S."""
    runs: list[list[float]] = []
    prev: float | None = None
    for r in readings:
        if holds(r.held):
            if runs and prev is not None and runs[-1][1] == prev and r.at - prev <= STALE_S:
                runs[-1][1] = r.at
            else:
                runs.append([r.at, r.at])
        prev = r.at
    return [(a, b) for a, b in runs]


def _overlaps(readings: dict[str, list[Reading]], shared_storage: bool) -> list[Episode]:
    episodes = []
    names = sorted(readings)
    for what, holds in _exclusive(shared_storage):
        runs = {name: _runs(readings[name], holds) for name in names}
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                found = [(max(x[0], y[0]), min(x[1], y[1])) for x in runs[a] for y in runs[b]
                         if max(x[0], y[0]) <= min(x[1], y[1])]
                episodes += _merged(f"{what} on {a} and {b}", found)
    return episodes


def _own_episodes(readings: dict[str, list[Reading]], shared_storage: bool) -> list[Episode]:
    episodes = []
    for name, rs in readings.items():
        episodes += _in_a_row(rs, STALE_S, partial(_own_mount, name, shared_storage=shared_storage))
        episodes += _in_a_row([r for r in rs if r.processes_read], PROCESSES_STALE_S,
                              partial(_own_processes, name))
    return episodes


def _in_a_row(rs: list[Reading], gap_s: float, breaks: Callable[[Holdings], list[str]]) -> list[Episode]:
    """Episodes of what two readings in a row (no further apart than gap_s) both show broken."""
    pairs: dict[str, list[Span]] = {}
    for r0, r1 in itertools.pairwise(rs):
        if r1.at - r0.at <= gap_s:
            for what in set(breaks(r0.held)) & set(breaks(r1.held)):
                pairs.setdefault(what, []).append((r0.at, r1.at))
    return [e for what, found in pairs.items() for e in _merged(what, found)]


def _merged(what: str, spans: list[Span]) -> list[Episode]:
    episodes: list[Episode] = []
    for a, b in sorted(spans):
        if episodes and a <= episodes[-1].last + STALE_S:
            episodes[-1].last = max(episodes[-1].last, b)
        else:
            episodes.append(Episode(what, a, b))
    return episodes


def _unread(readings: list[Reading], away: list[tuple[float, float, str]], start: float,
            end: float) -> list[Span]:
    """The spans of [start, end] that neither a reading (for STALE_S after it) nor an away span covers."""
    covered = sorted([(r.at, r.at + STALE_S) for r in readings] + [(a, b) for a, b, _ in away])
    gaps, at = [], start
    for a, b in covered:
        if a > at and a > start:
            gaps.append((at, min(a, end)))
        at = max(at, b)
        if at >= end:
            break
    if at < end:
        gaps.append((at, end))
    return [(round(a, 3), round(b, 3)) for a, b in gaps if b > a]


def _coverage(unread: dict[str, list[Span]], start: float, end: float) -> float | None:
    if end <= start:
        return None
    merged: list[list[float]] = []
    for a, b in sorted(s for spans in unread.values() for s in spans):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return round(1 - sum(b - a for a, b in merged) / (end - start), 4)


def _timeline(readings: dict[str, list[Reading]], away: dict[str, list[tuple[float, float, str]]],
              end: float) -> list[tuple[float, dict[str, str]]]:
    """What each node held at each change: its reading's summary, why it was away, or unknown."""
    times = {name: [r.at for r in rs] for name, rs in readings.items()}
    moments = sorted({r.at for rs in readings.values() for r in rs}
                     | {r.at + STALE_S + 1e-3 for rs in readings.values() for r in rs}
                     | {a for spans in away.values() for a, _, _ in spans})
    timeline: list[tuple[float, dict[str, str]]] = []
    for t in (m for m in moments if m <= end):
        state = {name: _state_at(readings[name], times[name], away[name], t) for name in sorted(readings)}
        if not timeline or timeline[-1][1] != state:
            timeline.append((t, state))
    return timeline


def _state_at(readings: list[Reading], times: list[float], away: list[tuple[float, float, str]],
              t: float) -> str:
    for a, b, why in away:
        if a <= t < b:
            return why
    i = bisect.bisect_right(times, t) - 1
    if i >= 0 and t - times[i] <= STALE_S:
        return readings[i].held.summary()
    return UNKNOWN
