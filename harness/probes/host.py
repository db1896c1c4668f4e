"""Facts about a node's system: identity, block devices, modules, host key."""

from __future__ import annotations

from dataclasses import dataclass

from harness.node import Node
from harness.probes.errors import ParseError


@dataclass(frozen=True)
class Identity:
    """What must differ between nodes made from one image."""

    hostname: str
    machine_id: str
    macs: tuple[str, ...]
    host_key: str
    iscsi_initiator: str


def parse_initiator(text: str) -> str:
    for line in text.splitlines():
        if line.startswith("InitiatorName="):
            return line.split("=", 1)[1].strip()
    raise ParseError("/etc/iscsi/initiatorname.iscsi", "a line InitiatorName=iqn...", text)


def identity(node: Node) -> Identity:
    out = node.run("uname -n; cat /etc/machine-id; cat /sys/class/net/eth*/address | tr '\\n' ' '; echo;"
                   " cut -d' ' -f1,2 /etc/ssh/ssh_host_ed25519_key.pub").stdout.splitlines()
    if len(out) != 4:
        raise ParseError("identity of " + node.name, "4 lines", "\n".join(out))
    initiator = parse_initiator(node.run("cat /etc/iscsi/initiatorname.iscsi").stdout)
    return Identity(out[0].strip(), out[1].strip(), tuple(out[2].split()), out[3].strip(), initiator)


def block_size_bytes(node: Node, device: str) -> int:
    """The size of a block device (following symlinks such as /dev/sdb -> ubdb)."""
    text = node.sh("blockdev", "--getsize64", device).stdout.strip()
    if not text.isdigit():
        raise ParseError(f"blockdev --getsize64 {device}", "a number of bytes", text)
    return int(text)


def module_loaded(lsmod: str, module: str) -> bool:
    """True if lsmod's output lists the module."""
    return any(line.split()[0] == module for line in lsmod.splitlines()[1:] if line.split())
