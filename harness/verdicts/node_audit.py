"""What an audit of the nodes' logs after a fault found: the lines each node's log reported, and the nodes it
could not read (and why: a node not read is unknown, never clean)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from harness.node import Node

Mark = TypeVar("Mark")


@dataclass(kw_only=True)
class NodeAudit:
    found: dict[str, list[str]] = field(default_factory=dict)    # node -> the lines that fail the audit
    unread: dict[str, str] = field(default_factory=dict)          # node -> why it was not read
    passed_as = "clean"                                            # what a node that passes is said to be

    def read_each(self, nodes: dict[str, Node], off: list[str], marks: Mapping[str, Mark],
                  failing: Callable[[Node, Mark], list[str]]) -> None:
        """Each node with a mark read from it: the lines that fail, or why it was not read (off, or not
        answering: a fenced node still booting)."""
        for name, mark in marks.items():
            if name in off:
                self.unread[name] = "off"
                continue
            try:
                self.found[name] = failing(nodes[name], mark)
            except Exception as exc:     # whatever kept the node from answering is said
                self.unread[name] = f"no answer: {type(exc).__name__}"

    @property
    def failures(self) -> dict[str, list[str]]:
        return {name: lines for name, lines in self.found.items() if lines}

    def render(self) -> str:
        said = [f"{name}: {'; '.join(lines) or self.passed_as}" for name, lines in self.found.items()]
        return ", ".join(said + [f"{name}: not read ({why})" for name, why in self.unread.items()])
