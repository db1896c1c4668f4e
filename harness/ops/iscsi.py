"""Shared storage over iSCSI (book 7.3's "shared iSCSI storage"): the kernel's own target (LIO, set up
through configfs) on the storage node, open-iscsi on the cluster nodes. Each node logs in with its own
initiator name, which the target's ACL names. LIO answers every persistent-reservation action fence_scsi
sends (tgt refuses PREEMPT AND ABORT, so storage fencing could not work with it)."""

from __future__ import annotations

import hashlib
import shlex
from collections.abc import Sequence
from dataclasses import dataclass

from harness import kinds
from harness.node import Node, Result
from harness.ops import files
from harness.probes import iscsi as iscsi_probe

PORT = 3260
MODULES = ("target_core_mod", "iscsi_target_mod", "target_core_iblock")
BACKSTORE = f"{iscsi_probe.CONFIGFS}/core/iblock_0"
STORE_NAME = "hadrill_lun"     # hadrill's backstores: hadrill_lun1, hadrill_lun2, ... (the teardown's glob)
SCRIPT = "/run/hadrill-iscsi-export.sh"    # the export as last applied; gone, like configfs, at a reboot


@dataclass(frozen=True)
class Export:
    """One iSCSI target on the storage node: its name, the disks behind its LUNs, who may log in."""

    iqn: str
    portal: str                     # the storage node's address
    disks: tuple[str, ...]          # backing devices on the storage node, LUN 1, 2, ... in this order
    initiators: tuple[str, ...]     # the cluster nodes' initiator names


def unit_serial(export: Export, disk: str) -> str:
    """A LUN's serial, the same at every export of that disk by that target (LIO makes the LUN's WWN from
    its hex digits, and the cluster names its disks by WWN): 32 hex digits."""
    return hashlib.sha256(f"{export.iqn} {disk}".encode()).hexdigest()[:32]


def render_teardown(iqn: str) -> list[str]:
    """Shell lines that remove this target and hadrill's backstores from configfs, if they are there
    (configfs removes a directory only once its links are gone: links first, then directories inward)."""
    tpg = shlex.quote(iscsi_probe.tpg_dir(iqn))
    return [
        f"t={tpg}",
        'if [ -d "$t" ]; then',
        '  echo 0 > "$t/enable"',
        '  for l in "$t"/acls/*/lun_*/* "$t"/lun/lun_*/*; do [ -L "$l" ] && rm "$l"; done',
        '  for d in "$t"/acls/*/lun_* "$t"/acls/* "$t"/lun/lun_* "$t"/np/*; do',
        '    [ -d "$d" ] && rmdir "$d"',
        '  done',
        '  rmdir "$t" "${t%/*}"',
        "fi",
        f"for d in {BACKSTORE}/{STORE_NAME}*; do [ -d \"$d\" ] && rmdir \"$d\"; done",
    ]


def render_export(export: Export) -> str:
    """The shell script that makes the target in configfs: each disk an iblock backstore with its serial,
    LUN 1, 2, ... in the target, a portal on the storage node's address, an ACL per initiator mapping every
    LUN, no CHAP (the lab's network is its own), then the target enabled."""
    tpg = iscsi_probe.tpg_dir(export.iqn)
    lines = ["# hadrill: the shared disks of book 7.3, exported over iSCSI by the kernel's target (LIO)",
             "set -e", f"modprobe -a {' '.join(MODULES)}",
             f"mountpoint -q {iscsi_probe.CONFIGFS_ROOT} || mount -t configfs configfs "
             f"{iscsi_probe.CONFIGFS_ROOT}", *render_teardown(export.iqn)]
    for number, disk in enumerate(export.disks, 1):
        store_name = f"{STORE_NAME}{number}"
        store, lun = f"{BACKSTORE}/{store_name}", f"{tpg}/lun/lun_{number}"
        lines += [f"mkdir -p {store} {lun}", f"echo udev_path={shlex.quote(disk)} > {store}/control",
                  f"echo {unit_serial(export, disk)} > {store}/wwn/vpd_unit_serial",
                  f"echo 1 > {store}/enable", f"ln -s {store} {lun}/{store_name}"]
    lines.append(f"mkdir {tpg}/np/{shlex.quote(export.portal)}:{PORT}")
    for name in export.initiators:
        acl = f"{tpg}/acls/{shlex.quote(name)}"
        for number in range(1, len(export.disks) + 1):
            lines += [f"mkdir -p {acl}/lun_{number}", f"ln -s {tpg}/lun/lun_{number} {acl}/lun_{number}/lun"]
    lines += [f"echo 0 > {tpg}/attrib/authentication", f"echo 1 > {tpg}/enable"]
    return "\n".join(lines) + "\n"


@kinds.change
def export(storage: Node, target: Export) -> None:
    """The target made in the storage node's kernel, unless it is there already as last made (configfs
    and the script's copy in /run go together at a reboot); made afresh if the export changed."""
    changed = files.write_if_changed(storage, SCRIPT, render_export(target), mode="700")
    if changed or not iscsi_probe.target_enabled(storage, target.iqn):
        storage.run(f"sh {SCRIPT}", timeout=120)


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
