"""The invariant monitor: during a fault, what each node holds is streamed ten times a second, each
reading timestamped by the node's time since boot, and the invariants are judged over the readings
(workloads/invariants.py).

Each node is read by a loop on the node itself (probes/holdings_stream.py) over a connection of its own
(not the steps'); a thread per node keeps the readings and opens the stream again after the node comes
back. Another thread asks the lab twice a second which nodes are off or frozen: such a node holds nothing
and is not counted as unread, and one powered on again is booting until its first reading.
"""

from __future__ import annotations

import threading
import time

from harness import waiting
from harness.lab.providers.base import Provider
from harness.node import Node
from harness.probes import holdings_stream
from harness.probes.line_stream import CONNECT_TIMEOUT_S, LineStream
from harness.report.transcript import Transcript
from harness.workloads.invariants import Away, Findings, Reading, judge

LAB_POLL_S = 0.5
FIRST_READING_TIMEOUT_S = 20.0
AWAY_STATES = ("off", "frozen")


class NodeStream:
    """One node's readings, from its holdings stream (opened again whenever it ends)."""

    def __init__(self, node: Node, command: str, stop: threading.Event):
        self.node = node
        self.readings: list[Reading] = []
        self._lag: float | None = None   # arrival (monotonic) minus node uptime: transit and clock offset
        self._lines = LineStream(node, command, stop, self._reading, self._new_stream)
        self.errors = self._lines.errors
        self.thread = self._lines.thread

    def _new_stream(self) -> None:
        self._lag = None

    def _reading(self, line: str, arrived: float) -> None:
        sample = holdings_stream.parse_line(line)
        # both clocks are monotonic (this machine's, the node's time since boot): the smallest
        # (arrival - node time) bounds the transit from below, the best offset seen
        lag = arrived - sample.at if self._lag is None else min(self._lag, arrived - sample.at)
        self._lag = lag
        self.readings.append(Reading(sample.at + lag, sample.held, sample.processes_read))

    def close(self) -> None:
        self._lines.close()


def _powering_on(spans: list[Away]) -> bool:
    """Whether the away span just closed ends a power-on: it was off, or paused straight after being off
    (libvirt starts a domain paused, then resumes it)."""
    last = spans[-1]
    return last.why == "off" or (last.why == "frozen" and len(spans) > 1 and spans[-2].why == "off"
                                 and spans[-2].end == last.start)


class InvariantMonitor:
    def __init__(self, lab: Provider, vip: str, mountpoint: str, minor: int, names: list[str] | None = None,
                 shared_storage: bool = False):
        self.lab = lab
        self.shared_storage = shared_storage
        self._stop = threading.Event()
        command = holdings_stream.command(vip, mountpoint, minor)
        self.streams = {a.name: NodeStream(Node(a, Transcript(), connect_timeout=CONNECT_TIMEOUT_S), command,
                                           self._stop)
                        for a in lab.nodes() if names is None or a.name in names}
        self.away: dict[str, list[Away]] = {name: [] for name in self.streams}
        self.lab_errors: list[str] = []
        self._kernels: dict[str, object] = {}     # each node's kernel (its PID, as the lab says) last seen
        self._polled_at: float | None = None
        self.started_at = 0.0
        self.stopped_at: float | None = None
        self._poller = threading.Thread(target=self._poll_lab, name="invariants lab", daemon=True)

    def start(self) -> None:
        """Start streaming; returns once every live node has been read (AssertionError if one is not).
        In a plan, nothing is started: no node may be reached."""
        if waiting.dry_run():
            return
        self._poll_once()
        for stream in self.streams.values():
            stream.thread.start()
        self._poller.start()
        deadline = time.monotonic() + FIRST_READING_TIMEOUT_S
        while time.monotonic() < deadline:
            if all(s.readings or self._is_away(n) for n, s in self.streams.items()):
                break
            time.sleep(0.05)
        self.started_at = time.monotonic()
        unread = [n for n, s in self.streams.items() if not s.readings and not self._is_away(n)]
        if unread:
            self.stop()
            raise AssertionError(f"the invariant monitor could not read {', '.join(unread)} within "
                                 f"{FIRST_READING_TIMEOUT_S:.0f} s: {self.errors()[-3:]}")

    def _is_away(self, name: str) -> bool:
        spans = self.away[name]
        return bool(spans) and spans[-1].end is None and spans[-1].why in AWAY_STATES

    def _poll_lab(self) -> None:
        while not self._stop.wait(LAB_POLL_S):
            self._poll_once()

    def _poll_once(self) -> None:
        """Open an away span for a node the lab says is off or frozen; close it when the node runs again
        (a node powered on is booting until its first reading). A node whose kernel changed since the last
        poll was powered off and on in between (a cut and an immediate power-on fit within a poll)."""
        try:
            nodes = self.lab.status().get("nodes", {})
        except Exception as exc:
            self.lab_errors.append(f"{type(exc).__name__}: {exc}")
            return
        now = time.monotonic()
        before, self._polled_at = self._polled_at, now
        for name, spans in self.away.items():
            info = nodes.get(name, {}) if isinstance(nodes, dict) else {}
            state = str(info.get("state", "")) if isinstance(info, dict) else ""
            pid = info.get("pid") if isinstance(info, dict) else None
            seen, self._kernels[name] = self._kernels.get(name), pid
            current = spans[-1] if spans and spans[-1].end is None else None
            if state == "running" and None not in (seen, pid) and pid != seen and current is None:
                # powered off and on again between two polls: off since the last one, booting now
                spans += [Away(before if before is not None else now, now, "off"), Away(now, None, "booting")]
            elif state in AWAY_STATES and (current is None or current.why != state):
                if current is not None:
                    spans[-1] = Away(current.start, now, current.why)
                spans.append(Away(now, None, state))
            elif state not in AWAY_STATES and current is not None and current.why in AWAY_STATES:
                spans[-1] = Away(current.start, now, current.why)
                if _powering_on(spans):
                    spans.append(Away(now, None, "booting"))

    def learn_taken_down(self, name: str, at: float, why: str) -> None:
        """A span the node was away from `at` until its next reading, known from elsewhere than the lab
        (a fence the cluster's history records, on a provider that does not see it)."""
        self.away[name].append(Away(at, None, why))

    def errors(self) -> list[str]:
        return [e for s in self.streams.values() for e in s.errors] + self.lab_errors

    @property
    def findings(self) -> Findings:
        """The findings so far (all of them once stopped)."""
        end = self.stopped_at if self.stopped_at is not None else time.monotonic()
        readings = {name: list(s.readings) for name, s in self.streams.items()}
        found = judge(readings, {n: list(a) for n, a in self.away.items()}, self.started_at, end,
                      self.shared_storage)
        found.errors = self.errors()
        return found

    def stop(self) -> Findings:
        """Stop streaming: the channels and connections are closed first, so no thread waits on a dead
        node's; and again after the join, for one a thread reopened meanwhile."""
        self._stop.set()
        if self.stopped_at is None:
            self.stopped_at = time.monotonic()
        for stream in self.streams.values():
            stream.close()
        for thread in [*(s.thread for s in self.streams.values()), self._poller]:
            if thread.is_alive():
                thread.join(timeout=CONNECT_TIMEOUT_S * 3)
        for stream in self.streams.values():
            stream.close()
        return self.findings
