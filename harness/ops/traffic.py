"""A node's traffic on one TCP or UDP port dropped and let through again, with tc on the interface that
carries it (the u32 classifier and the gact action, on the ingress qdisc and a prio root): one service's
link cut while the rest of the link stays up, DRBD's replication without Heartbeat's, corosync's without
the storage's; or everything a node sends held back (netem), a slow link. No firewall rule set of the
node's is touched; the interface's own qdiscs are replaced, the kernel's default ones back after."""

from __future__ import annotations

from shlex import quote as q

from harness import kinds
from harness.lab.providers.link_cut import drop_command, restore_command
from harness.node import Node, Result


@kinds.destructive
def drop_port(node: Node, interface: str, port: int) -> Result:
    """Every TCP or UDP packet to or from `port` on `interface` dropped, both ways (u32 matches the port
    fields where both protocols keep them)."""
    if not 0 < port < 65536:
        raise ValueError(f"{port}: not a port")
    return node.run(drop_command(interface, [f"protocol ip prio 1 u32 match ip {way} {port} 0xffff"
                                             for way in ("sport", "dport")]))


@kinds.change
def pass_port(node: Node, interface: str) -> Result:
    """The interface's traffic let through again: drop_port's qdiscs (and their filters) removed."""
    return node.run(restore_command(interface))


@kinds.destructive
def hold_back(node: Node, interface: str, delay_ms: int) -> Result:
    """Every packet the node sends on `interface` held back delay_ms (netem on the root qdisc): a slow
    link, out of this node."""
    if not 0 < delay_ms <= 60_000:
        raise ValueError(f"{delay_ms} ms: not a delay netem is asked for here (1 to 60000)")
    return _netem(node, interface, f"delay {int(delay_ms)}ms")


@kinds.destructive
def lose(node: Node, interface: str, loss_pct: int) -> Result:
    """That share of the packets the node sends on `interface` lost, at random (netem on the root qdisc):
    a lossy link, out of this node; undone by let_go_at_speed."""
    if not 0 < loss_pct < 100:
        raise ValueError(f"{loss_pct} %: not a loss netem is asked for here (1 to 99)")
    return _netem(node, interface, f"loss {int(loss_pct)}%")


def _netem(node: Node, interface: str, impairment: str) -> Result:
    """netem on the interface's root qdisc, doing `impairment` to what the node sends there."""
    return node.run(f"modprobe -q sch_netem || true; "
                    f"tc qdisc replace dev {q(interface)} root netem {impairment}")


@kinds.change
def let_go_at_speed(node: Node, interface: str) -> Result:
    """hold_back or lose undone: the interface's root qdisc back to the kernel's default."""
    dev = q(interface)
    return node.run(f"tc qdisc del dev {dev} root; ! tc qdisc show dev {dev} | grep -q netem")
