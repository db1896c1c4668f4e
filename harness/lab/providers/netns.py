"""The lab's network namespace: one bridge per network, one tap per node and network."""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Sequence

from harness import paths
from harness.lab.providers.procs import kill_pids
from harness.paths import checked_name

PREFIX = "hadrill-"
NETWORKS = {"cluster": "c", "mgmt": "m"}  # network -> tap suffix; the bridge is br-<network>


def ns_name(lab: str) -> str:
    """The lab's namespace: hadrill-<name>, for a name that keeps to the name rule; with a state folder
    other than the default, hadrill-<name>-<6 hex digits of that folder> (two state folders, each with a lab
    of the same name, never share a namespace, nor kill each other's processes in it)."""
    name = PREFIX + checked_name(lab, "lab name")
    state = paths.state_dir().resolve()
    if state == paths.default_state_dir().resolve():
        return name
    return f"{name}-{hashlib.sha256(str(state).encode()).hexdigest()[:6]}"


def proxy_command(ns: str) -> str:
    """An ssh ProxyCommand that reaches %h:%p from inside the namespace."""
    return f"ip netns exec {ns} socat STDIO TCP:%h:%p,connect-timeout=3,nodelay"


def tap_name(node: str, network: str) -> str:
    return f"{node}-{NETWORKS[network]}"


def ip(*args: str, ns: str | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run `ip` (inside the namespace when given)."""
    cmd = ["ip"] + (["-n", ns] if ns else []) + list(args)
    res = subprocess.run(cmd, capture_output=True, text=True)
    if check and res.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed: {res.stderr.strip()}")
    return res


def exists(ns: str) -> bool:
    return ns in list_namespaces()


def list_namespaces() -> list[str]:
    out = ip("netns", "list").stdout
    return [line.split()[0] for line in out.splitlines() if line.strip()]


def create(ns: str, bridges: dict[str, list[str]]) -> None:
    """Make the namespace with a bridge per network; `bridges` maps network to its addresses/prefix."""
    ip("netns", "add", ns)
    ip("link", "set", "lo", "up", ns=ns)
    for network, addresses in bridges.items():
        br = f"br-{network}"
        ip("link", "add", br, "type", "bridge", ns=ns)
        ip("link", "set", br, "type", "bridge", "forward_delay", "0", ns=ns)
        for address in addresses:
            ip("addr", "add", address, "dev", br, ns=ns)
        ip("link", "set", br, "up", ns=ns)


def add_tap(ns: str, node: str, network: str) -> str:
    tap = tap_name(node, network)
    ip("tuntap", "add", "dev", tap, "mode", "tap", ns=ns)
    ip("link", "set", tap, "master", f"br-{network}", ns=ns)
    ip("link", "set", tap, "up", ns=ns)
    return tap


def set_link(ns: str, node: str, network: str, up: bool) -> None:
    """Plug the node's cable into its network's bridge, or pull it out.

    The tap itself stays up: a UML vector interface whose tap went down and up again may stop
    receiving for good, so the cable is pulled at the bridge port instead.
    """
    tap = tap_name(node, network)
    if up:
        ip("link", "set", tap, "master", f"br-{network}", ns=ns)
    else:
        ip("link", "set", tap, "nomaster", ns=ns)


def link_up(ns: str, node: str, network: str) -> bool:
    """True while the node's tap is attached to its network's bridge."""
    return f"master br-{network} " in ip("-o", "link", "show", tap_name(node, network), ns=ns).stdout


def pids(ns: str) -> list[int]:
    """PIDs of processes inside the namespace (all of them the lab's own)."""
    res = ip("netns", "pids", ns, check=False)
    return [int(p) for p in res.stdout.split() if p.isdigit()]


def delete(ns: str) -> None:
    if exists(ns):
        ip("netns", "delete", ns)


def remove(ns: str) -> None:
    """Stop every process inside the namespace by its PID (only a lab's own run there), then delete it."""
    if exists(ns):
        kill_pids(pids(ns))
        delete(ns)


def exec_prefix(ns: str) -> Sequence[str]:
    return ("ip", "netns", "exec", ns)
