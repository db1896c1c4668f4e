"""A second corosync (knet) link added to a running cluster and taken away again: beside each member's
ring0_addr a ring1_addr, in corosync.conf on every member, then one reload for the whole cluster (what
`pcs cluster link add` does through pcsd, which the lab's members do not run after their making)."""

from __future__ import annotations

import ipaddress
from shlex import quote as q

from harness import kinds
from harness.node import Node, Result

COROSYNC_CONF = "/etc/corosync/corosync.conf"
ONE_LINK = "/etc/corosync/corosync.conf.hadrill-one-link"   # the member's own, kept while link 1 is on


def _ring1_sed(ring0: dict[str, str], ring1: dict[str, str]) -> str:
    """sed's script: after the ring0_addr line of each member, its ring1_addr (same indentation)."""
    lines = []
    for name, address in ring0.items():
        first = str(ipaddress.ip_address(address)).replace(".", "[.]")
        second = ipaddress.ip_address(ring1[name])
        lines.append(f"s/^\\(\\s*\\)ring0_addr: {first}$/&\\n\\1ring1_addr: {second}/")
    return "; ".join(lines)


@kinds.change
def add_second_link(node: Node, ring0: dict[str, str], ring1: dict[str, str]) -> Result:
    """This member's corosync.conf with link 1 for every member (member -> address on each link), from its
    one-link configuration (kept aside the first time); the reload is the caller's, once all have it."""
    if set(ring0) != set(ring1):
        raise ValueError(f"link 1 needs an address for each member: {sorted(ring0)}, got {sorted(ring1)}")
    return node.run(f"[ -e {ONE_LINK} ] || cp -p {COROSYNC_CONF} {ONE_LINK}; "
                    f"sed {q(_ring1_sed(ring0, ring1))} {ONE_LINK} > {COROSYNC_CONF} && "
                    f"test $(grep -c ring1_addr {COROSYNC_CONF}) -eq {len(ring1)}")


@kinds.change
def back_to_one_link(node: Node) -> Result:
    """This member's one-link corosync.conf back, if it was kept aside; the caller reloads."""
    return node.run(f"if [ -e {ONE_LINK} ]; then mv {ONE_LINK} {COROSYNC_CONF}; fi")


@kinds.change
def reload(node: Node) -> Result:
    """corosync.conf read again by every member (corosync-cfgtool -R acts cluster-wide)."""
    return node.run("corosync-cfgtool -R", timeout=60)
