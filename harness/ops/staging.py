"""Faults staged on purpose for the checkers' negative controls: what a checker must see when it happens
(a second node holding the VIP for a moment). Each undoes itself within the one command."""

from __future__ import annotations

from shlex import quote as q

from harness import kinds
from harness.node import Node, Result

VIP_DEVICE = "eth0"      # the cluster interface, where Heartbeat's IPaddr and pacemaker's IPaddr2 put it
VIP_PREFIX = 24


@kinds.change
def hold_vip(node: Node, vip: str) -> Result:
    """The VIP added to the node's cluster interface (as a cluster's IP resource would)."""
    return node.sh("ip", "addr", "replace", f"{vip}/{VIP_PREFIX}", "dev", VIP_DEVICE)


@kinds.destructive
def hold_vip_for(node: Node, vip: str, seconds: float) -> Result:
    """The VIP added, then removed `seconds` later, timed on the node (one command, no round trip)."""
    address = q(f"{vip}/{VIP_PREFIX}")
    return node.run(f"ip addr add {address} dev {VIP_DEVICE} && sleep {seconds:g}; "
                    f"ip addr del {address} dev {VIP_DEVICE}")


@kinds.destructive
def overwrite_behind_drbd(node: Node, partition: str, offset_mib: int, kib: int) -> Result:
    """`kib` KiB of random data written straight to DRBD's backing partition at `offset_mib` MiB, past DRBD
    (which neither replicates nor marks them): the replicas now differ there."""
    return node.sh("dd", "if=/dev/urandom", f"of={partition}", "bs=1k", f"count={kib}",
                   f"seek={offset_mib * 1024}", "oflag=direct", "conv=notrunc")
