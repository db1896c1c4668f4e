"""What a node of a MySQL service holds right now: mysqld, the VIP, the /data mount, the DRBD role, and
which cluster manager runs (Heartbeat for book 7.2, pacemaker for 7.3).

One command reads it all. It reads the resources in the reverse of the order the cluster starts them
(drbddisk, Filesystem, IP, mysql), so a takeover under way is never seen as a resource without the
one it stands on.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from harness.node import Node
from harness.probes.errors import ParseError


@dataclass(frozen=True)
class Holdings:
    mysqld: bool
    vip: bool
    mounted: bool
    role: str           # this node's DRBD role ("Primary", "Secondary", "Unconfigured")
    heartbeat: bool
    pacemaker: bool = False

    def summary(self) -> str:
        held = [what for what, yes in (("mysqld", self.mysqld), ("VIP", self.vip), ("mounted", self.mounted))
                if yes]
        role = [] if self.role == "Unconfigured" else [self.role]
        manager = [] if self.heartbeat or self.pacemaker else ["(no cluster manager)"]
        return " ".join([*role, *held, *manager]) or "nothing"


# The processes, the mount and DRBD's line read by the shell's own builtins (one walk of /proc for every
# process name, no pidof, mountpoint or sed): the probe runs hundreds of times a run, and each program
# started inside a node costs more than the reading itself. Only `ip` is run.
# The walk sets m, h and p to 1 where mariadbd, heartbeat and pacemakerd run (the caller clears them first);
# the holdings stream (holdings_stream.py) walks the same way.
PROCESS_WALK = ('for f in /proc/[0-9]*/comm; do { read -r c < "$f"; } 2>/dev/null || continue; '
                'case "$c" in mariadbd) m=1;; heartbeat) h=1;; pacemakerd) p=1;; esac; done; ')
_PROCESSES = ('m=; h=; p=; ' + PROCESS_WALK +
              'echo "mysqld: $m"; echo "heartbeat: $h"; echo "pacemaker: $p"; ')
_MOUNTED = ('x=no; while read -r dev mp rest; do [ "$mp" = {mp} ] && x=yes; done < /proc/mounts; '
            'echo "mounted: $x"; ')
_DRBD = ('if [ -r /proc/drbd ]; then while read -r line; do case "$line" in "{minor}: "*) '
         'echo "drbd: ${{line#*: }}";; esac; done < /proc/drbd; fi; true')


def as_in_proc_mounts(mountpoint: str) -> str:
    """The mount point as /proc/mounts writes it (a space as \\040)."""
    return mountpoint.replace(" ", "\\040")


def command(mountpoint: str, minor: int) -> str:
    in_proc_mounts = shlex.quote(as_in_proc_mounts(mountpoint))
    return (_PROCESSES + "ip -o -4 addr show | while read -r line; do echo \"addr: $line\"; done; "
            + _MOUNTED.format(mp=in_proc_mounts) + _DRBD.format(minor=int(minor)))


def _role(drbd_line: str) -> str:
    for word in drbd_line.split():
        if word.startswith("ro:"):
            return word[3:].split("/")[0]
    return "Unconfigured"


def parse(text: str, vip: str) -> Holdings:
    """The output of command() on one node, for the cluster's VIP."""
    fields: dict[str, list[str]] = {}
    for line in text.splitlines():
        key, sep, value = line.partition(": ")
        if sep:
            fields.setdefault(key, []).append(value.strip())
    if "mysqld" not in fields or "mounted" not in fields:
        raise ParseError("the holdings of a node", "mysqld: and mounted: lines", text)
    addresses = {word.split("/")[0] for line in fields.get("addr", []) for word in line.split()
                 if "/" in word and word[0].isdigit()}
    return Holdings(mysqld=bool(fields["mysqld"][0]), vip=vip in addresses,
                    mounted=fields["mounted"][0] == "yes", role=_role(" ".join(fields.get("drbd", []))),
                    heartbeat=bool(fields.get("heartbeat", [""])[0]),
                    pacemaker=bool(fields.get("pacemaker", [""])[0]))


def read(node: Node, vip: str, mountpoint: str, minor: int, timeout: float = 5.0) -> Holdings:
    return parse(node.run(command(mountpoint, minor), timeout=timeout).stdout, vip)
