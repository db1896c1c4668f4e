"""GFS2, the book's point 7: DLM and a cluster filesystem mounted on every member of a pacemaker cluster."""

from __future__ import annotations

from shlex import quote as q

from harness import kinds
from harness.node import Node, Result


@kinds.destructive
def make_gfs2(node: Node, device: str, cluster: str, fs_name: str, journals: int) -> Result:
    """mkfs.gfs2 with DLM locking, the lock table <cluster>:<fs_name>, a journal per node."""
    return node.run(f"mkfs.gfs2 -O -p lock_dlm -t {q(f'{cluster}:{fs_name}')} -j {journals} {q(device)}",
                    timeout=300)


@kinds.change
def create_gfs2(node: Node, device: str, mountpoint: str) -> None:
    """dlm_controld and the GFS2 Filesystem, each cloned on every member; DLM first, on the same node."""
    node.run("pcs resource create dlm ocf:pacemaker:controld op monitor interval=30s on-fail=fence "
             "clone interleave=true ordered=true")
    node.run(f"pcs resource create gfs2_fs ocf:heartbeat:Filesystem device={q(device)} "
             f"directory={q(mountpoint)} fstype=gfs2 options=noatime op monitor interval=10s on-fail=fence "
             "clone interleave=true")
    node.run("pcs constraint order start dlm-clone then gfs2_fs-clone")
    node.run("pcs constraint colocation add gfs2_fs-clone with dlm-clone")
