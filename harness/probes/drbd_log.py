"""What the DRBD module says in the kernel log: split brains and the size of each resync."""

from __future__ import annotations

import re
from dataclasses import dataclass

from harness.node import Node
from harness.probes import logs

SPLIT_BRAIN_UNRESOLVED = "Split-Brain detected but unresolved, dropping connection!"
SPLIT_BRAIN_SOLVED_RE = re.compile(r"Split-Brain detected, manually solved\. Sync from (this|peer) node")
FULL_SYNC = "Writing the whole bitmap, full sync required"
# a device's lines begin "drbd r0/0 drbd0:" in recent kernels, "block drbd0:" in older ones (Debian 12's 6.1)
RESYNC_RE = re.compile(
    r"(?:drbd [\w.-]+/\d+ |block )(?P<device>drbd\d+): Began resync as (?P<role>SyncSource|SyncTarget) "
    r"\(will sync (?P<kb>\d+) KB \[(?P<bits>\d+) bits set\]\)")


@dataclass(frozen=True)
class Resync:
    device: str     # drbd0, drbd1, ...
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
        return [Resync(m["device"], m["role"], int(m["kb"]), int(m["bits"]))
                for m in map(RESYNC_RE.search, self.lines) if m]

    def quote(self, pattern: str) -> str:
        """The first line containing pattern (for a report), or ''."""
        return next((ln for ln in self.lines if pattern in ln), "")


def parse(dmesg: str, after_mark: str = "") -> DrbdLog:
    """The DRBD lines of dmesg output (only those after the last line holding after_mark, if given)."""
    lines = (logs.after_mark(dmesg, after_mark) if after_mark else dmesg).splitlines()
    return DrbdLog(tuple(ln for ln in lines if " drbd" in ln))


def since(node: Node, cursor: logs.Cursor) -> DrbdLog:
    """The DRBD lines the node's kernel logged after the cursor (a mark: logs.kernel_mark)."""
    return parse(logs.since(node, cursor))
