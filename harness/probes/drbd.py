"""DRBD state as the 8.4 kernel module prints it in /proc/drbd."""

from __future__ import annotations

import re
from dataclasses import dataclass

from harness.node import Node, Result
from harness.probes.errors import ParseError

VERSION_RE = re.compile(
    r"^version: (?P<version>\d+\.\d+\.\d+) \(api:(?P<api>\d+)/proto:(?P<proto>\d+-\d+)\)$")
# " 1: cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate C r-----"; a StandAlone or
# WFConnection line leaves the protocol field blank; an unconfigured minor has only cs.
RESOURCE_RE = re.compile(
    r"^\s*(?P<minor>\d+): cs:(?P<cs>\w+)"
    r"(?: ro:(?P<role>\w+)/(?P<peer_role>\w+) ds:(?P<disk>\w+)/(?P<peer_disk>\w+)"
    r" +(?P<protocol>[ABC])? +(?P<flags>[-\w]{6}))?\s*$")
COUNTER_RE = re.compile(r"(\w+):(\d+)")


@dataclass(frozen=True)
class ModuleVersion:
    """The first line of /proc/drbd, e.g. `version: 8.4.11 (api:1/proto:86-101)`."""

    version: str
    api: int
    protocols: str

    @property
    def major_minor(self) -> str:
        return ".".join(self.version.split(".")[:2])


RESYNC_STATES = frozenset({"WFBitMapS", "WFBitMapT", "WFSyncUUID", "StartingSyncS", "StartingSyncT",
                           "SyncSource", "SyncTarget", "PausedSyncS", "PausedSyncT"})


@dataclass(frozen=True)
class Resource:
    """One minor's state line and counters (ns, nr, dw, dr, oos, ...)."""

    minor: int
    connection: str          # cs: Connected, StandAlone, WFConnection, SyncSource, Unconfigured, ...
    role: str                # ro: Primary, Secondary ("" when unconfigured)
    peer_role: str           # Secondary, Primary, Unknown
    disk: str                # ds: UpToDate, Inconsistent, Diskless, ...
    peer_disk: str           # UpToDate, DUnknown, ...
    protocol: str            # A, B, C, or "" (blank while not connected)
    counters: dict[str, int]

    @property
    def resyncing(self) -> bool:
        """Connected and bringing one side's blocks up to date (a resync under way or about to begin)."""
        return self.connection in RESYNC_STATES

    @property
    def in_sync(self) -> bool:
        """Connected, both disks UpToDate (a resync may still count blocks out of sync: see whole)."""
        return self.connection == "Connected" and self.disk == self.peer_disk == "UpToDate"

    @property
    def state(self) -> str:
        """The book's way of reading it: `cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate`."""
        return (f"cs:{self.connection} ro:{self.role}/{self.peer_role} "
                f"ds:{self.disk}/{self.peer_disk}")


@dataclass(frozen=True)
class ProcDrbd:
    version: ModuleVersion
    resources: dict[int, Resource]

    def minor(self, number: int) -> Resource:
        if number not in self.resources:
            raise KeyError(f"/proc/drbd has no minor {number} (has {sorted(self.resources)})")
        return self.resources[number]

    def minor_or_unconfigured(self, number: int) -> Resource:
        """The minor's state; Unconfigured when the module lists no such minor."""
        return self.resources.get(number) or Resource(number, "Unconfigured", "", "", "", "", "", {})


def parse_version(proc_drbd: str) -> ModuleVersion:
    """The module version from /proc/drbd (its first line)."""
    first = proc_drbd.splitlines()[0] if proc_drbd.strip() else ""
    m = VERSION_RE.match(first.strip())
    if not m:
        raise ParseError("/proc/drbd", "a first line 'version: X.Y.Z (api:N/proto:A-B)'", proc_drbd)
    return ModuleVersion(m["version"], int(m["api"]), m["proto"])


