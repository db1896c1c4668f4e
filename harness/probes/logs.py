"""A point in a node's log, to read what was written after it: the one way the harness reads "the log
since then", whatever the log (a file such as ha-log or pacemaker.log, the kernel's ring buffer, the
journal's kernel messages)."""

from __future__ import annotations

import shlex
import uuid
from dataclasses import dataclass
from enum import Enum

from harness.node import Node
from harness.probes.errors import ParseError

JOURNAL_KERNEL = "journalctl -k -o short-iso-precise --no-pager"


class Source(Enum):
    FILE = "file"          # a log file: the point is a byte offset
    KERNEL = "kernel"      # the kernel's ring buffer (dmesg): the point is a mark written into it
    JOURNAL = "journal"    # the journal's kernel messages: the point is a time on the node's clock


@dataclass(frozen=True)
class Cursor:
    """Where a node's log stood at one moment."""

    source: Source
    at: str             # the byte offset, the mark's text, or the time ('YYYY-MM-DD HH:MM:SS', node's clock)
    path: str = ""      # the log file, for Source.FILE

    @property
    def offset(self) -> int:
        return int(self.at) if self.source is Source.FILE else 0


def end_of(node: Node, path: str) -> Cursor:
    """The end of a log file now (0 when there is no such file yet)."""
    res = node.sh("stat", "-c", "%s", path, warn=True)
    size = res.stdout.strip()
    return Cursor(Source.FILE, size if res.ok and size.isdigit() else "0", path)


def kernel_mark(node: Node, label: str) -> Cursor:
    """A mark written into the node's kernel log now."""
    text = f"hadrill-mark {label} {uuid.uuid4().hex[:8]}"
    node.run(f"echo {shlex.quote(text)} > /dev/kmsg")
    return Cursor(Source.KERNEL, text)


def journal_now(node: Node) -> Cursor:
    """The node's clock now, as a point in its journal."""
    return Cursor(Source.JOURNAL, node.run("date -u '+%F %T'").stdout.strip())


def after_mark(dmesg: str, mark: str) -> str:
    """The lines of dmesg output after the last one holding the mark."""
    lines = dmesg.splitlines()
    marked = [i for i, ln in enumerate(lines) if mark in ln]
    if not marked:
        raise ParseError("dmesg", f"the mark {mark!r} (did the log rotate past it?)", dmesg[-2000:])
    return "\n".join(lines[marked[-1] + 1:])


def kernel_log(node: Node) -> str:
    """The node's kernel log since its boot (dmesg)."""
    return node.run("dmesg").stdout


def since(node: Node, cursor: Cursor) -> str:
    """What the log holds after the cursor."""
    if cursor.source is Source.FILE:
        return node.run(f"tail -c +{cursor.offset + 1} {shlex.quote(cursor.path)} 2>/dev/null; true").stdout
    if cursor.source is Source.KERNEL:
        return after_mark(kernel_log(node), cursor.at)
    return node.run(f"{JOURNAL_KERNEL} --since {shlex.quote(cursor.at)}", warn=True).stdout
