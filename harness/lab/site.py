"""A site's own names for what the book names: the hosts that play the book's nodes, the DRBD resource
(name, minor, backing disk, port), the mount point and filesystem, the cluster interface and the VIP's
prefix. A topology or an inventory gives them in a `site:` section; each value it leaves out is the book's.

    site:
      nodes: {vm01: alpha, vm02: bravo}   # the book's node -> the host that plays it (default: itself)
      drbd: {resource: r0, minor: 0, disk: sdc, port: 7790}   # disk: a key of each host's disks
      filesystem: {mountpoint: /srv/db, type: ext4}
      network: {interface: eth1, prefix: 24}   # where the VIP and Heartbeat's ucast go
      storage: {portal: 192.0.2.50, iqn: iqn.2004-01.com.example:db}   # 7.3: an existing iSCSI target
                                          # (port 3260, LUN 1 the service's, LUN 2 GFS2's), for the
                                          # storage node hadrill would export from
      storage: {luns: [0x6001405f3b2c4d5e, 0x6001405a7c8d9e0f]}   # or the shared LUNs by WWN, as lsblk
                                          # shows them on every member (the service's, then GFS2's),
                                          # with or without a target to log in to
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from harness.lab.problems import Checker, did_you_mean

TOP_KEYS = {"nodes", "drbd", "filesystem", "network", "storage"}
DRBD_KEYS = {"resource", "minor", "disk", "port"}
FS_KEYS = {"mountpoint", "type"}
NETWORK_KEYS = {"interface", "prefix"}
STORAGE_KEYS = {"portal", "iqn", "luns"}
TARGET_KEYS = {"portal", "iqn"}
FILESYSTEMS = ("ext3", "ext4")          # what mkfs and the checks of the book's filesystem steps know
RESOURCE_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}")
DISK_KEY_RE = re.compile(r"[A-Za-z0-9_.-]{1,32}")
MOUNTPOINT_RE = re.compile(r"(/[A-Za-z0-9_.-]+)+")
INTERFACE_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}")    # IFNAMSIZ: 15 characters
BOOK_NODES = ("vm01", "vm02", "storage", "node1", "node2")          # 7.2's two nodes, 7.3's three
STORAGE_NODE = "storage"       # the book's storage node (7.3), which an existing target stands in for
# An iSCSI name (RFC 3720): iqn.YYYY-MM.reversed.domain[:anything], eui. or naa. and hex digits; kept to
# characters a shell argument and iscsiadm's record paths take as they are.
IQN_RE = re.compile(r"iqn\.\d{4}-\d{2}\.[A-Za-z0-9][A-Za-z0-9.-]*(:[A-Za-z0-9._:-]+)?"
                    r"|eui\.[0-9A-Fa-f]{16}|naa\.[0-9A-Fa-f]{16}([0-9A-Fa-f]{16})?")
WWN_RE = re.compile(r"0x[0-9a-f]{16}([0-9a-f]{16})?")     # lsblk's WWN column: NAA 64 or 128 bits
LUN_ROLES = ("the service's filesystem", "GFS2")            # the shared LUNs in the book's order (7.3)


@dataclass(frozen=True)
class Site:
    """The book's values unless the site says otherwise."""

    nodes: dict[str, str] = field(default_factory=dict)    # the book's node name -> the site's host
    resource: str = "test"
    minor: int = 1
    disk: str = "sdb"             # the book's backing disk, as a key of each host's disks
    port: int = 7789
    mountpoint: str = "/data"
    filesystem: str = "ext3"
    interface: str = "eth0"       # the cluster interface: Heartbeat's ucast, the VIP
    prefix: int = 24              # the VIP's netmask, in bits
    storage_portal: str = ""      # an existing iSCSI target's address ("": hadrill exports one)
    storage_iqn: str = ""         # and its name
    storage_luns: tuple[str, ...] = ()  # the shared LUNs by WWN (): the target's LUN 1, 2, ...)

    @property
    def existing_target(self) -> bool:
        """The site's shared storage is an iSCSI target of its own, not one hadrill exports."""
        return bool(self.storage_iqn)

    @property
    def existing_storage(self) -> bool:
        """The site's shared storage is its own (a target, LUNs by WWN): no storage node of hadrill's."""
        return self.existing_target or bool(self.storage_luns)

    @property
    def device(self) -> str:
        return f"/dev/drbd{self.minor}"

    def host(self, book_name: str) -> str:
        """The site's host for one of the book's node names (any other name is taken as a host's)."""
        return self.nodes.get(book_name, book_name)

    def book_name(self, host: str) -> str:
        """The book's name for a site host (the host's own where it plays none)."""
        return next((book for book, name in self.nodes.items() if name == host), host)


