"""GFS2 on the book's 7.3 cluster (its point 7): DLM and a GFS2 filesystem on the second shared LUN, each
cloned by the cluster so that every member mounts it at once."""

from __future__ import annotations

from harness.clusters.members import TAKEOVER_TIMEOUT_S, Members
from harness.clusters.storage import SharedStorage
from harness.ops import fs
from harness.ops import gfs2 as gfs2_ops
from harness.probes import scsi
from harness.waiting import eventually

GFS2_MOUNTPOINT = "/shared"


class Gfs2:
    """The cluster's GFS2, mounted on `mountpoint` on every member."""

    def __init__(self, cluster: Members, storage: SharedStorage, mountpoint: str = GFS2_MOUNTPOINT):
        self.cluster = cluster
        self.storage = storage
        self.mountpoint = mountpoint

    def ensure(self) -> scsi.ScsiDisk:
        """GFS2 on the second shared LUN, mounted on every member by the cluster (DLM cloned too)."""
        c = self.cluster
        c.ensure_cluster()
        disk = self.storage.lun(c.preferred, 2)
        if not {"dlm", "gfs2_fs"} <= set(c.status().resources):
            first = c.node(c.preferred)
            for name in c.names:
                fs.make_dir(c.node(name), self.mountpoint)
            gfs2_ops.make_gfs2(first, disk.by_id, c.name, "shared", journals=len(c.names))
            gfs2_ops.create_gfs2(first, disk.by_id, self.mountpoint)
        eventually(lambda: [n for n in c.names if not self.mounted(n)], lambda v: not v,
                   timeout=TAKEOVER_TIMEOUT_S, interval=2.0,
                   describe=f"GFS2 mounted on {self.mountpoint} on {' and '.join(c.names)}")
        return disk

    def mounted(self, name: str) -> bool:
        return self.cluster.node(name).sh("findmnt", "-n", "-t", "gfs2", self.mountpoint, warn=True).ok
