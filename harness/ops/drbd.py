"""DRBD, the write side: the book's commands (7.2 steps 3-10), each one a function on a node."""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import dataclass

from harness import kinds
from harness.lab.site import BOOK
from harness.node import Node, Result
from harness.ops import files
from harness.ops.fs import mount as mount
from harness.ops.fs import umount as umount

CONF_PATH = "/etc/drbd.conf"


@dataclass(frozen=True)
class Peer:
    """One `on HOST { ... }` block of drbd.conf."""

    name: str        # must equal uname -n
    address: str     # cluster address; DRBD listens on it
    disk: str        # backing partition, e.g. /dev/sdb1


@dataclass(frozen=True)
class DrbdResource:
    """The book's resource (`test` on /dev/drbd1, port 7789: the site's defaults), internal metadata."""

    peers: tuple[Peer, ...]
    shared_secret: str
    name: str = BOOK.resource
    minor: int = BOOK.minor
    port: int = BOOK.port
    protocol: str = "C"
    sync_rate: str = "100M"
    fencing: bool = False    # resource-level fencing through pacemaker (not the book's: 7.2 on pacemaker)

    @property
    def device(self) -> str:
        return f"/dev/drbd{self.minor}"

    def peer(self, name: str) -> Peer:
        return next(p for p in self.peers if p.name == name)


USAGE_COUNT_NOTE = ("# usage-count no: the book says yes, which makes drbdadm report each install to the\n"
                    "# DRBD project's online usage counter; a lab (and most data centres) must not\n"
                    "# call out.\n")


# DRBD 8.4's resource-level fencing under pacemaker: on losing its peer a Primary freezes its I/O and asks
# the cluster (crm-fence-peer.sh) to forbid the Promoted role to every other node until the peer has resynced
# (crm-unfence-peer.sh, on the resync's target, lifts it); a node pacemaker cannot reach is fenced.
FENCING = ("  disk { fencing resource-and-stonith; }\n"
           "  handlers {\n"
           "    fence-peer \"/usr/lib/drbd/crm-fence-peer.sh\";\n"
           "    after-resync-target \"/usr/lib/drbd/crm-unfence-peer.sh\";\n"
           "  }\n")


def render_conf(res: DrbdResource) -> str:
    """The book's /etc/drbd.conf (7.2 step 5) for this resource, identical for every peer."""
    if res.protocol not in ("A", "B", "C"):
        raise ValueError(f"DRBD protocol must be A, B or C, not {res.protocol!r}")
    if '"' in res.shared_secret or "\n" in res.shared_secret:
        raise ValueError("the DRBD shared secret may not contain a double quote or a newline")
    hosts = "".join(
        f"  on {p.name} {{\n"
        f"    device {res.device};\n"
        f"    disk {p.disk};\n"
        f"    address {p.address}:{res.port};\n"
        f"    meta-disk internal;\n"
        f"  }}\n" for p in res.peers)
    return (f"# /etc/drbd.conf: the book's (7.2 step 5), written by hadrill; the same on every peer.\n"
            f"{USAGE_COUNT_NOTE}"
            f"global {{ usage-count no; }}\n"
            f"common {{ syncer {{ rate {res.sync_rate}; }} }}\n"
            f"resource {res.name} {{\n"
            f"  protocol {res.protocol};\n"
            f"  net {{ cram-hmac-alg sha1; shared-secret \"{res.shared_secret}\"; }}\n"
            f"{FENCING if res.fencing else ''}{hosts}}}\n")


# -- 7.2 steps 2-5: hosts, module, partition, configuration -----------------------------------
@kinds.change
def write_hosts(node: Node, peers: Sequence[Peer]) -> Result:
    return files.set_block(node, "/etc/hosts", "drbd peers", [f"{p.address}\t{p.name}" for p in peers])


@kinds.change
def load_module(node: Node) -> Result:
    return node.run("modprobe drbd")


@kinds.destructive
def partition(node: Node, disk: str) -> Result:
    """The book's fdisk dialogue: n(ew), p(rimary), 1, default start, default end, w(rite)."""
    result = node.run(f"printf 'n\\np\\n1\\n\\n\\nw\\n' | fdisk {shlex.quote(disk)}")
    node.run("udevadm settle")
    return result


@kinds.change
def write_conf(node: Node, res: DrbdResource) -> Result:
    """The book's step: write the rendered drbd.conf (mode 600: it holds the secret)."""
    return files.write(node, CONF_PATH, render_conf(res), mode="600")


@kinds.change
def ensure_conf(node: Node, res: DrbdResource) -> bool:
    """The rendered drbd.conf in place, written only if it differs; True if it was written."""
    return files.write_if_changed(node, CONF_PATH, render_conf(res), mode="600")


# -- 7.2 step 6: metadata, start, promote -----------------------------------------------------
@kinds.destructive
def create_md(node: Node, res: DrbdResource, *, warn: bool = True) -> Result:
    """drbdadm create-md; nobody confirms for it (stdin is no terminal), so it refuses to overwrite."""
    return node.sh("drbdadm", "create-md", res.name, warn=warn)


@kinds.destructive
def zero_start(node: Node, disk: str) -> Result:
    """The book's fallback when create-md finds a filesystem: dd if=/dev/zero bs=1M count=1 of=DISK."""
    return node.sh("dd", "if=/dev/zero", "bs=1M", "count=1", f"of={disk}")


