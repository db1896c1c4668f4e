"""The only module that speaks to Allure: step transcripts, measured figures, evidence files."""

from __future__ import annotations

import json
from typing import Any

import allure

from harness.report.secrets import REDACTOR
from harness.report.transcript import Entry


def attach_commands(entries: list[Entry]) -> None:
    """Attach the commands a step ran, per node, to the step in the report."""
    if not entries:
        return
    for node in sorted({e.node for e in entries}):
        text = "\n\n".join(e.render() for e in entries if e.node == node)
        allure.attach(text, name=f"commands on {node}", attachment_type=allure.attachment_type.TEXT)


def attach_text(name: str, text: str) -> None:
    allure.attach(REDACTOR.redact(text), name=name, attachment_type=allure.attachment_type.TEXT)


def attach_json(name: str, data: Any) -> None:
    allure.attach(REDACTOR.redact(json.dumps(data, indent=2, default=str)), name=name,
                  attachment_type=allure.attachment_type.JSON)


def attach_svg(name: str, svg: str) -> None:
    allure.attach(REDACTOR.redact(svg), name=name, attachment_type=allure.attachment_type.SVG)


def parameter(name: str, value: object) -> None:
    """A figure (RTO, lost rows, ...) shown as a parameter of the test in the report."""
    allure.dynamic.parameter(name, REDACTOR.redact(str(value)))


def tag(text: str) -> None:
    """A tag on the test in the report (shown beside its name, and a filter)."""
    allure.dynamic.tag(REDACTOR.redact(text))  # type: ignore[no-untyped-call]
