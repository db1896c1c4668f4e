"""The book's claims and their verdicts: held or not held, from what a scenario saw on the nodes.

Each verdict goes to reports/claims.jsonl, to the report (a tag a reader sees at a glance, parameters and an
attachment of the test), to the junit file (a property of the test, by the plugin) and to the runbook. A
claim not held is a finding about the book, not a failure of the harness: the scenario passes, unless the
run asks for strict claims (`hadrill run --strict-claims`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from harness.paths import reports_dir
from harness.report import attachments


def path() -> Path:
    return reports_dir() / "claims.jsonl"


_JUDGED: list[dict[str, Any]] = []     # this test's verdicts, taken by the plugin when it reports
_TITLE: list[str] = [""]                # the running scenario's title, as its feature writes it


def begin(title: str) -> None:
    """A scenario starts (the plugin's): its verdicts carry its title, the name the runbook knows it by."""
    _TITLE[0] = title


def title() -> str:
    """The running scenario's title ("" outside a scenario)."""
    return _TITLE[0]


def taken() -> list[dict[str, Any]]:
    """The verdicts judged since the last call (the plugin's, once per test)."""
    judged = list(_JUDGED)
    _JUDGED.clear()
    return judged


def judge(scenario: str, claim: str, held: bool, evidence: str) -> dict[str, Any]:
    """Record the verdict on one claim of the book, with the evidence it rests on."""
    verdict = {"scenario": scenario, "title": _TITLE[0], "claim": claim,
               "verdict": "held" if held else "not held", "evidence": evidence}
    out = path()
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "a") as f:
        f.write(json.dumps(verdict, sort_keys=True) + "\n")
    _JUDGED.append(verdict)
    attachments.tag(f"book's claim {verdict['verdict']}")
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


def in_report(item: pytest.Item, rep: pytest.TestReport, verdicts: list[dict[str, Any]],
              strict: bool) -> None:
    """Each claim judged in the test as a property of the test (junit shows it); with strict claims, a
    passed test whose claim was not held fails, saying which."""
    for verdict in verdicts:
        item.user_properties.append(("book's claim", f"{verdict['verdict']}: {verdict['claim']}"))
    refuted = [v for v in verdicts if v["verdict"] != "held"]
    if strict and refuted and rep.passed:
        rep.outcome = "failed"
        rep.longrepr = "\n".join(f"the book's claim \"{v['claim']}\" was not held: {v['evidence']}"
                                 for v in refuted)
