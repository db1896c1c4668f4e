"""Heartbeat's /var/log/ha-log: when a peer was declared dead and when each resource of the group started.

Two line formats share the file: `Nov 30 22:16:52 vm02 heartbeat: [1697]: WARN: node vm01: is dead`
(syslog style, from the heartbeat daemon) and `2026/11/30_22:16:52  ResourceManager(default)[1802]:
info: Running /etc/ha.d//resource.d/IPaddr 192.168.8.100 start` (from its scripts). Both have whole seconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

SYSLOG_RE = re.compile(r"^(?P<ts>[A-Z][a-z]{2} +\d+ \d\d:\d\d:\d\d) (?P<host>\S+) (?P<rest>.*)$")
SCRIPT_RE = re.compile(r"^(?P<ts>\d{4}/\d\d/\d\d_\d\d:\d\d:\d\d) +(?P<rest>.*)$")
DEAD_RE = re.compile(r"WARN: node (?P<node>\S+): is dead")
START_RE = re.compile(r"Running /etc/ha\.d/+resource\.d/(?P<script>\S+)\s+(?P<args>.*?)\s*start$")
MISSED_RE = re.compile(r"WARN: (?P<count>\d+) lost packet\(s\) for \[(?P<node>\S+)\]")   # a gap in seqnos
TAKEOVER_DONE = "mach_down takeover complete for node"
STANDBY_DONE = "HA resource acquisition completed (standby)"   # all, local or foreign
# A start: the local acquisition child ends, then the group is acquired once the peer answers
# ("ip-request-resp", a second later here). When that answer is lost (`msg2string: Message with zero
# fields` on a loaded machine) nothing is ever acquired, and Heartbeat does not ask again.
ACQUISITION_ENDED = "Local Resource acquisition completed"
ACQUIRING_GROUP = "Acquiring resource group"


@dataclass(frozen=True)
class Event:
    at: datetime
    what: str            # "dead", "start", "takeover complete"
    subject: str         # the dead node, the started resource script (drbddisk, Filesystem, IPaddr, mysql)


def _time(line: str, year: int) -> tuple[datetime, str] | None:
    m = SCRIPT_RE.match(line)
    if m:
        return datetime.strptime(m["ts"], "%Y/%m/%d_%H:%M:%S"), m["rest"]
    m = SYSLOG_RE.match(line)
    if m:
        return datetime.strptime(f"{year} {m['ts']}", "%Y %b %d %H:%M:%S"), m["rest"]
    return None


def events(text: str, year: int) -> list[Event]:
    """The takeover events of an ha-log, in order (year: syslog lines do not print it)."""
    out = []
    for line in text.splitlines():
        stamped = _time(line, year)
        if stamped is None:
            continue
        at, rest = stamped
        if m := DEAD_RE.search(rest):
            out.append(Event(at, "dead", m["node"]))
        elif m := START_RE.search(rest):
            out.append(Event(at, "start", m["script"]))
        elif TAKEOVER_DONE in rest:
            out.append(Event(at, "takeover complete", rest.rsplit(" ", 1)[-1].rstrip(".")))
        elif STANDBY_DONE in rest:
            out.append(Event(at, "takeover complete", "standby"))
    return out


def takeover_phases(evs: list[Event]) -> dict[str, float]:
    """Seconds from the peer's (last) death to the start of each resource and to the takeover's end."""
    deaths = [e for e in evs if e.what == "dead"]
    if not deaths:
        return {}
    dead = deaths[-1].at
    phases: dict[str, float] = {}
    for e in evs:
        if e.at >= dead and e.what == "start":
            phases.setdefault(e.subject, (e.at - dead).total_seconds())
        elif e.at >= dead and e.what == "takeover complete":
            phases["complete"] = (e.at - dead).total_seconds()
    return phases


def phases_since(evs: list[Event], origin: datetime) -> dict[str, float]:
    """Seconds from origin (a fault, on the node's clock) to the first death seen after it, the start of
    each resource and the end of the takeover. The log has whole seconds: so have the figures, about."""
    key = {"dead": "dead", "takeover complete": "complete"}
    phases: dict[str, float] = {}
    for e in evs:
        if e.at >= origin.replace(microsecond=0):
            name = e.subject if e.what == "start" else key[e.what]
            phases.setdefault(name, max(0.0, round((e.at - origin).total_seconds(), 1)))
    return phases


def acquisition_ended_empty(text: str) -> bool:
    """The ha-log of a start (from its first line) says the acquisition ended, and no group acquired (yet)."""
    return ACQUISITION_ENDED in text and ACQUIRING_GROUP not in text


def packets_missed(text: str, peer: str) -> int:
    """The packets this node's Heartbeat found missing from the peer (gaps in its sequence numbers, asked
    for again), by the ha-log's warnings."""
    return sum(int(m["count"]) for m in MISSED_RE.finditer(text) if m["node"] == peer)
