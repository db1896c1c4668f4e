"""The book's claims and their verdicts: held or not held, from what a scenario saw on the nodes.

Each verdict goes to reports/claims.jsonl and to the report (parameters and an attachment of the test).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from harness.paths import reports_dir
from harness.report import attachments


def path() -> Path:
    return reports_dir() / "claims.jsonl"


def judge(scenario: str, claim: str, held: bool, evidence: str) -> dict[str, Any]:
    """Record the verdict on one claim of the book, with the evidence it rests on."""
    verdict = {"scenario": scenario, "claim": claim, "verdict": "held" if held else "not held",
               "evidence": evidence}
    out = path()
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "a") as f:
        f.write(json.dumps(verdict, sort_keys=True) + "\n")
    attachments.parameter("book's claim", claim)
    attachments.parameter("verdict", verdict["verdict"])
    attachments.attach_text(f"the book's claim: {verdict['verdict']}",
                          f"{claim}\n\n{verdict['verdict']}: {evidence}")
    return verdict


def load(file: Path | None = None) -> list[dict[str, Any]]:
    file = file or path()
    if not file.exists():
        return []
    return [json.loads(line) for line in file.read_text().splitlines() if line.strip()]