BOOK = Site()
_ACTIVE = [BOOK]


def activate(site: Site) -> None:
    """The site of this run, for the steps' arguments (a feature's vm01 is its host): set once the lab is
    known, before any scenario."""
    _ACTIVE[0] = site


def active() -> Site:
    return _ACTIVE[0]


def check_roles(c: Checker, site: Site, book_nodes: list[str], hosts: list[str]) -> None:
    """Every node of the book's topology played by a host: one of the same name, or the one site.nodes
    gives it; the storage node by a host or by the site's own storage, never both."""
    if site.existing_storage and STORAGE_NODE in book_nodes:
        if site.host(STORAGE_NODE) in hosts:
            c.problems.append(f"site.storage: the site's own storage stands in for the book's storage node, "
                              f"and host {site.host(STORAGE_NODE)} plays it too: give one of them")
        book_nodes = [b for b in book_nodes if b != STORAGE_NODE]
    for book in book_nodes:
        if site.host(book) not in hosts:
            c.problems.append(f"site.nodes.{book}: no host plays the book's {book} (name one: "
                              f"site: {{nodes: {{{book}: HOST}}}}; hosts: {', '.join(hosts)})")


def as_section(site: Site) -> dict[str, Any]:
    """The `site:` section that reads back as this site (only what differs from the book)."""
    groups = {"drbd": {"resource": "resource", "minor": "minor", "disk": "disk", "port": "port"},
              "filesystem": {"mountpoint": "mountpoint", "type": "filesystem"},
              "network": {"interface": "interface", "prefix": "prefix"}}
    out: dict[str, Any] = {"nodes": dict(site.nodes)} if site.nodes else {}
    storage: dict[str, Any] = {"luns": list(site.storage_luns)} if site.storage_luns else {}
    if site.existing_target:
        storage |= {"portal": site.storage_portal, "iqn": site.storage_iqn}
    if storage:
        out["storage"] = storage
    for group, keys in groups.items():
        differing = {key: getattr(site, attr) for key, attr in keys.items()
                     if getattr(site, attr) != getattr(BOOK, attr)}
        if differing:
            out[group] = differing
    return out


def parse(c: Checker, raw: Any, hosts: list[str], book_nodes: tuple[str, ...] = BOOK_NODES) -> Site:
    """The `site:` section, each problem added to c with its path; hosts: the names it may map to."""
    data = c.mapping("site.", raw, TOP_KEYS)
    drbd = c.mapping("site.drbd.", data.get("drbd"), DRBD_KEYS)
    fs = c.mapping("site.filesystem.", data.get("filesystem"), FS_KEYS)
    net = c.mapping("site.network.", data.get("network"), NETWORK_KEYS)
    storage = c.mapping("site.storage.", data.get("storage"), STORAGE_KEYS)
    portal, iqn = _target(c, storage)
    return Site(nodes=_nodes(c, data.get("nodes"), hosts, book_nodes),
                resource=_text(c, "site.drbd.resource", drbd, "resource", RESOURCE_RE,
                               "a DRBD resource name"),
                minor=_number(c, "site.drbd.minor", drbd.get("minor", BOOK.minor), 0, 255),
                disk=_text(c, "site.drbd.disk", drbd, "disk", DISK_KEY_RE, "a disk's key (sdb)"),
                port=_number(c, "site.drbd.port", drbd.get("port", BOOK.port), 1, 65535),
                mountpoint=_text(c, "site.filesystem.mountpoint", fs, "mountpoint", MOUNTPOINT_RE,
                                 "an absolute path"),
                filesystem=_filesystem(c, fs.get("type", BOOK.filesystem)),
                interface=_text(c, "site.network.interface", net, "interface", INTERFACE_RE,
                                "an interface name"),
                prefix=_number(c, "site.network.prefix", net.get("prefix", BOOK.prefix), 8, 30),
                storage_portal=portal, storage_iqn=iqn, storage_luns=_luns(c, storage.get("luns")))


