"""After a fault: DRBD whole again wherever it is used (Connected, UpToDate on both sides, oos:0), as
LINBIT's own tests check after each fault. Nodes without the module loaded do not use DRBD; a node off, or
one whose peer is off, is said not read, never whole. The resync a rejoining node needs is waited for."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from harness.node import Node
from harness.probes import drbd as drbd_probe
from harness.verdicts.node_audit import NodeAudit
from harness.waiting import NotReached, eventually

RESYNC_BOUND_S = 120.0


def not_whole(proc: drbd_probe.ProcDrbd) -> list[str]:
    """Each configured minor that is not whole, as the book reads it, with its oos."""
    return [f"minor {r.minor}: {r.state} oos:{r.counters.get('oos', '?')}"
            for r in proc.resources.values() if r.connection != "Unconfigured" and not drbd_probe.whole(r)]


def uses_drbd(proc: drbd_probe.ProcDrbd | None) -> bool:
    return proc is not None and any(r.connection != "Unconfigured" for r in proc.resources.values())


@dataclass
class DrbdAudit(NodeAudit):
    used: bool = False
    passed_as = "whole"

    def finish(self, nodes: dict[str, Node], off: list[str], bound_s: float = RESYNC_BOUND_S) -> DrbdAudit:
        """Wait (up to bound_s) for every node's configured minors to be whole; what is not whole by then
        is found."""
        up = {name: node for name, node in nodes.items() if name not in off}
        self.used = any(uses_drbd(drbd_probe.read_if_loaded(node)) for node in up.values())
        if not self.used:
            return self
        if off:
            self.unread = {name: "off" if name in off else "a peer is off" for name in nodes}
            return self
        with contextlib.suppress(NotReached):
            eventually(lambda: self._read(up), bool, timeout=bound_s, interval=1.0,
                       describe="DRBD whole on every node")
        return self

    def _read(self, up: dict[str, Node]) -> bool:
        """Read every node again; whether all answered and all are whole."""
        self.found, self.unread = {}, {}
        self.read_each(up, [], dict.fromkeys(up), lambda node, _: _not_whole_on(node))
        return not self.unread and not self.failures


def _not_whole_on(node: Node) -> list[str]:
    proc = drbd_probe.read_if_loaded(node)
    return ["the DRBD module is not loaded"] if proc is None else not_whole(proc)
