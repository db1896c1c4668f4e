"""The cluster of book 7.3 on today's stack: corosync 3 + pacemaker, made and driven with pcs.

The book's parts map to pcs as in BOOK.md: cman -> corosync, rgmanager/clusvcadm -> pacemaker and
`pcs resource`, luci/ricci -> pcsd, fence devices -> stonith resources (fence_ipmilan), a failover
domain -> location constraints with scores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from shlex import quote as q

from harness import kinds
from harness.lab.site import BOOK
from harness.node import CommandFailed, Node, Result
from harness.ops import files
from harness.probes import host

HACLUSTER = "hacluster"
START_TIMEOUT_S = 180
COROSYNC_PORT = 5405   # corosync's knet link (UDP), its default port
SERVICE_RESOURCES = ("data_fs", "vip", "mysql")   # the service's group, in start order
# what each resource's start stands for in a takeover's phases
SERVICE_PHASES = {"data_fs": "filesystem", "vip": "ip", "mysql": "database"}
# the cluster stack's daemons: corosync, and pacemakerd with the subdaemons it starts and watches
PACEMAKERD = "pacemakerd"
SUBDAEMONS = ("pacemaker-based", "pacemaker-fenced", "pacemaker-execd", "pacemaker-attrd",
              "pacemaker-schedulerd", "pacemaker-controld")
DAEMONS = ("corosync", PACEMAKERD, *SUBDAEMONS)


@dataclass(frozen=True)
class Member:
    name: str
    address: str
    bmc: str            # the address of its fence device (IPMI over LAN)
    bmc_user: str = ""  # the user its fence device is given


@dataclass(frozen=True)
class Service:
    """The book's MySQL service: a group of Filesystem, IP address and MariaDB, in that start order."""

    name: str            # the group (rgmanager's service)
    device: str          # the shared LUN, by its WWN
    mountpoint: str
    fstype: str
    vip: str
    prefixlen: int
    domain: tuple[tuple[str, int], ...]    # the failover domain: (node, priority score), first preferred
    interface: str = BOOK.interface        # the cluster interface IPaddr2 puts the VIP on


COROSYNC_CONF = "/etc/corosync/corosync.conf"


@kinds.change
def write_hosts(node: Node, members: Sequence[Member]) -> Result:
    """The book's step 2: /etc/hosts with both nodes."""
    return files.set_block(node, "/etc/hosts", "cluster nodes", [f"{m.address}\t{m.name}" for m in members])


@kinds.change
def set_hacluster_password(node: Node, password: str) -> Result:
    """pcsd's user (the book's ricci password); the text goes on chpasswd's stdin."""
    if "\n" in password or ":" in password:
        raise ValueError("the hacluster password may not contain a newline or a colon")
    return node.run("chpasswd", stdin=f"{HACLUSTER}:{password}\n")


@kinds.change
def start_pcsd(node: Node) -> Result:
    """The book's `service ricci start` (pcsd is today's ricci and luci)."""
    return node.run("systemctl start pcsd", timeout=120)


@kinds.destructive
def destroy(node: Node) -> Result:
    """No cluster on this node: stopped, corosync.conf and the CIB gone (Debian ships a corosync.conf
    that makes `pcs cluster setup` refuse)."""
    return node.run("pcs cluster destroy", timeout=120)


def _hosts(members: Sequence[Member]) -> str:
    return " ".join(f"{q(m.name)} addr={q(m.address)}" for m in members)


@kinds.change
def auth(node: Node, members: Sequence[Member], password: str) -> Result:
    """`pcs host auth`, the password on its stdin (pcs reads it there when stdin is not a terminal), not
    after -p, where the node's process list would show it."""
    return node.run(f"pcs host auth {_hosts(members)} -u {HACLUSTER}", stdin=password + "\n", timeout=120)


@kinds.change
def setup(node: Node, cluster: str, members: Sequence[Member]) -> Result:
    """The book's "create the cluster, add the nodes" (luci), started on all nodes."""
    return node.run(f"pcs cluster setup {q(cluster)} {_hosts(members)} --start "
                    f"--wait={START_TIMEOUT_S}", timeout=START_TIMEOUT_S + 60)


@kinds.change
def start_stack(node: Node) -> Result:
    """corosync and pacemaker started on this member (what `pcs cluster start` starts, without its
    Python start-up: seconds of CPU on a lab node); the caller waits for the member to join."""
    try:
        return node.run("systemctl start corosync pacemaker", timeout=START_TIMEOUT_S)
    except CommandFailed as exc:
        raise CommandFailed(exc.entry, host.why_units_failed(node, ["corosync", "pacemaker"])) from exc


