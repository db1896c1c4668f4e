"""A cut cable made inside a host: everything in and out of one interface dropped with tc (a u32 filter
that matches every packet, the gact action, on the ingress qdisc and a prio root), and let through again.
tc is iproute2's, on every Linux host; no firewall (iptables or nft) is needed or touched. The interface's
own qdiscs are replaced, the kernel's default ones back after."""

from __future__ import annotations

import subprocess
from pathlib import Path
from shlex import quote as q

from harness.lab.providers.base import ProviderError

MODULES = "sch_ingress sch_prio cls_u32 act_gact"


def drop_command(interface: str, matches: list[str]) -> str:
    """Shell that drops the packets each u32 match selects ("protocol ... u32 match ..."), in and out of
    `interface`: a prio root and the ingress qdisc, each match's drop filter on both."""
    dev = q(interface)
    filters = [f"tc filter add dev {dev} parent {parent} {match} action drop"
               for parent in ("1:", "ffff:") for match in matches]
    return (f"for m in {MODULES}; do modprobe -q $m || true; done; "
            f"tc qdisc replace dev {dev} root handle 1: prio && tc qdisc add dev {dev} ingress && "
            + " && ".join(filters))


def cut_command(interface: str) -> str:
    """Shell that drops every packet the host sends or receives on `interface`."""
    return drop_command(interface, ["protocol all prio 1 u32 match u32 0 0"])


def restore_command(interface: str) -> str:
    """Shell that takes the cut's qdiscs off `interface`; it fails if a drop filter is left."""
    dev = q(interface)
    return (f"tc qdisc del dev {dev} ingress; tc qdisc del dev {dev} root; "
            f"! tc filter show dev {dev} parent ffff: 2>/dev/null | grep -q u32")


def apply(ssh_config: Path, node: str, interface: str, cut: bool) -> None:
    """Cut (or restore) the node's link on `interface`, over SSH that comes in by another one."""
    command = cut_command(interface) if cut else restore_command(interface)
    res = subprocess.run(["ssh", "-F", str(ssh_config), node, command], capture_output=True, text=True,
                         stdin=subprocess.DEVNULL, timeout=60)
    if res.returncode != 0:
        said = "cut" if cut else "restore"
        raise ProviderError(f"{node}: could not {said} the link on {interface} with tc "
                            f"(exit {res.returncode}): {res.stderr.strip()}")
