"""`corosync-cfgtool -s`: each knet link of this member, and its state towards every other member
(connected, disconnected; the member itself is "localhost")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from harness.node import Node
from harness.probes.errors import ParseError

COMMAND = "corosync-cfgtool -s"
LINK_RE = re.compile(r"^LINK ID (?P<link>\d+)\b")
PEER_RE = re.compile(r"^\s*nodeid:\s*(?P<node>\d+):\s*(?P<state>\S.*?)\s*$")


@dataclass(frozen=True)
class Links:
    """Link id -> {node id -> its state on that link}, the member's own entry left out."""

    states: dict[int, dict[int, str]]

    def towards_peers(self, link: int) -> set[str]:
        """The states of one link towards the other members (empty if there is no such link)."""
        return set(self.states.get(link, {}).values())


def parse(text: str) -> Links:
    states: dict[int, dict[int, str]] = {}
    link: int | None = None
    for line in text.splitlines():
        if m := LINK_RE.match(line):
            link = int(m["link"])
            states[link] = {}
        elif (m := PEER_RE.match(line)) and link is not None and m["state"] != "localhost":
            states[link][int(m["node"])] = m["state"]
    if not states:
        raise ParseError("corosync-cfgtool -s", "LINK ID lines", text)
    return Links(states)


def read(node: Node) -> Links:
    return parse(node.run(COMMAND).stdout)