@kinds.destructive
def forget_stock_config(node: Node) -> Result:
    """The corosync.conf a package ships removed, on a member where no cluster runs or ever ran: all
    `pcs cluster destroy` would change there (it also disables the units, 26 s a node)."""
    return node.run("rm -f /etc/corosync/corosync.conf")


@kinds.change
def set_resource_default(node: Node, name: str, value: str) -> Result:
    return node.run(f"pcs resource defaults update {q(name)}={q(value)}")


@kinds.disruptive
def cleanup(node: Node, resource: str = "") -> Result:
    """Failed actions (of one resource, or all) forgotten, so the cluster places the resources anew."""
    return node.run(f"pcs resource cleanup {q(resource)}" if resource else "pcs resource cleanup",
                    timeout=120)


@kinds.destructive
def confirm_fenced(node: Node, target: str) -> Result:
    """`pcs stonith confirm`: the operator vouches that the target is off (wrongly, and two nodes
    write the same disk)."""
    return node.run(f"pcs stonith confirm {q(target)} --force", timeout=60)


@kinds.change
def set_property(node: Node, name: str, value: str) -> Result:
    return node.run(f"pcs property set {q(name)}={q(value)}")


def fence_device_name(member: str) -> str:
    return f"fence_{member}"


# The BMCs' password reaches ipmitool from a file only root reads, never a command line: fence_ipmilan
# always passes ipmitool `-P PASSWORD` (its password_script's output too), and `-P ''` when it has none,
# so it is given no password and an ipmitool that swaps that empty -P for ipmitool's own `-f FILE`.
PASSWORD_FILE = "/etc/hadrill/bmc-password"
IPMITOOL = "/etc/hadrill/ipmitool"
IPMITOOL_SCRIPT = f"""#!/bin/sh
# fence_ipmilan's ipmitool (written by hadrill): its -P and the value after it become -f {PASSWORD_FILE}
given=$#
skip=
for arg do
    if [ -n "$skip" ]; then skip=
    elif [ "$arg" = -P ]; then skip=1; set -- "$@" -f {PASSWORD_FILE}
    else set -- "$@" "$arg"
    fi
done
shift "$given"
exec /usr/bin/ipmitool "$@"
"""


@kinds.change
def write_bmc_password(node: Node, password: str) -> Result:
    """The BMCs' password (mode 600, sent on stdin) and the ipmitool that reads it (mode 700)."""
    if "\n" in password:
        raise ValueError("the BMC password may not contain a newline")
    folder = PASSWORD_FILE.rsplit("/", 1)[0]
    node.run(f"install -d -m 700 {q(folder)} && install -m 700 /dev/null {q(IPMITOOL)} && "
             f"cat > {q(IPMITOOL)}", stdin=IPMITOOL_SCRIPT)
    return node.run(f"install -m 600 /dev/null {q(PASSWORD_FILE)} && cat > {q(PASSWORD_FILE)}",
                    stdin=password + "\n")


@kinds.change
def create_fence_device(node: Node, member: Member) -> Result:
    """The book's fence device: IPMI over LAN to the member's BMC (fence_ipmilan, lanplus), through the
    IPMITOOL that reads PASSWORD_FILE, which must be on every member."""
    name = fence_device_name(member.name)
    node.run(f"pcs stonith create {q(name)} fence_ipmilan ip={q(member.bmc)} username={q(member.bmc_user)} "
             f"ipmitool_path={q(IPMITOOL)} lanplus=1 pcmk_host_list={q(member.name)} "
             "op monitor interval=60s")
    return node.run(f"pcs constraint location {q(name)} avoids {q(member.name)}")


@kinds.change
def set_fence_delay(node: Node, member: str, seconds: int) -> Result:
    """The member's fence device waits this long before it acts (pcmk_delay_base; 0 removes it): in a
    fence race, the member whose device waits is the one left standing."""
    value = f"{seconds}s" if seconds else ""
    return node.run(f"pcs stonith update {q(fence_device_name(member))} pcmk_delay_base={value}")


@kinds.disruptive
def stop_stack(node: Node) -> Result:
    """pacemaker, then corosync, stopped on this member (its resources stopped first, unless the cluster
    is in maintenance mode)."""
    return node.run("systemctl stop pacemaker corosync", timeout=START_TIMEOUT_S)