def parse(proc_drbd: str) -> ProcDrbd:
    """All of /proc/drbd: the version and each minor with its counters."""
    version = parse_version(proc_drbd)
    resources: dict[int, Resource] = {}
    current: dict[str, str] | None = None
    counters: dict[str, int] = {}
    for line in proc_drbd.splitlines()[1:]:
        m = RESOURCE_RE.match(line)
        if m:
            if current is not None:
                resources[int(current["minor"])] = _resource(current, counters)
            current, counters = m.groupdict(default=""), {}
        elif current is not None and line.strip().startswith("ns:"):
            counters = {k: int(v) for k, v in COUNTER_RE.findall(line)}
        elif re.match(r"^\s*\d+:", line):
            raise ParseError("a /proc/drbd resource line", RESOURCE_RE.pattern, proc_drbd)
    if current is not None:
        resources[int(current["minor"])] = _resource(current, counters)
    return ProcDrbd(version, resources)


def _resource(g: dict[str, str], counters: dict[str, int]) -> Resource:
    return Resource(int(g["minor"]), g["cs"], g["role"], g["peer_role"], g["disk"], g["peer_disk"],
                    g["protocol"], counters)


def text(node: Node) -> str:
    """/proc/drbd of a node, as it reads."""
    return node.run("cat /proc/drbd").stdout


def read(node: Node) -> ProcDrbd:
    """/proc/drbd of a node, parsed."""
    return parse(text(node))


def utils_version(node: Node) -> str:
    """`drbdadm --version`: the utilities' and the kernel module's versions (KEY=VALUE lines)."""
    return node.run("drbdadm --version").stdout


def read_block(node: Node, device: str) -> Result:
    """Read one block of the device (a Secondary refuses: "Wrong medium type")."""
    return node.sh("dd", f"if={device}", "of=/dev/null", "bs=4k", "count=1", warn=True)


def connection(node: Node, resource_name: str) -> str:
    """`drbdadm cstate`: the resource's connection state alone (StandAlone, WFConnection, Connected, ...)."""
    return node.sh("drbdadm", "cstate", resource_name, warn=True).stdout.strip()


def resource(node: Node, minor: int) -> Resource:
    """One minor of a node's /proc/drbd; Unconfigured when the module lists no such minor."""
    return read(node).minor_or_unconfigured(minor)


def read_if_loaded(node: Node) -> ProcDrbd | None:
    """/proc/drbd parsed, or None where the module is not loaded (a node that does not use DRBD)."""
    out = node.run("cat /proc/drbd 2>/dev/null || true").stdout
    return parse(out) if out.strip() else None


def whole(r: Resource) -> bool:
    """A replica as it should be after a fault: connected, both disks UpToDate, nothing out of sync."""
    return r.in_sync and r.counters.get("oos") == 0


SOURCE_STATES = frozenset({"SyncSource", "PausedSyncS"})


def stuck_source(states: dict[str, Resource]) -> str | None:
    """The node of a pair that still counts itself the source of a resync its peer has ended: SyncSource
    with nothing out of sync while the peer is Connected and UpToDate (DRBD 8.4 leaves it so when it
    misses the end; only a new connection's handshake corrects it). None when no node is so."""
    for name, here in states.items():
        peers = [r for n, r in states.items() if n != name]
        if (here.connection in SOURCE_STATES and here.counters.get("oos") == 0 and len(peers) == 1
                and peers[0].connection == "Connected" and peers[0].disk == "UpToDate"):
            return name
    return None


# Both sides judge the same handshake: a second StandAlone comes within moments of the first, or never (the
# side that tore the connection down first left its peer in WFConnection, waiting for ever).
SPLIT_BRAIN_SETTLE_S = 5.0


def split_brain_dropped(connections: list[str], alone_for_s: float | None) -> bool:
    """Whether DRBD has settled after a split brain: every node StandAlone, or one StandAlone and the other
    still in WFConnection SPLIT_BRAIN_SETTLE_S after the first StandAlone (`alone_for_s`)."""
    seen = set(connections)
    settled = alone_for_s is not None and alone_for_s >= SPLIT_BRAIN_SETTLE_S
    return seen == {"StandAlone"} or (seen == {"StandAlone", "WFConnection"} and settled)
