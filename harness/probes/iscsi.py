"""iSCSI as the nodes see it: each initiator's own name, the sessions it holds, the target's listing."""

from __future__ import annotations

from harness.node import Node, Result

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


def discovered(said: Result) -> list[str]:
    """The target names a sendtargets discovery printed ("ADDRESS:PORT,TPGT NAME" a line)."""
    return [line.split()[1] for line in said.stdout.splitlines() if len(line.split()) == 2]


def session_initiators(node: Node) -> dict[str, str]:
    """Each target this node has a session with -> the initiator name the session logged in with."""
    return parse_session_details(node.run("iscsiadm -m session -P 3", warn=True).stdout)


def parse_session_details(text: str) -> dict[str, str]:
    """`iscsiadm -m session -P 3`: "Target: NAME (...)" opens a target, "Iface Initiatorname: NAME" gives
    its session's initiator."""
    out: dict[str, str] = {}
    target = ""
    for line in text.splitlines():
        key, _, value = line.strip().partition(":")
        if key == "Target" and value.split():
            target = value.split()[0]
        elif key == "Iface Initiatorname" and target and value.strip():
            out[target] = value.strip()
    return out
