"""A known state reached only after a recovery is said, never hidden: the evidence goes to the step in
the report, and a warning to the run's summary (pytest lists it at the end, in CI's log too)."""

from __future__ import annotations

import warnings

from harness.report.attachments import attach_text
from harness.report.secrets import REDACTOR


class SetupRecovered(UserWarning):
    """A scenario's known state needed a recovery: what went wrong is in the message."""


def recovered(what: str, evidence: str) -> None:
    """Record that setting up took a second way in: `what` in a line, `evidence` as read on the nodes."""
    attach_text(f"recovered while setting up: {what}", evidence)
    warnings.warn(SetupRecovered(REDACTOR.redact(f"{what}\n{evidence}")), stacklevel=2)
