"""Shared storage over iSCSI (book 7.3's "shared iSCSI storage"): tgt on the storage node, open-iscsi on
the cluster nodes. Each node logs in with its own initiator name, which the target's ACL names."""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import dataclass

from harness import kinds
from harness.node import Node, Result
from harness.ops import files
from harness.probes import iscsi as iscsi_probe

TGT_CONF = "/etc/tgt/conf.d/hadrill.conf"
PORT = 3260


@dataclass(frozen=True)
class Export:
    """One iSCSI target on the storage node: its name, the disks behind its LUNs, who may log in."""

    iqn: str
    portal: str                     # the storage node's address
    disks: tuple[str, ...]          # backing devices on the storage node, LUN 1, 2, ... in this order
    initiators: tuple[str, ...]     # the cluster nodes' initiator names


def render_tgt_conf(export: Export) -> str:
    lines = ["# hadrill: the shared disks of book 7.3, exported over iSCSI", f"<target {export.iqn}>"]
    lines += [f"    backing-store {disk}" for disk in export.disks]
    lines += [f"    initiator-name {name}" for name in export.initiators]
    lines += ["</target>"]
    return "\n".join(lines)


@kinds.change
def export(storage: Node, target: Export) -> None:
    """Write the target's configuration and start tgtd with it (restarted if the configuration changed:
    `tgt-admin --update` refuses to change a target in use)."""
    changed = files.write_if_changed(storage, TGT_CONF, render_tgt_conf(target))
    storage.run(f"systemctl {'restart' if changed else 'start'} tgt", timeout=120)


@kinds.change
def discover(node: Node, portal: str) -> Result:
    return node.run(f"iscsiadm -m discovery -t sendtargets -p {shlex.quote(portal)}:{PORT}", timeout=60)


@kinds.change
def login(node: Node, iqn: str, portal: str) -> Result | None:
    """Log in to the target (its IQN at the portal's address) unless a session is there already. Its node
    records are made afresh by a discovery first: a power cut can leave them half written ("No records
    found" at login)."""
    if iqn in iscsi_probe.sessions(node):
        return None
    node.run("systemctl start iscsid")
    node.run(f"rm -rf /etc/iscsi/nodes/{shlex.quote(iqn)} "
             f"/etc/iscsi/send_targets/{shlex.quote(portal)},{PORT}")
    discover(node, portal)
    res = node.run(f"iscsiadm -m node -T {shlex.quote(iqn)} -p {shlex.quote(portal)}:{PORT} --login",
                   timeout=60)
    node.run("udevadm settle --timeout=30")
    return res


@kinds.change
def login_all(nodes: Sequence[Node], target: Export) -> None:
    for node in nodes:
        login(node, target.iqn, target.portal)
