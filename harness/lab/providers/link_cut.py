"""A cut cable made inside a host: DROP rules in and out on one interface, added or removed atomically."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

from harness.lab.providers.base import ProviderError


def rules(interface: str, action: str) -> str:
    """iptables-restore input that adds (-I) or removes (-D) the DROP pair, applied as one commit."""
    q = shlex.quote(interface)
    return f"*filter\n-{action} INPUT -i {q} -j DROP\n-{action} OUTPUT -o {q} -j DROP\nCOMMIT\n"


def apply(ssh_config: Path, node: str, interface: str, cut: bool) -> None:
    """Cut (or restore) the node's link on `interface`, over SSH that comes in by another one."""
    res = subprocess.run(["ssh", "-F", str(ssh_config), node, "iptables-restore --noflush"],
                         input=rules(interface, "I" if cut else "D"), capture_output=True, text=True,
                         timeout=60)
    if res.returncode != 0:
        raise ProviderError(f"{node}: iptables-restore failed: {res.stderr.strip()}")
