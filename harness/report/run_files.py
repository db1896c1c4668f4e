"""The files one run leaves under reports/ besides its junit files: the Allure results, the transcript, the
measurements and the verdicts. A run starts them empty, so they are its own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

RESULTS = "allure-results"
TARGET = "run.json"      # where the run ran: provider, inventory, topology (the runbook plans for it)
TURNS = "turns.jsonl"      # each scenario's turn on the machine: waited, held alone (bench/bench_turns.py)
JSONL = ("transcript.jsonl", "measurements.jsonl", "claims.jsonl", TURNS)


def start_logs(reports: Path) -> None:
    """The transcript, measurements and verdicts of the last run removed."""
    for name in JSONL:
        (reports / name).unlink(missing_ok=True)


def start_fresh(reports: Path) -> None:
    """Everything of the last run's removed: a run's sessions (or parts) need not be the last run's."""
    start_logs(reports)
    for junit in reports.glob("junit-*.xml"):
        junit.unlink()
    results = reports / RESULTS
    results.mkdir(parents=True, exist_ok=True)
    for old in results.iterdir():
        if old.is_file():
            old.unlink()


def write_target(reports: Path, provider: str, inventory: str | None, topology: str | None) -> None:
    """Where this run runs, for the runbook made from it later."""
    where = {"provider": provider, "inventory": str(Path(inventory).absolute()) if inventory else None,
             "topology": topology}
    (reports / TARGET).write_text(json.dumps(where, indent=1) + "\n")


def target(reports: Path) -> dict[str, Any]:
    """Where the last run ran ({} if no run left it, or a run before this file existed)."""
    path = reports / TARGET
    return json.loads(path.read_text()) if path.exists() else {}
