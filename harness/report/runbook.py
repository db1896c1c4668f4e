"""The living runbook's content: the features as one document, chapter by book section; each scenario with
what the book prints for the steps it cites, its known state apart from its procedure, each step's
commands per node (from the last run, else from the plan) with their exit codes and output, its last result
and date, the book's claims with their verdicts, and the figures its faults measured."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.report.book_steps import BookStep, cited
from harness.report.figures import LABELS as FIGURE_KEYS

CHAPTERS = {
    "lab": "The embedded lab: the harness's own checks",
    "drbd": "7.2 DRBD: a disk replicated between two hosts",
    "heartbeat": "7.2 Heartbeat and MySQL: a failover pair on DRBD",
    "drbd_pacemaker": "7.2 on today's stack: DRBD and MySQL under Pacemaker, with fencing",
    "verify": "The runbook's end state, checked on a running cluster (read-only)",
    "rhcs": "7.3 Red Hat Cluster Suite on shared iSCSI storage (today: Pacemaker)",
}
TITLE = "hadrill runbook: the HA chapter of the book, executable"
LINE_SUFFIX = re.compile(r" \(line \d+\)$")


@dataclass
class Command:
    node: str
    kind: str
    command: str
    exit_code: int | None = None    # None: planned, not run (or it did not finish)
    times: int = 1                  # run this many times in a row (a poll)
    output: str = ""                # what a command that changed something printed (stdout, stderr)


@dataclass
class Step:
    keyword: str
    text: str
    commands: list[Command]
    source: str                     # "last run" or "plan"
    result: str                     # passed, failed, broken, skipped, or "not run"
    note: str = ""
    planned_destructive: bool = False   # the plan has a destructive command in it

    @property
    def destructive(self) -> bool:
        return self.planned_destructive or any(c.kind == "destructive" for c in self.commands)


@dataclass
class Scenario:
    name: str
    result: str
    date: str
    steps: list[Step]
    claims: list[dict[str, str]] = field(default_factory=list)   # the book's claims judged, with verdicts
    known_state: int = 0            # the first steps (the Background): how it reaches its known state
    book: list[BookStep] = field(default_factory=list)          # the book's steps its name cites
    figures: list[dict[str, Any]] = field(default_factory=list)  # what its faults measured
    found: list[tuple[str, str]] = field(default_factory=list)   # what else the run noted (its parameters)

    @property
    def setup(self) -> list[Step]:
        return self.steps[:self.known_state]

    @property
    def procedure(self) -> list[Step]:
        return self.steps[self.known_state:]


@dataclass
class Feature:
    path: str
    name: str
    description: str
    scenarios: list[Scenario] = field(default_factory=list)


@dataclass
class Chapter:
    area: str
    title: str
    features: list[Feature] = field(default_factory=list)


def load_transcript(path: Path) -> dict[tuple[str, str], list[Command]]:
    """The last run's commands by (scenario, "Keyword step text")."""
    by_step: dict[tuple[str, str], list[Command]] = {}
    if not path.exists():
        return by_step
    for line in path.read_text().splitlines():
        entry = json.loads(line)
        scenario, sep, step = entry["section"].partition(" / ")
        if sep:
            key = (scenario, LINE_SUFFIX.sub("", step))
            kind = entry.get("kind", "read")
            by_step.setdefault(key, []).append(Command(entry["node"], kind, entry["command"],
                                                       entry["exit_code"], output=_output(entry, kind)))
    return by_step


OUTPUT_LINES = 12      # of a command's output the runbook shows; the report has all of it


def _output(entry: dict[str, Any], kind: str) -> str:
    """What a command that changed something printed, its first lines; nothing for a read."""
    if kind == "read":
        return ""
    lines = (entry.get("stdout", "") + entry.get("stderr", "")).rstrip().splitlines()
    more = f"\n… ({len(lines) - OUTPUT_LINES} more lines in the report)" if len(lines) > OUTPUT_LINES else ""
    return "\n".join(lines[:OUTPUT_LINES]) + more


