"""The checks of a running Pacemaker cluster (the book's 7.3 on today's stack) against the runbook's end
state, as functions of what was read: each returns its problems, one a line, naming the host, the command
or file, what was expected and what was found (empty: none). Nothing here reads or changes a node."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from harness.node import Result
from harness.probes.crm_mon import ClusterStatus
from harness.probes.pcmk_config import Location, Primitive, Verified
from harness.probes.quorum import Quorum
from harness.probes.scsi import ScsiDisk

TWO_NODE_FLAGS = ("2Node", "WaitForAll")


def configuration(host: str, verified: Verified, output_tail: str = "") -> list[str]:
    """crm_verify on the live CIB: exit 0 and no error or warning."""
    if verified.clean:
        return []
    said = "; ".join(verified.findings) or output_tail.strip() or "(nothing printed)"
    return [f"{host}: crm_verify --live-check exited {verified.exit_code}: {said}"]


def members_online(status: ClusterStatus, members: Sequence[str]) -> list[str]:
    """Every member online and clean, as crm_mon says."""
    problems = []
    for name in members:
        node = status.nodes.get(name)
        if node is None or not node.online or node.unclean:
            seen = "not in crm_mon" if node is None else ("unclean" if node.unclean else "offline")
            problems.append(f"{name}: crm_mon: {seen}, not online")
    return problems


def fencing(status: ClusterStatus, devices_for: Mapping[str, list[str]],
            answers: Mapping[str, Result]) -> list[str]:
    """stonith-enabled, and for every member a fence device that can fence it, started, whose agent
    answered its monitor."""
    problems = [] if status.stonith_enabled else ["crm_mon: stonith-enabled is not true (no node is fenced, "
                                                  "a lost node's resources are never recovered safely)"]
    for member, devices in devices_for.items():
        if not devices:
            problems.append(f"{member}: stonith_admin --list {member}: no fence device can fence it")
        for device in devices:
            res = status.resources.get(device)
            if res is None or res.role != "Started" or res.failed:
                seen = "not in crm_mon" if res is None else f"{res.role}{', failed' if res.failed else ''}"
                problems.append(f"{member}: fence device {device}: {seen}, not started")
            done = answers.get(device)
            if done is not None and not done.ok:
                last = (done.stdout + done.stderr).strip().splitlines()[-1:] or ["(nothing printed)"]
                problems.append(f"{done.node}: fence device {device}'s agent, asked to monitor, exited "
                                f"{done.exit_code}: {last[0]}")
    return problems


def two_node_quorum(quorums: Mapping[str, Quorum]) -> list[str]:
    """corosync-quorumtool -s on each member: quorate, and with two members votequorum's two_node and
    wait_for_all (a lone survivor keeps quorum; a rebooted node waits for its peer before it starts)."""
    problems = []
    for name, q in quorums.items():
        if not q.quorate:
            problems.append(f"{name}: corosync-quorumtool -s: not quorate ({q.total_votes} of "
                            f"{q.expected_votes} votes)")
        if q.expected_votes == 2:
            missing = [f for f in TWO_NODE_FLAGS if f not in q.flags]
            if missing:
                problems.append(f"{name}: corosync-quorumtool -s: flags {' '.join(q.flags) or '(none)'}, "
                                f"without {', '.join(missing)} (two_node, wait_for_all in corosync.conf)")
    return problems


def failover_domain(locations: Sequence[Location], service: str,
                    domain: Sequence[tuple[str, int]]) -> list[str]:
    """The service's location preferences equal to the failover domain (node and score, each member)."""
    found = sorted((loc.node, loc.score) for loc in locations if loc.resource == service)
    want = sorted((node, str(score)) for node, score in domain)
    if found == want:
        return []
    return [f"the CIB's location constraints for {service}: {found or 'none'}, the failover domain {want}"]


def same_shared_disks(disks: Mapping[str, list[ScsiDisk]], wanted: Sequence[str]) -> list[str]:
    """Every member sees the same shared disks (by WWN), among them each device the cluster's resources
    name by WWN."""
    seen = {name: sorted(d.wwn for d in found) for name, found in disks.items()}
    problems = [f"{name}: sees no shared (iSCSI) disk" for name, wwns in seen.items() if not wwns]
    first, *others = seen
    problems += [f"{name}: shared disks {seen[name]}, {first} sees {seen[first]}"
                 for name in others if seen[name] != seen[first]]
    for device in wanted:
        problems += [f"{name}: {device}, which the cluster mounts, is not among its shared disks"
                     for name, wwns in seen.items() if device.rsplit("wwn-", 1)[-1] not in wwns]
    return problems


def gfs2_journals(journals: Mapping[str, int], members: int) -> list[str]:
    """Each GFS2 filesystem the cluster mounts has a journal for every member."""
    return [f"GFS2 on {device}: {count} journals for {members} members (gfs2_jadd adds one)"
            for device, count in journals.items() if count < members]


def gfs2_devices(primitives: Mapping[str, Primitive]) -> list[str]:
    """The devices of the cluster's Filesystem resources of type gfs2."""
    return [p.params["device"] for p in primitives.values()
            if p.agent == "Filesystem" and p.params.get("fstype") == "gfs2" and "device" in p.params]


def wwn_devices(primitives: Mapping[str, Primitive]) -> list[str]:
    """The devices the cluster's Filesystem resources name by WWN (/dev/disk/by-id/wwn-...)."""
    return [p.params["device"] for p in primitives.values()
            if p.agent == "Filesystem" and "/wwn-" in p.params.get("device", "")]


def copies_alike(what: str, read: Mapping[str, str | None]) -> list[str]:
    """One file or version read on each member (None: it could not be read): every member read, and all
    the same (the book's CCS: one configuration on every node)."""
    unread = [f"{host}: {what} could not be read" for host, value in read.items() if not value]
    values = {host: value for host, value in read.items() if value}
    if len(set(values.values())) > 1:
        seen = ", ".join(f"{host}: {value}" for host, value in sorted(values.items()))
        return [*unread, f"{what} differs between the members ({seen})"]
    return unread


def packages_missing(installed: Mapping[str, Mapping[str, str | None]]) -> list[str]:
    """Each package that is not installed on a member ({host: {package: version, or None}})."""
    return [f"{host}: {package} is not installed" for host, found in installed.items()
            for package, version in found.items() if version is None]
