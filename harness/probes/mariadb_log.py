"""MariaDB's start in the node's journal (`journalctl -u mariadb -o short-precise`): whether InnoDB had to
recover from a crash, how many pages its redo log touched, and how long from the server's start to
"ready for connections".

A line: `Dec 03 14:17:35.537972 node2 mariadbd[4948]: 2026-12-03 14:17:35 0 [Note] InnoDB: Starting crash
recovery from checkpoint LSN=90269`. Microseconds, no year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from shlex import quote

from harness.node import Node

LINE_RE = re.compile(r"^(?P<ts>[A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d\.\d{6}) \S+ (?P<rest>.*)$")
STARTED_RE = re.compile(r"\[Note\] Starting MariaDB ")
CRASH_RE = re.compile(r"InnoDB: Starting crash recovery from checkpoint LSN=(?P<lsn>\d+)")
PAGES_RE = re.compile(r"InnoDB: To recover: (?P<pages>\d+) pages")
READY_RE = re.compile(r"mariadbd: ready for connections")


@dataclass(frozen=True)
class ServerStart:
    """The last start of the server in a journal slice."""

    started: datetime
    crash_recovery: bool          # InnoDB replayed its redo log: the server had not been stopped cleanly
    pages: int | None             # the pages the redo log touched
    ready: datetime | None        # ready for connections; None while it is not

    @property
    def ready_after_s(self) -> float | None:
        """From the server's start to ready for connections."""
        return round((self.ready - self.started).total_seconds(), 2) if self.ready else None


def last_start(text: str, year: int) -> ServerStart | None:
    """The last start of MariaDB in the journal text (year: the journal's short format does not print it);
    None if the text holds no start."""
    found: ServerStart | None = None
    for line in text.splitlines():
        m = LINE_RE.match(line)
        if not m:
            continue
        at = datetime.strptime(f"{year} {m['ts']}", "%Y %b %d %H:%M:%S.%f")
        rest = m["rest"]
        if STARTED_RE.search(rest):
            found = ServerStart(at, False, None, None)
        elif found is None:
            continue
        elif CRASH_RE.search(rest):
            found = replace(found, crash_recovery=True)
        elif pages := PAGES_RE.search(rest):
            found = replace(found, pages=int(pages["pages"]))
        elif READY_RE.search(rest):
            found = replace(found, ready=at)
    return found


def this_boot(node: Node, unit: str) -> str:
    """The unit's journal since the node's boot, with microseconds."""
    return node.run(f"journalctl -u {quote(unit)} -b --no-pager -o short-precise", warn=True).stdout
