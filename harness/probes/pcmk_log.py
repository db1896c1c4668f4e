"""Pacemaker's log (/var/log/pacemaker/pacemaker.log) read for a takeover: when the peer was lost, when
its fencing was asked for and confirmed, and when each resource of the service started; and pacemakerd's
word on a subdaemon that died and was started again.

A line: `Dec 01 01:54:43.654 node2 pacemaker-controld  [2192] (handle_fence_notification) 	notice: Peer
node1 was terminated (reboot) by node2 on behalf of ...: OK`. Milliseconds, no year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from harness.node import Node

PACEMAKER_LOG = "/var/log/pacemaker/pacemaker.log"
LINE_RE = re.compile(r"^(?P<ts>[A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d\.\d{3}) (?P<host>\S+) (?P<rest>.*)$")
PATTERNS = (
    ("lost", re.compile(r"pacemaker-controld.*Node (?P<subject>\S+) state is now lost")),
    ("fence requested", re.compile(r"Requesting fencing \(\w+\) of node (?P<subject>\S+)")),
    ("fenced", re.compile(r"Peer (?P<subject>\S+) was terminated \(\w+\) by \S+ .*: OK")),
    ("fence failed", re.compile(r"Operation '\w+' targeting (?P<subject>\S+) by \S+ for \S+: "
                                r"(?!OK)(?P<why>.*)")),
    ("start asked", re.compile(r"Requesting local execution of start operation for (?P<subject>\S+) on")),
    ("stop asked", re.compile(r"Requesting local execution of stop operation for (?P<subject>\S+) on")),
    ("started", re.compile(r"Result of start operation for (?P<subject>\S+) on \S+: ok")),
    ("failed", re.compile(r"Result of monitor operation for (?P<subject>\S+) on \S+: (?!ok\b|Cancelled\b)")),
    ("exited", re.compile(r"\(pcmk_child_exit\)\s+\w+: (?P<subject>[\w-]+)\[\d+\] terminated")),
    ("respawned", re.compile(r"Respawning (?P<subject>[\w-]+) subdaemon after unexpected exit")),
)

# the fencer of the node that ran a fence device: one line a device, in the order it ran them
DEVICE_RAN_RE = re.compile(r"Operation '(?P<action>\w+)' \[\d+\] targeting (?P<target>\S+) using "
                           r"(?P<device>\S+) returned (?P<rc>-?\d+)")


def size(node: Node) -> int | None:
    """pacemaker.log's size now; None where the node has none (no Pacemaker there)."""
    res = node.sh("stat", "-c", "%s", PACEMAKER_LOG, warn=True)
    out = res.stdout.strip()
    return int(out) if res.ok and out.isdigit() else None


@dataclass(frozen=True)
class Event:
    at: datetime
    what: str       # lost, fence requested, fenced, fence failed, start asked, stop asked, started, failed,
                    # exited, respawned
    subject: str    # the node (lost, fence...), the resource (start...) or pacemakerd's subdaemon (exited...)


def events(text: str, year: int) -> list[Event]:
    """The takeover events of a pacemaker.log slice, in order (year: the log does not print it)."""
    out = []
    for line in text.splitlines():
        m = LINE_RE.match(line)
        if not m:
            continue
        for what, pattern in PATTERNS:
            if found := pattern.search(m["rest"]):
                at = datetime.strptime(f"{year} {m['ts']}", "%Y %b %d %H:%M:%S.%f")
                out.append(Event(at, what, found["subject"]))
                break
    return out


def first(evs: list[Event], what: str, subject: str | None = None) -> Event | None:
    return next((e for e in evs if e.what == what and subject in (None, e.subject)), None)


def phases(evs: list[Event], origin: datetime, peer: str, resources: dict[str, str]) -> dict[str, float]:
    """Seconds from origin (the fault, on the node's clock) to the peer's loss (detection), its fencing
    asked and confirmed, and the start of each resource, under its phase's name (resource -> phase:
    data_fs -> filesystem, ...)."""
    later = [e for e in evs if e.at >= origin]
    found: dict[str, float] = {}
    marks = [("detection", first(later, "lost", peer)),
             ("fence_requested", first(later, "fence requested", peer)),
             ("fenced", first(later, "fenced", peer))]
    marks += [(phase, first(later, "started", resource)) for resource, phase in resources.items()]
    for name, event in marks:
        if event is not None:
            found[name] = round((event.at - origin).total_seconds(), 2)
    return found


def fenced_before_mount(evs: list[Event], peer: str, filesystem: str) -> bool | None:
    """True if the peer's fencing was confirmed before the filesystem's start was asked for; None if
    the log shows no start of the filesystem."""
    mount = first(evs, "start asked", filesystem)
    if mount is None:
        return None
    fenced = first(evs, "fenced", peer)
    return fenced is not None and fenced.at <= mount.at


def devices_ran(text: str, target: str) -> list[tuple[str, str, bool]]:
    """Each fence device this node's fencer ran against the target, in order: (action, device, whether it
    returned 0). A level of several devices shows as several lines ("off" with each, then "on" with those
    that can)."""
    return [(m["action"], m["device"], m["rc"] == "0") for line in text.splitlines()
            if (m := DEVICE_RAN_RE.search(line)) and m["target"] == target]
