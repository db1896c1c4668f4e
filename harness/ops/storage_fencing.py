"""Storage fencing on the shared LUN (fence_scsi): a member is fenced by taking its SCSI reservation key
off the LUN, so the target refuses its writes. Pacemaker registers each member's key when it unfences
it; fence_scsi cannot power a node off, so each member's BMC is run right after it in the same level
(the node's VIP and processes go with it), and alone at level 2 should fence_scsi fail."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from shlex import quote as q

from harness import kinds
from harness.node import Node, Result

DEVICE = "fence_lun"
CIB_FILE = "/root/hadrill-storage-fencing.cib"    # the configuration made offline, pushed at once
DEPTH = 20       # the Filesystem agent's read and write test on the mounted filesystem


def _push(node: Node, pcs_commands: Sequence[str], warn: bool = False) -> Result:
    """Commands run on a copy of the CIB (`pcs -f`), then the copy pushed in one go (warn: a command that
    fails is passed over)."""
    node.run(f"pcs cluster cib {q(CIB_FILE)}")
    for command in pcs_commands:
        node.run(f"pcs -f {q(CIB_FILE)} {command}", warn=warn)
    return node.run(f"pcs cluster cib-push {q(CIB_FILE)} --config && rm -f {q(CIB_FILE)}", timeout=120)


@kinds.change
def guard(node: Node, lun: str, bmc_devices: Mapping[str, str]) -> Result:
    """fence_scsi on the LUN (it unfences, registering keys) with its levels, in one CIB push: a device
    added alone is unfenced through any device (the BMC's "on"), which registers no key."""
    members = " ".join(bmc_devices)
    commands = [f"stonith create {DEVICE} fence_scsi devices={q(lun)} pcmk_host_list={q(members)} "
                "meta provides=unfencing"]
    for member, bmc in bmc_devices.items():
        commands += [f"stonith level add 1 {q(member)} {DEVICE} {q(bmc)}",
                     f"stonith level add 2 {q(member)} {q(bmc)}"]
    return _push(node, commands)


@kinds.change
def monitor_deeply(node: Node, resource: str, interval_s: int, timeout_s: int) -> Result:
    """A second monitor of the Filesystem resource that writes to it (OCF_CHECK_LEVEL=20) and fences the
    node where it fails or times out (a node that lost its path to the LUN)."""
    return node.run(f"pcs resource op add {q(resource)} monitor interval={interval_s}s timeout={timeout_s}s "
                    f"OCF_CHECK_LEVEL={DEPTH} on-fail=fence")


@kinds.change
def unguard(node: Node, resource: str, interval_s: int) -> Result:
    """The deep monitor, every fencing level and fence_scsi's device removed, in one CIB push (what is
    not there is passed over)."""
    return _push(node, [f"resource op remove {q(f'{resource}-monitor-interval-{interval_s}s')}",
                        "stonith level clear", f"stonith delete {DEVICE}"], warn=True)


@kinds.change
def clear_reservations(node: Node, lun: str, key: str) -> Result:
    """Every key and the reservation off the LUN (PERSISTENT RESERVE OUT, CLEAR), through a node whose
    key is registered: a member fenced by its key could not write to it again."""
    return node.run(f"sg_persist -n -o -C -K {q(key)} {q(lun)}")


@kinds.change
def rewrite_first_sector(node: Node, lun: str) -> Result:
    """The LUN's first sector read and written back unchanged, bypassing the page cache: whether the
    target takes this node's writes (a fenced node's is refused: a reservation conflict, EBADE)."""
    dd = "dd bs=512 count=1 status=none"
    return node.run(f"t=$(mktemp) && {dd} if={q(lun)} of=$t iflag=direct && "
                    f"{dd} if=$t of={q(lun)} oflag=direct,sync conv=notrunc; rc=$?; rm -f $t; exit $rc",
                    warn=True)
