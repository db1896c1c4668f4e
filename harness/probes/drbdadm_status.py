"""`drbdadm status` of drbd-utils 9 talking to the 8.4 module (no --json there; DRBD 9 state names).

The 8.4 states are renamed: cs:Connected reads `replication:Established`, cs:WFConnection reads
`peer connection:Connecting`, and a StandAlone resource (a split brain, a disconnect) has no peer
block at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from harness.node import Node
from harness.probes.errors import ParseError

HEAD_RE = re.compile(r"^(?P<name>[\w.-]+) role:(?P<role>\w+)$")
FIELD_RE = re.compile(r"([\w-]+):(\S+)")


@dataclass(frozen=True)
class Peer:
    role: str                 # Primary, Secondary, Unknown ("" while connecting)
    connection: str           # Connected, Connecting, ...
    replication: str          # Established, SyncSource, SyncTarget ("" while not connected)
    disk: str                 # peer-disk: UpToDate, Inconsistent, ...
    done_percent: float | None


@dataclass(frozen=True)
class Status:
    resource: str
    role: str
    disk: str
    peer: Peer | None         # None: no peer block (StandAlone)

    @property
    def standalone(self) -> bool:
        return self.peer is None


def parse(text: str) -> Status:
    """One resource's `drbdadm status NAME` output."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    head = HEAD_RE.match(lines[0].strip()) if lines else None
    if head is None:
        raise ParseError("drbdadm status", "a first line 'NAME role:ROLE'", text)
    fields: dict[str, str] = {}
    peer_fields: dict[str, str] = {}
    in_peer = False
    for line in lines[1:]:
        words = line.strip()
        if words.startswith("peer ") or words == "peer":
            in_peer = True
            words = words[len("peer"):]
        found = dict(FIELD_RE.findall(words))
        if not found:
            raise ParseError("a drbdadm status line", "key:value fields", text)
        (peer_fields if in_peer else fields).update(found)
    if "disk" not in fields:
        raise ParseError("drbdadm status", "a 'disk:STATE' line", text)
    return Status(head["name"], head["role"], fields["disk"], _peer(peer_fields) if in_peer else None)


def _peer(f: dict[str, str]) -> Peer:
    replication = f.get("replication", "")
    connection = f.get("connection", "Connected" if replication else "")
    done = float(f["done"]) if "done" in f else None
    return Peer(f.get("role", ""), connection, replication, f.get("peer-disk", ""), done)


def read(node: Node, resource: str) -> Status:
    return parse(node.sh("drbdadm", "status", resource).stdout)
