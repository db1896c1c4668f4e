"""Faults staged on purpose for the checkers' negative controls: what a checker must see when it happens
(a second node holding the VIP for a moment). Each undoes itself within the one command."""

from __future__ import annotations

from shlex import quote as q

from harness import kinds
from harness.lab.site import Site
from harness.node import Node, Result


@kinds.change
def hold_vip(node: Node, vip: str, site: Site) -> Result:
    """The VIP added to the site's cluster interface (where Heartbeat's IPaddr and pacemaker's IPaddr2
    put it)."""
    return node.sh("ip", "addr", "replace", f"{vip}/{site.prefix}", "dev", site.interface)


@kinds.destructive
def hold_vip_for(node: Node, vip: str, site: Site, seconds: float) -> Result:
    """The VIP added, then removed `seconds` later, timed on the node (one command, no round trip)."""
    address, dev = q(f"{vip}/{site.prefix}"), q(site.interface)
    return node.run(f"ip addr add {address} dev {dev} && sleep {seconds:g}; ip addr del {address} dev {dev}")


@kinds.destructive
def overwrite_behind_drbd(node: Node, partition: str, offset_mib: int, kib: int) -> Result:
    """`kib` KiB of random data written straight to DRBD's backing partition at `offset_mib` MiB, past DRBD
    (which neither replicates nor marks them): the replicas now differ there."""
    return node.sh("dd", "if=/dev/urandom", f"of={partition}", "bs=1k", f"count={kib}",
                   f"seek={offset_mib * 1024}", "oflag=direct", "conv=notrunc")
