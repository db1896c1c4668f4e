"""The files one run leaves under reports/ besides its junit files: the Allure results, the transcript, the
measurements and the verdicts. A run starts them empty, so they are its own."""

from __future__ import annotations

from pathlib import Path

RESULTS = "allure-results"
JSONL = ("transcript.jsonl", "measurements.jsonl", "claims.jsonl")


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