def collapsed(commands: list[Command]) -> list[Command]:
    """Runs of the same command on the same node (a poll) as one, with how many times it ran."""
    out: list[Command] = []
    for c in commands:
        last = out[-1] if out else None
        if last and (last.node, last.kind, last.command) == (c.node, c.kind, c.command):
            out[-1] = Command(c.node, c.kind, c.command, c.exit_code, last.times + 1, c.output)
        else:
            out.append(c)
    return out


def load_results(folder: Path) -> dict[str, dict[str, Any]]:
    """The latest Allure result of each scenario, by its name."""
    latest: dict[str, dict[str, Any]] = {}
    for file in folder.glob("*-result.json") if folder.is_dir() else []:
        result = json.loads(file.read_text())
        name = result.get("name", "")
        if name not in latest or result.get("stop", 0) > latest[name].get("stop", 0):
            latest[name] = result
    return latest


def date_of(seconds: float | None) -> str:
    """A moment as the runbook shows it (UTC, to the minute); "" for none."""
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(seconds)) if seconds else ""


def _step(planned: dict[str, Any], scenario: str, ran: dict[tuple[str, str], list[Command]],
          statuses: dict[str, str]) -> Step:
    label = f"{planned['keyword']} {planned['text']}"
    result = statuses.get(label, "not run")
    destroys = any(c["kind"] == "destructive" for c in planned["commands"])
    if result != "not run":
        commands = collapsed(ran.get((scenario, label), []))
        return Step(planned["keyword"], planned["text"], commands, "last run", result,
                    planned_destructive=destroys)
    commands = [Command(c["node"], c["kind"], c["command"]) for c in planned["commands"]]
    return Step(planned["keyword"], planned["text"], commands, "plan", result, planned.get("stopped", ""),
                destroys)


NOT_FOUND = {"scenario", "stack", "title", "phases", "measurement"}   # shown with the figures, or no finding


def _found(result: dict[str, Any]) -> list[tuple[str, str]]:
    """What the run noted for a scenario besides its figures: the report's parameters (the discarded files,
    the resynced KiB, ...), the measured ones left to the figures table."""
    shown = []
    for p in result.get("parameters", []):
        name, value = str(p.get("name", "")), str(p.get("value", ""))
        if name and name not in NOT_FOUND and name not in FIGURE_KEYS:
            shown.append((name, value[1:-1] if value[:1] == value[-1:] == "'" else value))
    return shown


def build(planned: list[dict[str, Any]], ran: dict[tuple[str, str], list[Command]],
          results: dict[str, dict[str, Any]], verdicts: list[dict[str, str]] | None = None,
          figures: list[dict[str, Any]] | None = None) -> list[Chapter]:
    """The chapters, in the order the scenarios run, from the plan, the transcript, the results, the
    verdicts on the book's claims and the faults' measured figures."""
    chapters: dict[str, Chapter] = {}
    for sc in planned:
        area = Path(sc["feature"]).parent.name
        chapter = chapters.setdefault(area, Chapter(area, CHAPTERS.get(area, area)))
        if not chapter.features or chapter.features[-1].path != sc["feature"]:
            chapter.features.append(Feature(sc["feature"], sc["feature_name"], sc.get("description", "")))
        result = results.get(sc["name"], {})
        statuses = {s["name"]: s.get("status", "") for s in result.get("steps", [])}
        steps = [_step(st, sc["name"], ran, statuses) for st in sc["steps"]]
        judged = [v for v in verdicts or [] if v.get("title") == sc["name"]]
        measured = [f for f in figures or [] if f.get("title") == sc["name"]]
        chapter.features[-1].scenarios.append(Scenario(
            sc["name"], result.get("status", "not run"), date_of(result.get("stop", 0) / 1000), steps, judged,
            sc.get("known_state", 0), cited(sc["name"]), measured, _found(result)))
    return list(chapters.values())
