"""The record of every command the harness ran: node, command, exit code, duration, output."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from harness.report.secrets import REDACTOR


@dataclass(frozen=True)
class Entry:
    """One command on one node."""

    node: str
    command: str
    exit_code: int | None      # None: it did not finish (timeout, connection lost)
    duration_s: float
    stdout: str
    stderr: str
    started: float = field(default_factory=time.time)
    kind: str = "read"         # read, change or destructive: what the op that ran it does (harness.kinds)

    def render(self) -> str:
        """The entry as a person reads it in a report."""
        code = "timeout/lost" if self.exit_code is None else str(self.exit_code)
        mark = "" if self.kind == "read" else f"  ({self.kind})"
        lines = [f"[{self.node}] $ {self.command}{mark}", f"  exit {code} in {self.duration_s * 1000:.0f} ms"]
        for name, text in (("stdout", self.stdout), ("stderr", self.stderr)):
            if text.strip():
                lines.append(f"  --- {name}")
                lines += [f"  {line}" for line in text.rstrip("\n").splitlines()]
        return "\n".join(lines)


class Transcript:
    """Entries grouped by the step that was running; every entry also goes to a JSONL file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.section = "(outside any step)"
        self.entries: list[tuple[str, Entry]] = []
        self._since_begin: list[Entry] = []
        self.listeners: list[Callable[[Entry], None]] = []

    def begin(self, section: str) -> None:
        """Start a new section: later entries belong to it (and to no earlier one of the same name)."""
        self.section = section
        self._since_begin = []

    def add(self, entry: Entry) -> Entry:
        """Record the entry with secrets redacted; returns the redacted entry."""
        safe = replace(entry, command=REDACTOR.redact(entry.command), stdout=REDACTOR.redact(entry.stdout),
                       stderr=REDACTOR.redact(entry.stderr))
        self.entries.append((self.section, safe))
        self._since_begin.append(safe)
        if self.path:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a") as out:
                out.write(json.dumps({"section": self.section, **asdict(safe)}) + "\n")
        for listener in self.listeners:
            listener(safe)
        return safe

    def current(self) -> list[Entry]:
        """The entries added since the last begin()."""
        return list(self._since_begin)


TRANSCRIPT = Transcript()
