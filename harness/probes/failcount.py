"""A resource's fail count on one node, as `crm_failcount --query` prints it.

An answer: `scope=status  name=fail-count-mysql value=1`; no failure yet reads `value=0`, a failure
that bans the node `value=INFINITY`.
"""

from __future__ import annotations

import re
from shlex import quote as q

from harness.node import Node

INFINITY = 1_000_000          # Pacemaker's score for INFINITY
VALUE_RE = re.compile(r"\bname=fail-count-\S+ value=(?P<value>\d+|INFINITY)\b")


def parse(text: str) -> int | None:
    """The count in crm_failcount's answer; None when the answer holds none."""
    found = VALUE_RE.search(text)
    if found is None:
        return None
    value = found["value"]
    return INFINITY if value == "INFINITY" else int(value)


def read(node: Node, resource: str, member: str) -> int | None:
    """The resource's fail count on member, asked on node; None when it cannot be read."""
    res = node.run(f"crm_failcount --query --resource {q(resource)} --node {q(member)}", warn=True)
    return parse(res.stdout) if res.ok else None
