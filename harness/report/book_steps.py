"""What the book prints for each of its steps, beside what the lab runs today: the runbook's "the book"
box. The commands and configuration lines are the book's, quoted as printed (facts of the book); where
today's stack differs, the equivalent that runs is named with the reason. A scenario cites a step by the
start of its name: `7.2 (10)`, `7.2 step 14`, `7.2 steps 11-12`, `7.3 step 4`, `7.3 part 7`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class BookStep:
    key: str                                   # "7.2 step 10", "7.3 part 4"
    title: str                                 # what the step does, in our words
    printed: tuple[str, ...] = ()              # the book's commands and lines, as printed
    today: tuple[tuple[str, str], ...] = ()    # (what runs instead, why)
    notes: tuple[str, ...] = field(default=())


SECRET_SHOWN = '"********"'     # the book prints a shared secret; the runbook never repeats one

_DRBD_CONF = (
    "global { usage-count yes; }",
    "common { syncer { rate 100M; } }",
    "resource test {",
    "  protocol C;",
    f"  net {{ cram-hmac-alg sha1; shared-secret {SECRET_SHOWN}; }}",
    "  on vm01 {",
    "    device /dev/drbd1;",
    "    disk /dev/sdb1;",
    "    address 192.168.1.66:7789;",
    "    meta-disk internal;",
    "  }",
    "  on vm02 { device /dev/drbd1; disk /dev/sdb1; address 192.168.1.67:7789; meta-disk internal; }",
    "}",
)
_HA_CF = ("logfile /var/log/ha-log", "logfacility local0", "warntime 4", "initdead 12", "udpport 694",
          "ucast eth0 192.168.8.23", "auto_failback on", "node vm1", "node vm2",
          "ping_group group1 192.168.8.22 192.168.8.23", "respawn hacluster /usr/lib/heartbeat/ipfail",
          "apiauth ipfail gid=haclient uid=hacluster")
_ADDRESSES = ("the lab's own addresses and interface (or the site profile's)",
              "the book's 192.168.x.x addresses belong to its network; the embedded lab's hosts live in "
              "network namespaces of their own")

STEPS = {s.key: s for s in (
    BookStep("7.2 step 1", "DRBD built and installed from source",
             ("./configure --prefix=/ --with-km; make; make install",),
             (("the distribution's drbd-utils package; the kernel's own DRBD 8.4 module",
               "the kernel ships the DRBD 8.4 module: nothing to build, and the tools come signed from "
               "the distribution"),)),
    BookStep("7.2 step 2", "both host names in /etc/hosts on both hosts"),
    BookStep("7.2 step 3", "one primary partition of type 83 on the second disk", ("fdisk /dev/sdb",),
             (("fdisk fed the book's answers (n, p, 1, defaults, w) on the site's disk",
               "the same dialogue, typed by the harness instead of a person"),)),
    BookStep("7.2 step 4", "the DRBD module loaded", ("modprobe drbd", "lsmod | grep drbd")),
    BookStep("7.2 step 5", "/etc/drbd.conf, the same on both hosts (copied with scp)", _DRBD_CONF,
             (("usage-count no", "usage-count yes reports every install to DRBD's online counter: a lab "
                                 "does not call out"),
              ("syncer { rate 100M; } kept", "DRBD 8.4 spells it disk { resync-rate }, and 8.4's drbdadm "
                                             "still accepts the 8.3 section"),
              _ADDRESSES)),
    BookStep("7.2 step 6", "metadata created, DRBD started, the primary forced, the first sync watched",
             ("drbdadm create-md test", "dd if=/dev/zero bs=1M count=1 of=/dev/sdb1",
              "/etc/init.d/drbd start", "drbdsetup /dev/drbd1 primary -o", "cat /proc/drbd"),
             (("drbdadm primary --force test", "`primary -o` is DRBD 8.3's; 8.4 spells the first promotion "
                                               "--force (both are tried, the book's first)"),)),
    BookStep("7.2 step 7", "the filesystem made on the primary only", ("mkfs.ext3 /dev/drbd1",),
             (("mkfs.ext3 kept (the site profile may choose ext4)",
               "today's kernels still mount ext3 (through the ext4 driver)"),)),
    BookStep("7.2 step 8", "the replicated device mounted; DRBD not started at boot",
             ("mount /dev/drbd1 /data", "df", "cat /proc/drbd")),
    BookStep("7.2 step 9", "a manual switch-over shows the standby holds the data",
             ("umount /data; drbdadm secondary test",
              "drbdadm primary test; mount /dev/drbd1 /data; ls /data")),
    BookStep("7.2 step 10", "a split brain repaired: the victim discards its changes",
             ("drbdadm secondary test", "drbdadm -- --discard-my-data connect test", "cat /proc/drbd",
              "drbdadm connect test"),
             (("drbdadm connect --discard-my-data test", "the 8.4 spelling; 8.4's drbdadm still takes the "
                                                         "book's, and both are run"),)),
    BookStep("7.2 step 11", "Heartbeat installed; ha.cf, authkeys and haresources written",
             (*_HA_CF, "auth 1", "1 crc", "vm01 drbddisk::test Filesystem::/dev/drbd1::/data::ext3 "
              "192.168.8.100 mysql"),
             (("Debian's heartbeat 3 package, haresources mode", "heartbeat 2.1.4 from source no longer "
                                                               "builds; 3.0 keeps the same files"),
              ("node lines equal to `uname -n`", "the book writes vm1/vm2 there and vm01/vm02 elsewhere; "
                                                 "Heartbeat only knows a node by its uname"),
              ("keepalive and deadtime set by the harness", "their values are lost in the scan"),
              ("auto_failback as the book prints it (on for vm01, off for vm02), and the same on both",
               "Heartbeat asks for one value on both nodes; each way is run and its outcome reported"),
              ("the `mysql` of haresources is MariaDB's init script", "MariaDB is the distribution's MySQL"),
              _ADDRESSES)),
    BookStep("7.2 step 12", "MySQL with its datadir on the DRBD mount", (),
             (("MariaDB, datadir under the mount point", "MariaDB is the distribution's MySQL"),)),
    BookStep("7.2 step 13", "DRBD Secondary on both, then Heartbeat started by hand",
             ("/etc/init.d/heartbeat start",)),
    BookStep("7.2 step 14", "the book's promise: the VIP moves when the master stops or its MySQL does, and "
                            "stays on the standby when the master returns",
             notes=("Heartbeat in haresources mode does not watch its resources: the promise is a claim, "
                    "judged held or not held from what the nodes did",)),
    BookStep("7.3 step 1", "the cluster packages installed",
             ("yum install luci ricci cman openais rgmanager lvm2-cluster gfs2-utils",
              "yum install cluster-glue resource-agents pacemaker"),
             (("pacemaker, corosync, pcs, fence-agents, gfs2-utils, dlm-controld",
               "cman, rgmanager, luci and ricci are gone from current distributions; corosync 3 and "
               "pacemaker are their successors"),)),
    BookStep("7.3 step 2", "both nodes in /etc/hosts"),
    BookStep("7.3 step 3", "the cluster daemons started and enabled at boot",
             ("service ricci start", "service luci start", "service cman start"),
             (("pcs cluster setup; pcs cluster start --all", "pcsd and pcs replace luci and ricci; corosync "
                                                              "replaces cman"),)),
    BookStep("7.3 step 4", "the cluster, its nodes, a fence device, the resources, a failover domain and the "
                           "service, made in luci",
             notes=("luci is a web form: the book prints no command here",),
             today=(("pcs stonith create (fence_ipmilan), pcs resource create, location constraints with "
                     "scores", "a failover domain's priorities are location scores in Pacemaker"),)),
    BookStep("7.3 part 3", "CCS keeps one cluster configuration on every node",
             ("/etc/cluster/cluster.conf",),
             (("corosync.conf and the CIB, kept alike by pcs and the cluster", "ccs and cluster.conf are "
                                                                             "gone with cman"),)),
    BookStep("7.3 part 4", "fencing: the standby takes over only after the fence device confirms",
             today=(("pcs stonith fence; stonith resources with fence_ipmilan",
                     "fence_tool and cluster.conf's fence devices went with cman"),)),
    BookStep("7.3 part 5", "rgmanager starts, stops and moves services", ("clusvcadm",),
             (("pcs resource move / clear", "rgmanager is gone; pacemaker moves resources"),)),
    BookStep("7.3 part 7", "GFS2 mounted on several nodes at once, locking through the DLM",
             today=(("gfs2-utils and dlm_controld under pacemaker", "the same on-disk GFS2"),)),
)}

_CITED = re.compile(r"^(7\.[23])(?: \((\d+)\)| steps? (\d+)(?:-(\d+))?| part (\d+))")


def cited(scenario: str) -> list[BookStep]:
    """The book's steps a scenario's name cites ("7.2 steps 11-12: ..." cites 11 and 12); none if it
    cites no step."""
    m = _CITED.match(scenario)
    if not m:
        return []
    section, paren, first, last, part = m.groups()
    if part:
        keys = [f"{section} part {part}"]
    else:
        start = int(paren or first)
        keys = [f"{section} step {n}" for n in range(start, int(last or start) + 1)]
    return [STEPS[k] for k in keys if k in STEPS]
