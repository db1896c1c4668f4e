"""Allure's own history (its trend charts) carried from report to report: Allure reads a run's past from
allure-results/history and writes the new one into a report folder's history/; the single-file report
writes none, so a folder report is made beside it to take that history from. A run reported twice
counts once."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from harness.paths import remove_tree

FOLDER = Path("history") / "allure"     # under reports/: survives each run's fresh start


def run_id(results: Path) -> str:
    """Which run the results are: the latest end among them."""
    stops = [json.loads(f.read_text()).get("stop", 0) for f in results.glob("*-result.json")]
    return str(max(stops, default=0))


def _reported_last(kept: Path, this_run: str) -> bool:
    """Whether the last report kept was of this same run."""
    return (kept / "run").exists() and (kept / "run").read_text() == this_run


def before_this_run(reports: Path, results: Path) -> Path | None:
    """The history to give Allure for this run: the one before it (the last report's, unless that report
    was of this same run)."""
    kept = reports / FOLDER
    past = kept / ("before" if _reported_last(kept, run_id(results)) else "after")
    return past if past.is_dir() else None


def feed(reports: Path, results: Path) -> None:
    """allure-results/history made the history before this run (none for a first run)."""
    past = before_this_run(reports, results)
    target = results / "history"
    for stale in target.iterdir() if target.is_dir() else []:     # Allure's history: flat files
        stale.unlink()
    if past:
        shutil.copytree(past, target, dirs_exist_ok=True)


def keep(reports: Path, results: Path, folder_report: Path) -> None:
    """The history a folder report of this run wrote, kept for the next run's report."""
    kept = reports / FOLDER
    kept.mkdir(parents=True, exist_ok=True)
    this_run = run_id(results)
    if not _reported_last(kept, this_run):
        remove_tree(kept / "before")
        if (kept / "after").is_dir():
            (kept / "after").rename(kept / "before")
    remove_tree(kept / "after")
    if (folder_report / "history").is_dir():
        shutil.copytree(folder_report / "history", kept / "after")
    (kept / "run").write_text(this_run)