@kinds.destructive
def zero_end(node: Node, disk: str) -> Result:
    """Zero the last MiB, where internal metadata lives: with zero_start, a blank partition."""
    q = shlex.quote(disk)
    last_mib = f"$(( $(blockdev --getsize64 {q}) / 1048576 - 1 ))"
    return node.run(f"dd if=/dev/zero of={q} bs=1M count=1 seek={last_mib}")


@kinds.change
def start_service(node: Node) -> Result:
    """The book's `/etc/init.d/drbd start` (it waits for the peer: start it on both at once)."""
    return node.run("/etc/init.d/drbd start", timeout=120)


@kinds.disruptive
def stop_service(node: Node) -> Result:
    """`/etc/init.d/drbd stop`: every resource down, and the service stopped, so that the book's start
    starts it again (systemd takes a start of a service it counts as started for done)."""
    return node.run("/etc/init.d/drbd stop", timeout=120)


@kinds.change
def up(node: Node, res: DrbdResource, warn: bool = False) -> Result:
    return node.sh("drbdadm", "up", res.name, warn=warn)


@kinds.disruptive
def down(node: Node, res: DrbdResource) -> Result:
    return node.sh("drbdadm", "down", res.name)


@kinds.destructive
def promote_book_83(node: Node, res: DrbdResource) -> Result:
    """The book's `drbdsetup /dev/drbd1 primary -o` (8.3 spelling: overwrite the peer's data); drbd-utils 9
    refuses it."""
    return node.sh("drbdsetup", res.device, "primary", "-o", warn=True)


@kinds.disruptive
def promote(node: Node, res: DrbdResource, force: bool = False) -> Result:
    if force:
        return promote_by_force(node, res)
    return node.sh("drbdadm", "primary", res.name)


@kinds.destructive
def promote_by_force(node: Node, res: DrbdResource) -> Result:
    """`drbdadm primary --force`: this node's data becomes what both replicas hold (the peer's is
    overwritten by the next sync), whatever the disk states say."""
    return node.sh("drbdadm", "primary", "--force", res.name)


@kinds.disruptive
def demote(node: Node, res: DrbdResource) -> Result:
    return node.sh("drbdadm", "secondary", res.name)


@kinds.destructive
def skip_initial_sync(node: Node, res: DrbdResource) -> Result:
    """Mark both fresh (all-zero) peers UpToDate without the full sync: new-current-uuid --clear-bitmap."""
    return node.sh("drbdadm", "--", "--clear-bitmap", "new-current-uuid", res.name)


# -- 7.2 steps 7-10: filesystem, switch-over, split brain ---------------------------------------
@kinds.destructive
def mkfs(node: Node, device: str, fstype: str = BOOK.filesystem) -> Result:
    """The book's `mkfs.ext3` (or the site's filesystem)."""
    return node.sh(f"mkfs.{fstype}", "-q", device)


@kinds.disruptive
def disconnect(node: Node, res: DrbdResource) -> Result:
    return node.sh("drbdadm", "disconnect", res.name)


@kinds.disruptive
def reconnect(node: Node, resource: str) -> Result:
    """The resource's connection dropped and made again: a new handshake, which corrects a side that
    missed the end of a resync (replication pauses for it; the Primary goes on serving)."""
    node.sh("drbdadm", "disconnect", resource)
    return node.sh("drbdadm", "connect", resource)


def connect(node: Node, res: DrbdResource, discard_my_data: bool = False, as_printed: bool = False) -> Result:
    """drbdadm connect; with discard_my_data this node is the split brain's victim, in 8.4's spelling or,
    as_printed, in the book's (8.3's `drbdadm -- --discard-my-data connect`, which 8.4 still takes)."""
    if not discard_my_data:
        return _connect(node, res)
    return _connect_discarding(node, res, ("--", "--discard-my-data", "connect") if as_printed else
                               ("connect", "--discard-my-data"))


@kinds.change
def _connect(node: Node, res: DrbdResource) -> Result:
    return node.sh("drbdadm", "connect", res.name)


@kinds.destructive
def _connect_discarding(node: Node, res: DrbdResource, words: tuple[str, ...]) -> Result:
    """The victim's changes since the split are thrown away: it resyncs from the survivor."""
    return node.sh("drbdadm", *words, res.name)


@kinds.change
def adjust(node: Node, res: DrbdResource) -> Result:
    """Make the running resource match drbd.conf (a changed protocol reconnects)."""
    return node.sh("drbdadm", "adjust", res.name)


# -- the fault catalogue: a resync slowed, a promotion tried ----------------------------------------
@kinds.change
def slow_resync(node: Node, res: DrbdResource, rate: str) -> Result:
    """The resync held to a fixed rate (the dynamic controller off) until `adjust` puts drbd.conf back."""
    return node.sh("drbdadm", "disk-options", "--c-plan-ahead=0", f"--resync-rate={rate}", res.name)


@kinds.disruptive
def try_promote(node: Node, res: DrbdResource) -> Result:
    """`drbdadm primary`, its refusal returned rather than raised (a check that DRBD says no)."""
    return node.sh("drbdadm", "primary", res.name, warn=True)
