"""Book 7.2 on two stacks, side by side: each fault measured on both with its outage and lost writes under
Heartbeat and under pacemaker, and each of the book's claims with its verdict on each. Built from the
runbook's chapters (the last run's figures and verdicts), so it says only what that run measured."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from harness.report.runbook import Chapter

STACKS = {"heartbeat": "Heartbeat, no fencing (the book's)",
          "drbd_pacemaker": "Pacemaker, STONITH and DRBD's resource fencing"}
TITLE = "Book 7.2 on Heartbeat and on Pacemaker, side by side"
INTRO = ("The same two nodes, DRBD resource, group and canary under the book's Heartbeat (the heartbeat "
         "area) and under pacemaker with fencing (the drbd_pacemaker area), from this run: each run's outage "
         "in seconds (the longest time without a write after the fault), then the rows lost of those "
         "acknowledged over all its runs.")
FAULTS = {"power_off": "the Primary's power cut", "standby": "a planned switch-over (standby)",
          "kill_mysqld": "mysqld killed", "drop_replication": "DRBD's port dropped, the cluster's link up",
          "cut_link": "the Primary's cluster cable pulled"}


@dataclass
class Outcome:
    """One fault on one stack over each run of it: the outages (None: not measured), lost and acked rows."""
    scenarios: list[str] = field(default_factory=list)
    outages: list[float | None] = field(default_factory=list)
    lost: int = 0
    acked: int = 0

    def add(self, scenario: str, measured: dict[str, Any]) -> None:
        self.scenarios.append(scenario)
        self.outages.append(measured.get("rto_s"))
        self.lost += int(measured.get("lost") or 0)
        self.acked += int(measured.get("acked") or 0)

    def said(self) -> str:
        """'15.39, 14.98 s; 0 / 112 lost': each run's outage, then the rows lost of those acknowledged."""
        outages = ", ".join("not measured" if s is None else f"{s:g}" for s in self.outages)
        unit = " s" if any(s is not None for s in self.outages) else ""
        return f"{outages}{unit}; {self.lost} / {self.acked} lost"


@dataclass
class FaultRow:
    fault: str
    on: dict[str, Outcome]


@dataclass
class ClaimRow:
    claim: str
    verdicts: dict[str, list[str]]     # stack: the verdict of each scenario that judged it

    def said(self, stack: str) -> str:
        """'held', 'not held', 'held 2, not held 1', or 'not judged' for a stack."""
        found = self.verdicts.get(stack, [])
        kinds = sorted(set(found))
        if len(kinds) == 1:
            return kinds[0]
        return ", ".join(f"{kind} {found.count(kind)}" for kind in kinds) or "not judged"


@dataclass
class SideBySide:
    faults: list[FaultRow]             # measured on both stacks
    claims: list[ClaimRow]
    one_stack_only: dict[str, list[str]]   # stack: the faults only it measured


def fault_of(measured: dict[str, Any]) -> str:
    """A fault as a reader knows it, its signal with it ('mysqld killed (SIGKILL)')."""
    name = FAULTS.get(str(measured.get("fault")), str(measured.get("fault")))
    return f"{name} ({measured['signal']})" if measured.get("signal") else name


def compare(chapters: list[Chapter]) -> SideBySide | None:
    """The two stacks side by side, or None unless both measured some fault in the last run."""
    faults: dict[str, dict[str, Outcome]] = {}
    claims: dict[str, dict[str, list[str]]] = {}
    for chapter in (ch for ch in chapters if ch.area in STACKS):
        for scenario in (sc for feature in chapter.features for sc in feature.scenarios):
            for measured in scenario.figures:
                on = faults.setdefault(fault_of(measured), {})
                on.setdefault(chapter.area, Outcome()).add(scenario.name, measured)
            for verdict in scenario.claims:
                judged = claims.setdefault(verdict["claim"], {})
                judged.setdefault(chapter.area, []).append(verdict["verdict"])
    both = [FaultRow(fault, on) for fault, on in faults.items() if len(on) == len(STACKS)]
    if not both:
        return None
    alone = {stack: [fault for fault, on in faults.items() if list(on) == [stack]] for stack in STACKS}
    return SideBySide(both, [ClaimRow(claim, by) for claim, by in claims.items()], alone)
