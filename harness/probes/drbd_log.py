"""What the DRBD module says in the kernel log: split brains and the size of each resync."""

from __future__ import annotations

import re
import shlex
import uuid
from dataclasses import dataclass

from harness.node import Node
from harness.probes.errors import ParseError

SPLIT_BRAIN_UNRESOLVED = "Split-Brain detected but unresolved, dropping connection!"
SPLIT_BRAIN_SOLVED_RE = re.compile(r"Split-Brain detected, manually solved\. Sync from (this|peer) node")
FULL_SYNC = "Writing the whole bitmap, full sync required"
RESYNC_RE = re.compile(
    r"drbd (?P<res>[\w.-]+)/\d+ drbd\d+: Began resync as (?P<role>SyncSource|SyncTarget) "
    r"\(will sync (?P<kb>\d+) KB \[(?P<bits>\d+) bits set\]\)")


@dataclass(frozen=True)
class Resync:
    resource: str
    role: str       # SyncSource or SyncTarget
    kib: int
    bits: int


@dataclass(frozen=True)
class DrbdLog:
    """The DRBD lines of a stretch of kernel log."""

    lines: tuple[str, ...]

    @property
    def split_brain_detected(self) -> bool:
        return any(SPLIT_BRAIN_UNRESOLVED in ln for ln in self.lines)

    @property
    def split_brain_solved_from(self) -> str:
        """'this' or 'peer' (the node the good data came from), '' if no manual solve was logged."""
        for ln in self.lines:
            m = SPLIT_BRAIN_SOLVED_RE.search(ln)
            if m:
                return m[1]
        return ""

    @property
    def full_sync(self) -> bool:
        return any(FULL_SYNC in ln for ln in self.lines)

    @property
    def resyncs(self) -> list[Resync]:
        return [Resync(m["res"], m["role"], int(m["kb"]), int(m["bits"]))
                for m in map(RESYNC_RE.search, self.lines) if m]

    def quote(self, pattern: str) -> str:
        """The first line containing pattern (for a report), or ''."""
        return next((ln for ln in self.lines if pattern in ln), "")


def parse(dmesg: str, after_mark: str = "") -> DrbdLog:
    """The DRBD lines of dmesg output (only those after the last line holding after_mark, if given)."""
    lines = dmesg.splitlines()
    if after_mark:
        marked = [i for i, ln in enumerate(lines) if after_mark in ln]
        if not marked:
            raise ParseError("dmesg", f"the mark {after_mark!r} (did the log rotate past it?)", dmesg[-2000:])
        lines = lines[marked[-1] + 1:]
    return DrbdLog(tuple(ln for ln in lines if " drbd" in ln))


def mark(node: Node, label: str) -> str:
    """Write a mark into the node's kernel log; since() then reads only what comes after it."""
    text = f"hadrill-mark {label} {uuid.uuid4().hex[:8]}"
    node.run(f"echo {shlex.quote(text)} > /dev/kmsg")
    return text


def since(node: Node, mark_text: str) -> DrbdLog:
    return parse(node.run("dmesg").stdout, mark_text)
