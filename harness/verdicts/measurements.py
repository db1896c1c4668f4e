"""Measured figures of fault scenarios: one JSON line each in reports/measurements.jsonl, and the report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from harness.paths import reports_dir
from harness.report import attachments, timeline


def path() -> Path:
    return reports_dir() / "measurements.jsonl"


def record(figures: dict[str, Any]) -> None:
    """Append one measurement; its figures also become parameters of the test in the report."""
    out = path()
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "a") as f:
        f.write(json.dumps(figures, sort_keys=True) + "\n")
    for key, value in figures.items():
        if key != "scenario":
            attachments.parameter(key, value)
    attachments.attach_json("measurement", figures)
    if isinstance(figures.get("phases"), dict):
        attachments.attach_svg("timeline", timeline.svg(figures["phases"]))


def load(file: Path | None = None) -> list[dict[str, Any]]:
    file = file or path()
    if not file.exists():
        return []
    return [json.loads(line) for line in file.read_text().splitlines() if line.strip()]
