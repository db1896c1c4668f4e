"""iSCSI as the nodes see it: each initiator's own name, the sessions it holds, the target's listing."""

from __future__ import annotations

from harness.node import Node

INITIATOR_FILE = "/etc/iscsi/initiatorname.iscsi"


def initiator_name(node: Node) -> str:
    """The node's own initiator name (InitiatorName= in /etc/iscsi/initiatorname.iscsi)."""
    for line in node.sh("cat", INITIATOR_FILE).stdout.splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "InitiatorName" and value.strip():
            return value.strip()
    raise AssertionError(f"{node.name}: no InitiatorName in {INITIATOR_FILE}")


def target_listing(storage: Node) -> str:
    """tgtadm's listing of the storage node's targets, with each session's initiator."""
    return storage.run("tgtadm --lld iscsi --mode target --op show").stdout


def sessions(node: Node) -> list[str]:
    """The targets this node has a session with."""
    res = node.run("iscsiadm -m session", warn=True)
    return [line.split()[3] for line in res.stdout.splitlines() if line.startswith("tcp:") and
            len(line.split()) >= 4]
