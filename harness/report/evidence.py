"""What a person needs to see on each node when a step fails, gathered in one command per node."""

from __future__ import annotations

from harness.lab.providers.base import Provider
from harness.node import Node

SECTIONS = {
    "/proc/drbd": "cat /proc/drbd",
    "drbdadm status": "drbdadm status",
    "dmesg (last 60 lines)": "dmesg | tail -n 60",
    "ha-log (last 60 lines)": "tail -n 60 /var/log/ha-log",
    "crm_mon": "crm_mon -1 --show-detail",
    "failed units and their journals": (
        "for u in $(systemctl --failed --no-legend --plain | awk '{print $1}'); "
        "do echo \"## $u\"; journalctl -u \"$u\" -n 40 --no-pager; done"),
}
CONNECT_TIMEOUT_S = 5
CONSOLE_LINES = 60


def script() -> str:
    """One shell script that prints every section, each under its title, whatever fails."""
    return "; ".join(f"echo '=== {title}'; ( {cmd} ) 2>&1 | head -c 20000" for title, cmd in SECTIONS.items())


def gather(lab: Provider, node: Node) -> str:
    """The node's evidence (over a fresh connection with a short timeout), then its console's tail."""
    if node.name in lab.powered_off():
        text = "(the node is powered off: nothing to gather over SSH)"
    else:
        probe = Node(node.access, node.transcript, connect_timeout=CONNECT_TIMEOUT_S)
        try:
            result = probe.run(script(), warn=True, timeout=30)
            text = result.stdout + result.stderr
        except Exception as exc:  # evidence is best effort: the failure itself is already reported
            text = f"(could not gather: {type(exc).__name__}: {exc})"
        finally:
            probe.close()
    console = lab.console_log(node.name)
    if console is not None and console.exists():
        lines = console.read_text(errors="replace").splitlines()[-CONSOLE_LINES:]
        text += f"\n=== console (last {CONSOLE_LINES} lines)\n" + "\n".join(lines)
    return text
