"""The kernel's log as journald keeps it (`journalctl -k -o short-iso-precise`), read for GFS2's journal
recovery after a member was lost: `2026-12-01T02:04:48.952431+0000 node2 kernel: gfs2: fsid=rhcs:shared.0:
recover jid 1 result success`. The node's own clock, microseconds."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

LINE_RE = re.compile(r"^(?P<ts>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+)[+-]\d{4} \S+ kernel: (?P<msg>.*)$")
RECOVERED_RE = re.compile(r"gfs2: fsid=(?P<fs>\S+): recover jid (?P<jid>\d+) result (?P<result>\w+)")


@dataclass(frozen=True)
class Recovery:
    at: datetime       # the node's clock, UTC
    fsid: str          # <cluster>:<fs>.<this node's journal>
    jid: int           # the journal recovered (the lost member's)
    result: str        # success, ...


def recoveries(text: str) -> list[Recovery]:
    out = []
    for line in text.splitlines():
        m = LINE_RE.match(line)
        if m and (r := RECOVERED_RE.search(m["msg"])):
            out.append(Recovery(datetime.fromisoformat(m["ts"]), r["fs"], int(r["jid"]), r["result"]))
    return out


