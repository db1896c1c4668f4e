"""A node's wall clock set: stepped by some seconds (a fault, as a wrong time server or an operator's
`date` would), and set back to the harness's time (its undo)."""

from __future__ import annotations

import time

from harness import kinds
from harness.node import Node, Result


@kinds.destructive
def step(node: Node, seconds: float) -> Result:
    """The node's clock moved by seconds (negative: back in time) at once, not slewed."""
    return node.run(f"date -s @$(awk -v now=$(date +%s.%N) -v by={seconds:.3f} "
                    "'BEGIN { printf \"%.3f\", now + by }') >/dev/null")


@kinds.change
def set_to_harness(node: Node) -> Result:
    """The node's clock set to this machine's time (the lab's reference: its nodes boot with it)."""
    return node.run(f"date -s @{time.time():.3f} >/dev/null")
