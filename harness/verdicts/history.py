"""What a writer's history says about the data: each id attempted, acknowledged, and finally read, checked
for every anomaly a store can show.

- lost: acknowledged, not read (the store gave up a write it confirmed);
- unexpected: read, never attempted (the store holds a write nobody made: another run's, or garbage);
- duplicated: read more than once (a write applied twice);
- recovered: attempted, not acknowledged, read (the outcome was unknown to the writer; fine);
- reordered: read before an id acknowledged earlier than it (only where the store keeps an order, as an
  append-only file does).

The writers give every attempt an id of its own (a retry is a new id), so each of these can be seen.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypedDict

from harness.report import attachments
from harness.workloads.acks import AckLog


@dataclass(frozen=True)
class History:
    attempted: frozenset[int]   # every id the writer tried (acknowledged, failed, or in flight at the end)
    acked: tuple[int, ...]      # acknowledged ids, in the order the acknowledgements came
    read: tuple[int, ...]       # the ids the final read found, in the store's order, repeats kept


@dataclass(frozen=True)
class Verdict:
    lost: tuple[int, ...]
    unexpected: tuple[int, ...]
    duplicated: tuple[int, ...]
    recovered: tuple[int, ...]
    reordered: tuple[int, ...]

    @property
    def anomalies(self) -> dict[str, tuple[int, ...]]:
        """The kinds of anomaly found, each with its ids (recovered ids are no anomaly)."""
        kinds = {"lost": self.lost, "unexpected": self.unexpected, "duplicated": self.duplicated,
                 "reordered": self.reordered}
        return {kind: ids for kind, ids in kinds.items() if ids}

    def anomalies_besides(self, expected: str) -> dict[str, tuple[int, ...]]:
        """The anomalies found but the one kind the scenario expects (a loss it declares)."""
        return {kind: ids for kind, ids in self.anomalies.items() if kind != expected}

    def summary(self, show: int = 20) -> str:
        counts = [f"{kind} {len(ids)}: {' '.join(map(str, ids[:show]))}{' ...' if len(ids) > show else ''}"
                  for kind, ids in self.anomalies.items()]
        return "; ".join(counts) or f"no anomaly ({len(self.recovered)} unacknowledged writes recovered)"


def check(history: History, ordered: bool = False) -> Verdict:
    """The verdict on a history; `ordered` where the store keeps the order of writes."""
    counts = Counter(history.read)
    acked = set(history.acked)
    return Verdict(
        lost=tuple(sorted(acked - counts.keys())),
        unexpected=tuple(sorted(counts.keys() - history.attempted - acked)),
        duplicated=tuple(sorted(n for n, times in counts.items() if times > 1)),
        recovered=tuple(sorted((history.attempted - acked) & counts.keys())),
        reordered=_reordered(history) if ordered else ())


def _reordered(history: History) -> tuple[int, ...]:
    """Acknowledged ids read after an id acknowledged later than they were."""
    rank = {n: i for i, n in enumerate(history.acked)}
    latest, late = -1, []
    for n in history.read:
        if n not in rank:
            continue
        if rank[n] < latest:
            late.append(n)
        latest = max(latest, rank[n])
    return tuple(sorted(set(late)))


def of_writer(acks: AckLog, read: Sequence[int], acks_in_flight: bool = False) -> History:
    """A writer's history with what the final read found. Both writers number their attempts 1, 2, ...
    and never reuse a number, so every number up to the last one seen was attempted, and so was the next,
    in flight when the writer was stopped or its node lost. With `acks_in_flight` (the records writer, whose
    acknowledgements cross an SSH channel from the node whose power is cut), any number of records may have
    been written with their acknowledgement still on its way: those read that go on from the last one seen
    without a gap were attempted too."""
    seen = [*acks.numbers, *(n for n, _, _ in acks.errors)]
    last = max(seen, default=0)
    attempted = set(range(1, last + 2))
    if acks_in_flight:
        present, n = set(read), last + 1
        while n in present:
            attempted.add(n)
            n += 1
    return History(frozenset(attempted), tuple(acks.numbers), tuple(read))


class Figures(TypedDict, total=False):
    unexpected: int
    duplicated: int
    recovered: int


def figures(verdict: Verdict | None) -> Figures:
    """A verdict's counts for a measurement record (none where no history was checked)."""
    if verdict is None:
        return {}
    return {"unexpected": len(verdict.unexpected), "duplicated": len(verdict.duplicated),
            "recovered": len(verdict.recovered)}


def judged(acks: AckLog, read: Sequence[int], where: str, ordered: bool = False) -> Verdict:
    """The writer's history checked against what was read on `where`, the verdict attached to the step
    (`ordered`: the records file, whose writer's acknowledgements may be in flight in any number)."""
    verdict = check(of_writer(acks, read, acks_in_flight=ordered), ordered)
    attachments.parameter(f"writes acknowledged / read on {where}", f"{len(acks.numbers)} / {len(read)}")
    attachments.parameter("the writes' history", verdict.summary())
    return verdict
