"""Filesystems and folders on a node's block devices, whatever the stack under them."""

from __future__ import annotations

import shlex

from harness import kinds
from harness.node import Node, Result


@kinds.change
def make_dir(node: Node, path: str) -> Result:
    return node.sh("install", "-d", path)


@kinds.destructive
def mkfs_ext4(node: Node, device: str) -> Result:
    return node.sh("mkfs.ext4", "-q", "-F", device, timeout=120)


@kinds.change
def mount(node: Node, device: str, mountpoint: str) -> Result:
    where = shlex.quote(mountpoint)
    return node.run(f"mkdir -p {where} && mount {shlex.quote(device)} {where}")


@kinds.change
def umount(node: Node, mountpoint: str) -> Result:
    return node.sh("umount", mountpoint)


@kinds.destructive
def wipe_signatures(node: Node, device: str) -> Result:
    """wipefs -a: no partition table, filesystem or RAID signature is left on the device."""
    result = node.sh("wipefs", "-a", device)
    node.run("udevadm settle")
    return result


@kinds.change
def write_random_files(node: Node, paths: list[str], size: int = 4096) -> Result:
    """Files of random bytes, synced to disk."""
    writes = [f"head -c {size} /dev/urandom > {shlex.quote(p)}" for p in paths]
    return node.run(" && ".join([*writes, "sync"]))


@kinds.change
def write_dated_sample(node: Node, path: str) -> Result:
    """The date and 64 KiB of random text in a file, synced: something whose checksum must survive."""
    q = shlex.quote(path)
    return node.run(f"date > {q} && head -c 65536 /dev/urandom | base64 >> {q} && sync")