def _target(c: Checker, storage: dict[str, Any]) -> tuple[str, str]:
    """An existing target's portal (an IP address) and IQN, both or neither."""
    data = {key: value for key, value in storage.items() if key in TARGET_KEYS}
    if not data:
        return "", ""
    if set(data) != TARGET_KEYS:
        c.problems.append("site.storage: give both portal and iqn (the existing target's address and name)")
    portal = c.ip("site.storage.portal", data.get("portal"), required="portal" in data)
    iqn = c.matching("site.storage.iqn", data.get("iqn"), IQN_RE,
                     "an iSCSI name (iqn.YYYY-MM.domain:name, eui.HEX or naa.HEX)", required="iqn" in data)
    return (portal, iqn) if portal and iqn else ("", "")


def _luns(c: Checker, raw: Any) -> tuple[str, ...]:
    """The shared LUNs' WWNs, the service's first, then GFS2's: one or two, each once."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not 1 <= len(raw) <= len(LUN_ROLES):
        c.problems.append(f"site.storage.luns: expected a list of one or two WWNs "
                          f"({', then '.join(LUN_ROLES)}), got {raw!r}")
        return ()
    wwns = [c.matching(f"site.storage.luns[{i}]", _wwn_text(v), WWN_RE, "a WWN as lsblk shows it "
                       "(0x and 16 or 32 hex digits)") for i, v in enumerate(raw)]
    twice = sorted({wwn for wwn in wwns if wwn and wwns.count(wwn) > 1})
    if twice:
        c.problems.append(f"site.storage.luns: given twice: {', '.join(twice)} (each LUN once)")
    return tuple(wwns) if all(wwns) else ()


def _wwn_text(value: Any) -> str:
    """A WWN as written; YAML reads an unquoted 0x... as a number, given back in lsblk's form."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return f"0x{value:032x}" if value >= 1 << 64 else f"0x{value:016x}"
    return str(value).lower()


def _attr(key: str) -> str:
    return {"type": "filesystem"}.get(key, key)


def _text(c: Checker, where: str, data: dict[str, Any], key: str, pattern: re.Pattern[str], rule: str) -> str:
    default = str(getattr(BOOK, _attr(key)))
    if key not in data:
        return default
    return c.matching(where, data[key], pattern, rule) or default


def _number(c: Checker, where: str, value: Any, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        c.problems.append(f"{where}: expected a whole number from {low} to {high}, got {value!r}")
        return low
    return value


def _filesystem(c: Checker, value: Any) -> str:
    if value not in FILESYSTEMS:
        c.problems.append(f"site.filesystem.type: {value!r} is not one hadrill formats and checks "
                          f"({', '.join(FILESYSTEMS)})")
        return BOOK.filesystem
    return str(value)


def _nodes(c: Checker, raw: Any, hosts: list[str], book_nodes: tuple[str, ...]) -> dict[str, str]:
    """The book's node names mapped to hosts: each key a book name, each value a host, none twice."""
    data = c.mapping("site.nodes.", raw, set(book_nodes))
    out: dict[str, str] = {}
    for book, host in data.items():
        where = f"site.nodes.{book}"
        if not isinstance(host, str) or host not in hosts:
            hint = did_you_mean(str(host), hosts, "hosts")
            c.problems.append(f"{where}: {host!r} is not a host here{hint}")
        elif host in out.values():
            c.problems.append(f"{where}: {host} already plays another of the book's nodes")
        else:
            out[str(book)] = host
    for book, host in out.items():
        if host in book_nodes and host != book:
            c.problems.append(f"site.nodes.{book}: {host} is one of the book's own names; it may play only "
                              f"{host}, or a feature's {host} would name two hosts")
    return out
