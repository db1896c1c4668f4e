"""After a fault: each node's kernel log free of the kernel's own failure reports (BUG:, Oops, general
protection), as DRBD's and Pacemaker's test suites audit after each test. The log is read from a mark
written before the fault; a node rebooted since (its mark gone with the power) is read from its boot. A node
that is off is not read, and the audit says so: it is not clean, only unknown."""

from __future__ import annotations

from dataclasses import dataclass

from harness.node import Node
from harness.probes import logs
from harness.probes.errors import ParseError
from harness.verdicts.node_audit import NodeAudit

REPORTS = ("BUG:", "Oops", "general protection")


def reports(kernel_log: str) -> list[str]:
    """The lines of a kernel log that report a failure of the kernel itself."""
    return [line for line in kernel_log.splitlines() if any(r in line for r in REPORTS)]


@dataclass
class KernelAudit(NodeAudit):
    """Each node's kernel log from a mark on (the nodes off at the start have none: read from their boot)."""

    marks: dict[str, logs.Cursor | None]

    @classmethod
    def start(cls, nodes: dict[str, Node], off: list[str]) -> KernelAudit:
        return cls({name: None if name in off else _mark(node) for name, node in nodes.items()})

    def finish(self, nodes: dict[str, Node], off: list[str]) -> KernelAudit:
        """Read every node that runs; the reports found, and the nodes not read."""
        self.read_each(nodes, off, self.marks, lambda node, mark: reports(_since(node, mark)))
        return self


def _mark(node: Node) -> logs.Cursor | None:
    """A mark in the node's kernel log; None if it does not answer (its log is then read from its boot)."""
    try:
        return logs.kernel_mark(node, "fault audit")
    except Exception:    # a node still booting: its whole log is read at the end
        return None


def _since(node: Node, mark: logs.Cursor | None) -> str:
    """The kernel log after the mark; the whole of it when the node has booted since (or had no mark).
    Read once: a mark the log no longer holds falls back to the same text."""
    text = logs.kernel_log(node)
    if mark is None:
        return text
    try:
        return logs.after_mark(text, mark.at)
    except ParseError:
        return text
