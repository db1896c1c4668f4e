"""`corosync-quorumtool -s` (the book's `cman_tool status`): votes, the quorum, and votequorum's flags."""

from __future__ import annotations

from dataclasses import dataclass

from harness.node import Node
from harness.probes.errors import ParseError


@dataclass(frozen=True)
class Quorum:
    quorate: bool
    expected_votes: int
    total_votes: int
    quorum: int
    flags: tuple[str, ...]      # 2Node, Quorate, WaitForAll, ...


def parse(text: str) -> Quorum:
    fields = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep and not line.startswith(" "):
            fields[key.strip()] = value.strip()
    try:
        return Quorum(fields["Quorate"] == "Yes", int(fields["Expected votes"]), int(fields["Total votes"]),
                      int(fields["Quorum"].split()[0]), tuple(fields.get("Flags", "").split()))
    except (KeyError, ValueError, IndexError):
        raise ParseError("corosync-quorumtool -s", "Quorate:, Expected votes:, Total votes:, Quorum:",
                         text) from None


NOT_QUORATE = 2      # corosync-quorumtool's exit code for a member without quorum (1: an error)


def read(node: Node) -> Quorum:
    """The member's votequorum state; an inquorate member's answer too (its exit code is 2)."""
    res = node.run("corosync-quorumtool -s", warn=True)
    if res.exit_code not in (0, NOT_QUORATE):
        raise ParseError("corosync-quorumtool -s", f"exit 0 or {NOT_QUORATE}", res.stdout + res.stderr)
    return parse(res.stdout)
