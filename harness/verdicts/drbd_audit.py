"""After a fault: DRBD whole again wherever it is used (Connected, UpToDate on both sides, oos:0), as
LINBIT's own tests check after each fault. Nodes without the module loaded do not use DRBD. A node a power
cut left off is brought back as the book's operator would (powered on, `/etc/init.d/drbd start`: DRBD does
not start at boot) and the resync it needs is waited for; a node that cannot be brought back, or one whose
peer could not, is said not read, never whole."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field

from harness.clusters.resync_end import ResyncEndWatch
from harness.lab.faults import power_on
from harness.lab.providers.base import Provider
from harness.node import Node
from harness.ops import drbd as drbd_ops
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
    not_back: dict[str, str] = field(default_factory=dict)     # node -> why it could not be brought back
    passed_as = "whole"

    def finish(self, nodes: dict[str, Node], off: list[str], bound_s: float = RESYNC_BOUND_S, *,
               bring_back: Callable[[str], None] | None = None,
               watch: ResyncEndWatch | None = None) -> DrbdAudit:
        """Wait (up to bound_s) for every node's configured minors to be whole; what is not whole by then
        is found. Nodes off are brought back first where bring_back is given; a resync end missed on the
        way is mended by the watch, where given."""
        up = {name: node for name, node in nodes.items() if name not in off}
        self.used = any(uses_drbd(drbd_probe.read_if_loaded(node)) for node in up.values())
        if not self.used:
            return self
        if off and bring_back is not None:
            off = self._bring_back(off, bring_back)
            up = {name: node for name, node in nodes.items() if name not in off}
        if off:
            self.unread = {name: _why_unread(name, off, self.not_back) for name in nodes}
            return self
        with contextlib.suppress(NotReached):
            eventually(lambda: self._read(up, watch), bool, timeout=bound_s, interval=1.0,
                       describe="DRBD whole on every node")
        return self

    def _bring_back(self, off: list[str], bring_back: Callable[[str], None]) -> list[str]:
        """Each node off brought back; those still off (why, in not_back)."""
        still_off = []
        for name in off:
            try:
                bring_back(name)
            except Exception as exc:     # a node that does not come back is said, and stays unread
                self.not_back[name] = f"{type(exc).__name__}: {exc}"
                still_off.append(name)
        return still_off

    def _read(self, up: dict[str, Node], watch: ResyncEndWatch | None = None) -> bool:
        """Read every node again (the watch, where given, judges the same readings); whether all answered
        and all are whole."""
        self.found, self.unread = {}, {}
        read: dict[str, drbd_probe.ProcDrbd] = {}

        def not_whole_on(node: Node, name: str) -> list[str]:
            proc = drbd_probe.read_if_loaded(node)
            if proc is None:
                return ["the DRBD module is not loaded"]
            read[name] = proc
            return not_whole(proc)
        self.read_each(up, [], {name: name for name in up}, not_whole_on)
        if watch is not None and len(read) == len(up):
            watch.see({name: proc.minor_or_unconfigured(watch.minor) for name, proc in read.items()})
        return not self.unread and not self.failures


def _why_unread(name: str, off: list[str], not_back: dict[str, str]) -> str:
    if name in not_back:
        return f"off, not brought back: {not_back[name]}"
    return "off" if name in off else "a peer is off"


def rejoin(lab: Provider, nodes: dict[str, Node], name: str) -> None:
    """A node a power cut left off back in the pair: powered on, DRBD started on it as the book does."""
    power_on(lab, nodes, name)
    drbd_ops.start_service(nodes[name])
