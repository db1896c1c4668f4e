"""Every run kept for the regression lab: its figures, verdicts, junit files and each scenario's result,
copied to reports/history/<when it ended>/ once it ends; the last N runs kept, older ones removed."""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.paths import remove_tree
from harness.report.run_files import RESULTS, TARGET, TURNS
from harness.report.runbook import load_results

FOLDER = "history"
DEFAULT_KEEP = 20
KEPT = ("measurements.jsonl", "claims.jsonl", TURNS, TARGET)
STATUSES = "results.json"      # each scenario's title and its result in that run


@dataclass(frozen=True)
class PastRun:
    name: str                                  # the folder's: when the run ended (UTC)
    statuses: dict[str, str]                   # scenario title -> passed, failed, broken, skipped
    figures: list[dict[str, Any]]              # the lines of its measurements.jsonl


def _statuses(results: Path) -> dict[str, str]:
    """Each scenario's last result in an allure-results folder, by its title."""
    return {name: result.get("status", "unknown") for name, result in sorted(load_results(results).items())
            if name}


def keep(reports: Path, runs_kept: int = DEFAULT_KEEP) -> Path | None:
    """The run that just ended copied into the history (None if it left no results); the oldest runs
    beyond runs_kept removed."""
    statuses = _statuses(reports / RESULTS)
    if not statuses:
        return None
    folder = _new_folder(reports / FOLDER)
    for name in KEPT:
        if (reports / name).exists():
            shutil.copy2(reports / name, folder / name)
    for junit in reports.glob("junit-*.xml"):
        shutil.copy2(junit, folder / junit.name)
    (folder / STATUSES).write_text(json.dumps(statuses, indent=1) + "\n")
    for old in _folders(reports / FOLDER)[:-runs_kept or None]:
        remove_tree(old)
    return folder


def _new_folder(history: Path) -> Path:
    stamp = time.strftime("%Y-%m-%dT%H%M%SZ", time.gmtime())
    for n in range(1, 1000):
        folder = history / (stamp if n == 1 else f"{stamp}-{n:03d}")
        try:
            folder.mkdir(parents=True)
            return folder
        except FileExistsError:
            continue
    raise RuntimeError(f"no free folder for this run under {history}")


def _folders(history: Path) -> list[Path]:
    """The kept runs, oldest first (their names sort by time)."""
    return sorted(p for p in history.iterdir() if (p / STATUSES).exists()) if history.is_dir() else []


def _jsonl(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text().splitlines() if path.exists() else []
    return [json.loads(line) for line in lines if line.strip()]


def runs(reports: Path) -> list[PastRun]:
    """The kept runs, oldest first."""
    return [PastRun(p.name, json.loads((p / STATUSES).read_text()), _jsonl(p / "measurements.jsonl"))
            for p in _folders(reports / FOLDER)]
