"""Which pytest sessions a run makes: one per topology, and, when more sessions may run at once than there
are topologies, the longest topologies' scenarios split into parts (by their recorded durations), each part
a session on a lab of its own."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Part:
    """One session: a topology's test modules, whole or the I-th of N parts of its scenarios."""
    topology: str
    modules: list[Path]
    part: tuple[int, int] | None = None

    def label(self, topology_name: str) -> str:
        """The session's name (its lab, its junit file, its log): the topology's, numbered when split."""
        return topology_name if self.part is None else f"{topology_name}-{self.part[0]}"


def expected_seconds(durations: Path, modules: list[Path]) -> float:
    """The modules' scenarios' recorded durations summed (0 where nothing was recorded)."""
    try:
        recorded: dict[str, float] = json.loads(durations.read_text())
    except (OSError, ValueError):
        return 0.0
    stems = {f"steps/{m.name}::" for m in modules}
    return sum(seconds for test, seconds in recorded.items() if any(test.startswith(s) for s in stems))


def shares(expected: dict[str, float], jobs: int) -> dict[str, int]:
    """How many sessions each topology gets out of `jobs`: one each, then one more at a time to the topology
    whose sessions would each take longest (by the expected seconds); never fewer than one each."""
    count = dict.fromkeys(expected, 1)
    for _ in range(max(0, jobs - len(expected))):
        longest = max(count, key=lambda t: expected[t] / count[t])
        if expected[longest] <= 0:
            break       # nothing recorded to split by
        count[longest] += 1
    return count


def parts(groups: list[tuple[str, list[Path]]], expected: dict[str, float], jobs: int) -> list[Part]:
    """The run's sessions, in the groups' order, a split topology's parts one after the other."""
    count = shares(expected, jobs)
    return [Part(topology, modules, None if count[topology] == 1 else (i, count[topology]))
            for topology, modules in groups for i in range(1, count[topology] + 1)]
