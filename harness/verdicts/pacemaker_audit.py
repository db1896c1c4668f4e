"""After a fault: no member's pacemaker.log says a resource is active on more than one node (Pacemaker's
scheduler logs "<class> resource <id> might be active on <N> nodes" when it finds one running twice), as
Pacemaker's own test suite audits after each test. Only nodes with a pacemaker.log when the fault began are
read, from where the log stood then; a node off at the end is said not read, never clean."""

from __future__ import annotations

import re
from dataclasses import dataclass

from harness.node import Node
from harness.probes import logs, pcmk_log
from harness.verdicts.node_audit import NodeAudit

TOO_ACTIVE = re.compile(r"(might be|is) active on \d+ nodes")


def reports(log: str) -> list[str]:
    """The lines of a pacemaker.log slice that report a resource active on several nodes."""
    return [line for line in log.splitlines() if TOO_ACTIVE.search(line)]


@dataclass
class PacemakerAudit(NodeAudit):
    cursors: dict[str, logs.Cursor]                             # node -> where its log stood

    @classmethod
    def start(cls, nodes: dict[str, Node], off: list[str]) -> PacemakerAudit:
        cursors = {}
        for name, node in nodes.items():
            if name in off:
                continue
            try:
                size = pcmk_log.size(node)
            except Exception:     # a node still booting has no log worth a cursor yet
                continue
            if size is not None:
                cursors[name] = logs.Cursor(logs.Source.FILE, str(size), pcmk_log.PACEMAKER_LOG)
        return cls(cursors)

    def finish(self, nodes: dict[str, Node], off: list[str]) -> PacemakerAudit:
        self.read_each(nodes, off, self.cursors, lambda node, cursor: reports(logs.since(node, cursor)))
        return self
