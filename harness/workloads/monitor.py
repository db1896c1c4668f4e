"""The invariant monitor: during a fault, what each node holds is sampled, and every unsafe moment kept.

The invariants of a DRBD + Heartbeat + MariaDB pair: the VIP on at most one node, DRBD Primary on at most
one node, /data mounted only where DRBD is Primary, mysqld running only where /data is mounted. On shared
storage (book 7.3) there is no DRBD role: /data (ext4, not a cluster filesystem) mounted on at most one node.
A powered-off node holds nothing; a node that does not answer in time is `unknown` in that sample (never
counted as holding nothing), and the findings say how many samples read every live node.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from harness.lab.providers.base import Provider
from harness.node import Node
from harness.probes import holdings
from harness.probes.holdings import Holdings
from harness.report.transcript import Transcript

SAMPLE_TIMEOUT_S = 3.0
STALE_S = 2.0            # a reading older than this is unknown in a sample
UNKNOWN = "unknown"      # what the timeline says of a live node without a fresh reading


def broken(held: dict[str, Holdings], shared_storage: bool = False) -> list[str]:
    """The invariants a sample of the nodes breaks, each said in words (empty: all hold)."""
    found = []
    exclusive = [("the VIP", sorted(n for n, h in held.items() if h.vip))]
    if shared_storage:
        exclusive.append(("/data mounted", sorted(n for n, h in held.items() if h.mounted)))
    else:
        exclusive.append(("DRBD Primary", sorted(n for n, h in held.items() if h.role == "Primary")))
    for what, holders in exclusive:
        if len(holders) > 1:
            found.append(f"{what} on {' and '.join(holders)}")
    for name, h in sorted(held.items()):
        if h.mounted and h.role != "Primary" and not shared_storage:
            found.append(f"/data mounted on {name}, which is {h.role}")
        if h.mysqld and not h.mounted:
            found.append(f"mysqld on {name} without /data")
    return found


@dataclass
class Episode:
    """One invariant broken over consecutive samples, from first to last seen (monotonic seconds)."""

    what: str
    first: float
    last: float

    def render(self, origin: float) -> str:
        return f"+{self.first - origin:.1f} s to +{self.last - origin:.1f} s: {self.what}"


@dataclass
class Findings:
    shared_storage: bool = False
    samples: int = 0
    episodes: list[Episode] = field(default_factory=list)
    timeline: list[tuple[float, dict[str, str]]] = field(default_factory=list)  # changes only
    errors: list[str] = field(default_factory=list)   # samples that could not be taken, and why
    complete: int = 0                                  # samples that read every live node
    unread: dict[str, int] = field(default_factory=dict)   # samples in which each node was unknown

    def note(self, at: float, held: Mapping[str, Holdings | None],
             open_: dict[str, Episode]) -> dict[str, Episode]:
        """Add a sample (None: a live node not read in time); returns the episodes still open after it."""
        self.samples += 1
        unknown = sorted(name for name, h in held.items() if h is None)
        for name in unknown:
            self.unread[name] = self.unread.get(name, 0) + 1
        self.complete += not unknown
        summary = {name: UNKNOWN if h is None else h.summary() for name, h in sorted(held.items())}
        if not self.timeline or self.timeline[-1][1] != summary:
            self.timeline.append((at, summary))
        known = {name: h for name, h in held.items() if h is not None}
        still = {}
        for what in broken(known, self.shared_storage):
            episode = open_.get(what)
            if episode is None:
                episode = Episode(what, at, at)
                self.episodes.append(episode)
            episode.last = at
            still[what] = episode
        return still


class InvariantMonitor:
    """Each node read by a thread of its own, on its own connection (not the steps'); every interval the
    latest fresh readings of all nodes are one sample. A node that hangs only goes stale."""

    def __init__(self, lab: Provider, vip: str, names: list[str] | None = None, shared_storage: bool = False,
                 interval_s: float = 0.5):
        self.lab = lab
        self.vip = vip
        self.interval_s = interval_s
        self.nodes = {a.name: Node(a, Transcript(), connect_timeout=SAMPLE_TIMEOUT_S) for a in lab.nodes()
                      if names is None or a.name in names}
        self.findings = Findings(shared_storage)
        self.started_at = 0.0
        self._latest: dict[str, tuple[float, Holdings]] = {}
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def _watch(self, node: Node) -> None:
        while not self._stop.is_set():
            at = time.monotonic()
            try:
                self._latest[node.name] = (time.monotonic(), holdings.read(node, self.vip,
                                                                           timeout=SAMPLE_TIMEOUT_S))
            except Exception:   # a node that does not answer goes stale, and is left out
                node.close()
            self._stop.wait(max(0.0, self.interval_s - (time.monotonic() - at)))

    def current(self, at: float) -> dict[str, Holdings | None]:
        """Every node: its fresh reading, nothing for a powered-off one, None (unknown) for a live one not
        read in time."""
        off = set(self.lab.powered_off()) & set(self.nodes)
        latest = dict(self._latest)
        nothing = Holdings(mysqld=False, vip=False, mounted=False, role="off", heartbeat=False)
        return {name: nothing if name in off else
                latest[name][1] if name in latest and at - latest[name][0] <= STALE_S else None
                for name in self.nodes}

    def _loop(self) -> None:
        open_: dict[str, Episode] = {}
        while not self._stop.wait(self.interval_s):
            at = time.monotonic()
            try:
                open_ = self.findings.note(at, self.current(at), open_)
            except Exception as exc:   # the provider could not say which nodes are off, say
                self.findings.errors.append(f"{type(exc).__name__}: {exc}")

    def start(self) -> None:
        self.started_at = time.monotonic()
        self._threads = [threading.Thread(target=self._watch, args=(node,), name=f"invariants {name}",
                                          daemon=True) for name, node in self.nodes.items()]
        self._threads.append(threading.Thread(target=self._loop, name="invariants", daemon=True))
        for thread in self._threads:
            thread.start()

    def stop(self) -> Findings:
        """Stop sampling: the connections are closed first, so a thread waiting on a dead node's (a channel
        that will never open) is let go at once; and again after the join, for one a thread reopened
        meanwhile."""
        self._stop.set()
        for node in self.nodes.values():
            node.close()
        for thread in self._threads:
            thread.join(timeout=SAMPLE_TIMEOUT_S * 3)
        for node in self.nodes.values():
            node.close()
        return self.findings