@kinds.destructive
def kill_daemon(node: Node, daemon: str, signal: str) -> Result:
    """A fault: one of the cluster stack's daemons killed with a signal (KILL: as a crash would end it),
    by the PID pidof gives for it (it must run exactly once)."""
    if daemon not in DAEMONS:
        raise ValueError(f"{daemon!r} is not a daemon of the cluster stack: {', '.join(DAEMONS)}")
    found = host.pids(node, daemon)
    if len(found) != 1:
        raise AssertionError(f"{daemon} runs as {len(found)} processes on {node.name}, not one: {found}")
    return node.sh("kill", "-s", signal.removeprefix("SIG"), str(found[0]))


@kinds.destructive
def fence(node: Node, target: str, timeout: float = 120) -> Result:
    """`pcs stonith fence` (the book's `fence_node`): the target is rebooted through its fence device."""
    return node.run(f"pcs stonith fence {q(target)}", timeout=timeout)


@kinds.change
def create_service(node: Node, svc: Service, pcs: str = "pcs") -> None:
    """The book's resources (filesystem, IP, MySQL script), the service, and the failover domain (through
    `pcs`: the live cluster's, or `pcs -f FILE` for a CIB pushed later)."""
    fs, ip, db = SERVICE_RESOURCES
    group = f"--group {q(svc.name)}"
    node.run(f"{pcs} resource create {fs} ocf:heartbeat:Filesystem device={q(svc.device)} "
             f"directory={q(svc.mountpoint)} fstype={q(svc.fstype)} op monitor interval=10s {group}")
    node.run(f"{pcs} resource create {ip} ocf:heartbeat:IPaddr2 ip={q(svc.vip)} cidr_netmask={svc.prefixlen} "
             f"nic={q(svc.interface)} op monitor interval=10s {group}")
    node.run(f"{pcs} resource create {db} systemd:mariadb op start timeout=120s op stop timeout=120s "
             f"op monitor interval=10s {group}")
    for member, score in svc.domain:
        node.run(f"{pcs} constraint location {q(svc.name)} prefers {q(member)}={score}")


@kinds.disruptive
def relocate(node: Node, service: str, target: str) -> Result:
    """The book's `clusvcadm -r SERVICE -m NODE`: moved, and the move's constraint cleared after it."""
    res = node.run(f"pcs resource move {q(service)} {q(target)} --wait=180",
                   timeout=240)
    node.run(f"pcs resource clear {q(service)}", warn=True)
    return res


@kinds.disruptive
def standby(node: Node, member: str) -> Result:
    """`pcs node standby`: the member may run no resource; what runs there moves to the other members
    (hb_standby's equivalent)."""
    return node.run(f"pcs node standby {q(member)}")


@kinds.change
def unstandby(node: Node, member: str) -> Result:
    """`pcs node unstandby`: the member may run resources again (stickiness keeps them where they are)."""
    return node.run(f"pcs node unstandby {q(member)}")


@kinds.disruptive
def place(node: Node, service: str, target: str) -> Result:
    """The service told to run on the target (a move constraint, with crm_resource: no pcs start-up);
    the caller waits for it there, then calls unplace()."""
    return node.run(f"crm_resource --resource {q(service)} --move --node {q(target)}")


@kinds.change
def unplace(node: Node, service: str) -> Result:
    """place()'s constraint removed (stickiness keeps the service where it is)."""
    return node.run(f"crm_resource --resource {q(service)} --clear")


@kinds.disruptive
def delete_service(node: Node, service: str) -> Result:
    """The service's group and its resources removed (stopped first) with their constraints."""
    return node.run(f"pcs resource delete {q(service)}", timeout=240)


@kinds.change
def cluster_sync(node: Node) -> Result:
    """`pcs cluster sync`: this node's corosync.conf to every member (the book's CCS keeping cluster.conf
    alike; `ccs_tool update` in RHEL 6), then `pcs cluster reload corosync`, as pcs asks after a sync."""
    node.sh("pcs", "cluster", "sync", timeout=120)
    return node.sh("pcs", "cluster", "reload", "corosync", timeout=120)


@kinds.change
def flush(node: Node) -> Result:
    """`sync`: what the member has written reaches its disk (pcsd writes without fsync)."""
    return node.run("sync", timeout=120)


@kinds.change
def drift_corosync_conf(node: Node, note: str) -> Result:
    """A comment added to this member's corosync.conf: a copy that no longer matches the others'
    (corosync ignores it; a negative control for the check that the copies are alike)."""
    return files.set_block(node, COROSYNC_CONF, "drift", [f"# {note}"])
