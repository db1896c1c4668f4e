"""A resync whose end one side missed, noticed while a pair is awaited, and mended as an operator would.

Seen once in CI (drbd 8.4.11, the heartbeat area's replication cut): after the heal vm02 ended its resync
(Connected, UpToDate/UpToDate) while vm01 stayed SyncSource with oos:0 and its peer Inconsistent for four
minutes, until the run gave up. A resync's last block leaves its source in well under a second, so one that
shows this for MISSED_END_GRACE_S will not end by itself: its connection is dropped and made again (the new
handshake settles who is UpToDate), once, and said in the report with both nodes' state and the source's
DRBD log, so what DRBD did stays readable.
"""

from __future__ import annotations

import time

from harness.node import Node
from harness.ops import drbd as ops
from harness.probes import drbd as proc
from harness.probes import logs
from harness.report.recoveries import recovered

MISSED_END_GRACE_S = 15.0
LOG_LINES = 40


class ResyncEndWatch:
    """Watches the states of one resource on a pair of nodes; mends a missed resync end once."""

    def __init__(self, nodes: dict[str, Node], resource: str, minor: int):
        self.nodes, self.resource, self.minor = nodes, resource, minor
        self.stuck_since: float | None = None
        self.mended = False

    def see(self, states: dict[str, proc.Resource]) -> None:
        """Look at the pair's states as just read; reconnect the stuck source once its grace is over."""
        stuck = proc.stuck_source(states)
        if stuck is None or self.mended:
            self.stuck_since = None
            return
        self.stuck_since = self.stuck_since or time.monotonic()
        if time.monotonic() - self.stuck_since >= MISSED_END_GRACE_S:
            self._mend(stuck, states)

    def _mend(self, stuck: str, states: dict[str, proc.Resource]) -> None:
        node = self.nodes[stuck]
        seen = "\n".join(f"{n}: {r.state} oos:{r.counters.get('oos')}" for n, r in states.items())
        drbd_lines = [line for line in logs.kernel_log(node).splitlines() if "drbd" in line]
        recovered(f"DRBD on {stuck} still counted itself SyncSource {MISSED_END_GRACE_S:.0f} s after its "
                  "peer had ended the resync (nothing out of sync): its connection dropped and made again",
                  f"{seen}\n--- {stuck}'s last DRBD lines\n" + "\n".join(drbd_lines[-LOG_LINES:]))
        self.mended = True
        ops.reconnect(node, self.resource)
