"""Secrets kept out of what pytest and logging write: exception messages, test reports, log records.

(Transcripts and attachments are redacted where they are made: report.transcript, report.attachments.)
"""

from __future__ import annotations

import logging
from typing import Any

from harness.report.secrets import REDACTOR


def exception(exc: BaseException) -> None:
    """The exception's text arguments redacted in place (what str(exc) and tracebacks show)."""
    exc.args = tuple(REDACTOR.redact(a) if isinstance(a, str) else a for a in exc.args)


def report(rep: Any) -> None:
    """A test report's failure text and captured output redacted, where a secret is in them."""
    if rep.longrepr is not None:
        text = str(rep.longrepr)
        safe = REDACTOR.redact(text)
        if safe != text:
            rep.longrepr = safe
    rep.sections = [(title, REDACTOR.redact(content)) for title, content in rep.sections]


def install_for_logging() -> None:
    """Every log record's message redacted as it is made (paramiko's, pytest's capture, ours)."""
    make = logging.getLogRecordFactory()
    if getattr(make, "hadrill_redacts", False):
        return

    def redacting(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is logging's to report, not ours
            return record
        safe = REDACTOR.redact(message)
        if safe != message:
            record.msg, record.args = safe, ()
        return record

    redacting.hadrill_redacts = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(redacting)
