"""Known states kept by the lab as snapshots of every node's disks (where the provider can keep them).

The first scenario that needs a state builds it by the book's procedure, then the lab keeps it; a later
scenario that finds the cluster far from it puts it back (the nodes reboot on the kept disks) instead of
rebuilding, and the report says which it was. A state's key is its name and a digest of what it was built
from, so a changed recipe is another state, built anew.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from harness import kinds
from harness.lab.providers.base import Provider
from harness.node import Node
from harness.report import attachments
from harness.report.transcript import Entry


def key(name: str, *recipe: str) -> str:
    """The key of the state `name` built from these inputs (rendered files, settings)."""
    return f"{name}-{hashlib.sha256(chr(0).join(recipe).encode()).hexdigest()[:12]}"


def kept(lab: Provider, state: str) -> bool:
    return lab.capabilities.snapshot and lab.has_state(state)


def can_keep(lab: Provider, state: str) -> bool:
    """The lab can keep states and does not keep this one yet."""
    return lab.capabilities.snapshot and not lab.has_state(state)


def restore(lab: Provider, nodes: list[Node], state: str) -> bool:
    """Put the state back if the lab keeps it (True); the nodes' connections are opened anew."""
    if not kept(lab, state):
        return False
    _done_by_lab(lab, nodes, f"restore the known state {state}", lambda: lab.restore_state(state),
                 "every node's disks put back and the nodes booted")
    return True


def keep(lab: Provider, nodes: list[Node], state: str) -> bool:
    """Have the lab keep the state just built (True), unless it cannot or already does."""
    if not can_keep(lab, state):
        return False
    _done_by_lab(lab, nodes, f"keep the known state {state}", lambda: lab.save_state(state),
                 "every node powered down cleanly, its disks kept, the nodes booted again")
    return True


def _done_by_lab(lab: Provider, nodes: list[Node], what: str, action: Callable[[], None], how: str) -> None:
    """The lab's action, which reboots every node, timed and said in the transcript under each node (a
    destructive provider action, as a fault is) and in the report."""
    _rebooting(nodes)
    start = time.monotonic()
    action()
    seconds = time.monotonic() - start
    for node in nodes:
        node.transcript.add(Entry(node.name, f"({lab.name} provider) {what}", 0, round(seconds, 1), "", "",
                                  kind=kinds.Kind.DESTRUCTIVE.value))
    attachments.attach_text(what, f"{how} in {seconds:.1f} s")


def _rebooting(nodes: list[Node]) -> None:
    """The nodes are about to reboot: their connections are closed (a later command opens a new one)."""
    for node in nodes:
        node.close()

