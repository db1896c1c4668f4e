"""iSCSI as the nodes see it: each initiator's own name, the sessions it holds; the storage node's target
(the kernel's, LIO) as its configfs shows it."""

from __future__ import annotations

import shlex

from harness.node import Node, Result
from harness.probes.errors import ParseError

INITIATOR_FILE = "/etc/iscsi/initiatorname.iscsi"
CONFIGFS_ROOT = "/sys/kernel/config"
CONFIGFS = f"{CONFIGFS_ROOT}/target"


def initiator_name(node: Node) -> str:
    """The node's own initiator name (InitiatorName= in /etc/iscsi/initiatorname.iscsi)."""
    for line in node.sh("cat", INITIATOR_FILE).stdout.splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "InitiatorName" and value.strip():
            return value.strip()
    raise AssertionError(f"{node.name}: no InitiatorName in {INITIATOR_FILE}")


def tpg_dir(iqn: str) -> str:
    """The target's (only) portal group in configfs."""
    return f"{CONFIGFS}/iscsi/{iqn}/tpgt_1"


def target_enabled(storage: Node, iqn: str) -> bool:
    """The target is in the storage node's kernel and enabled."""
    said = storage.run(f"cat {shlex.quote(tpg_dir(iqn))}/enable", warn=True)
    return said.ok and said.stdout.strip() == "1"


def target_listing(storage: Node, iqn: str) -> str:
    """Each ACL's `info` of the target: the initiator it names and its session, if one is logged in."""
    return storage.run(f"cat {shlex.quote(tpg_dir(iqn))}/acls/*/info").stdout


def logged_in(acl_info: str) -> list[str]:
    """The initiators with a session, from the ACLs' `info` files one after the other: "InitiatorName: X"
    opens an ACL, "LIO Session ID:" says it has a session, "No active iSCSI Session for Initiator
    Endpoint: X" that it has none."""
    names, sessions = [], []
    for line in acl_info.splitlines():
        key, _, value = line.partition(":")
        if key == "InitiatorName":
            names.append(value.strip())
        elif key == "LIO Session ID" and names:
            sessions.append(names[-1])
    if not names:
        raise ParseError("the target's ACL info", "an 'InitiatorName: NAME' line", acl_info)
    return sessions


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
