"""Lab topology files: nodes, their cluster addresses, memory and disks; validated with clear errors."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from harness.lab import site as site_mod
from harness.lab import yamlfile
from harness.lab.problems import Checker, ProblemsError

NAME_RE = re.compile(r"^[a-z][a-z0-9]{0,9}$")  # short: tap names are <node>-<net>, 15 chars at most
DISK_RE = re.compile(r"^sd[b-z]$")
MGMT_SUBNET = ipaddress.ip_network("10.254.0.0/24")  # inside the lab's namespace only
MGMT_NIC = "eth1"                                    # the nodes' interface on it
UBD_LETTERS = "bcdefgh"  # ubda is the root disk
SECRET_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
DEFAULT_TOPOLOGY = "drbd"   # the lab an area runs on unless it names another


class TopologyError(ProblemsError):
    """A topology file is wrong; the message lists every problem as file: field: reason."""


@dataclass(frozen=True)
class Disk:
    name: str       # the book's name inside the guest (sdb), an alias of the UML device
    size_mib: int
    device: str     # the UML device (ubdb)


@dataclass(frozen=True)
class NodeSpec:
    name: str
    address: str
    memory_mib: int
    disks: tuple[Disk, ...]
    index: int      # 1-based position: MACs and management addresses derive from it
    bmc: str = ""   # the address of the node's virtual BMC (IPMI over LAN), if it has one

    @property
    def mgmt_address(self) -> str:
        return str(MGMT_SUBNET.network_address + 10 + self.index)


@dataclass(frozen=True)
class Topology:
    name: str
    book: str
    subnet: ipaddress.IPv4Network
    client: str
    vip: str
    nodes: tuple[NodeSpec, ...]
    secrets: dict[str, str] = field(default_factory=dict)   # name -> value (a lab's defaults)
    site: site_mod.Site = site_mod.BOOK                      # the site's names for the book's
    plays: str = ""                                          # the book's topology its nodes play, if another

    def node(self, name: str) -> NodeSpec:
        for spec in self.nodes:
            if spec.name == name:
                return spec
        raise KeyError(f"no node {name!r} in lab {self.name!r}; nodes: {', '.join(self.names)}")

    @property
    def names(self) -> list[str]:
        return [n.name for n in self.nodes]

    @property
    def mgmt_gateway(self) -> str:
        return str(MGMT_SUBNET.network_address + 1)


def builtin_names() -> list[str]:
    """Names of the topologies shipped with hadrill."""
    folder = resources.files(__package__).joinpath("topologies")
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


def load(name_or_path: str) -> Topology:
    """A shipped topology by name (drbd, rhcs) or a topology file by path."""
    if name_or_path in builtin_names():
        res = resources.files(__package__).joinpath("topologies", f"{name_or_path}.yaml")
        return parse(res.read_text(), f"{name_or_path}.yaml")
    path = Path(name_or_path)
    if not path.exists():
        raise TopologyError(name_or_path, [f"no such file, and not a shipped topology "
                                           f"({', '.join(builtin_names())})"])
    return parse(path.read_text(), str(path))


def parse(text: str, source: str) -> Topology:
    """Parse and validate a topology; every problem found is reported at once."""
    try:
        data = yamlfile.load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise TopologyError(source, [f"{where}not valid YAML ({getattr(exc, 'problem', exc)})"]) from None
    return _Checker(source).topology(data)


class _Checker:
    """Collects problems while reading a topology's parsed YAML."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[str] = []

    def fail(self, field: str, reason: str) -> None:
        self.problems.append(f"{field}: {reason}")

    def mapping(self, value: Any, field: str, keys: set[str], required: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(field, f"expected a mapping, got {type(value).__name__}")
            return {}
        for key in sorted(set(value) - keys, key=str):
            self.fail(f"{field}.{key}", f"unknown key (known: {', '.join(sorted(keys))})")
        for key in sorted(required - set(value)):
            self.fail(f"{field}.{key}", "missing")
        return value

    def address(self, value: Any, field: str, subnet: ipaddress.IPv4Network | None) -> str:
        try:
            addr = ipaddress.IPv4Address(str(value))
        except ValueError:
            self.fail(field, f"{value!r} is not an IPv4 address")
            return ""
        if subnet is not None and addr not in subnet:
            self.fail(field, f"{addr} is outside the cluster subnet {subnet}")
        return str(addr)

    def positive(self, value: Any, field: str, low: int, high: int) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            self.fail(field, f"expected a whole number from {low} to {high}, got {value!r}")
            return low
        return value

    def topology(self, data: Any) -> Topology:
        top = self.mapping(data, "(top)", {"name", "book", "plays", "cluster", "nodes", "secrets", "site"},
                           {"name", "cluster", "nodes"})
        name = str(top.get("name", ""))
        if "name" in top and not NAME_RE.match(name):
            self.fail("name", f"{name!r} must match {NAME_RE.pattern}")
        subnet, client, vip = self.cluster(top.get("cluster", {}))
        nodes = self.nodes(top.get("nodes", {}), subnet)
        used = [("cluster.client", client), ("cluster.vip", vip)]
        used += [(f"nodes.{n.name}.address", n.address) for n in nodes]
        used += [(f"nodes.{n.name}.bmc", n.bmc) for n in nodes]
        self.unique(used)
        secrets = self.secrets(top.get("secrets", {}))
        site = self.site(top.get("site"), nodes)
        plays = str(top.get("plays", ""))
        if plays and not NAME_RE.match(plays):
            self.fail("plays", f"{plays!r} must match {NAME_RE.pattern} (a shipped topology's name)")
        if self.problems:
            raise TopologyError(self.source, self.problems)
        return Topology(name, str(top.get("book", "")), subnet, client, vip, tuple(nodes), secrets, site,
                        plays)

    def site(self, value: Any, nodes: list[NodeSpec]) -> site_mod.Site:
        """The site section, and its DRBD disk on every node that has disks."""
        c = Checker()
        site = site_mod.parse(c, value, [n.name for n in nodes])
        self.problems += c.problems
        if site.interface == MGMT_NIC:
            self.fail("site.network.interface", f"{MGMT_NIC} is the embedded lab's management interface")
        for n in nodes:
            if n.disks and site.disk not in [d.name for d in n.disks]:
                self.fail(f"nodes.{n.name}.disks", f"no disk {site.disk} (site.drbd.disk, the DRBD disk)")
        return site

    def secrets(self, value: Any) -> dict[str, str]:
        if not isinstance(value, dict):
            self.fail("secrets", f"expected a mapping of names to values, got {type(value).__name__}")
            return {}
        out = {}
        for key, secret in value.items():
            if not SECRET_NAME_RE.match(str(key)):
                self.fail(f"secrets.{key}", f"a secret's name must match {SECRET_NAME_RE.pattern}")
            elif not isinstance(secret, str) or len(secret) < 3:
                self.fail(f"secrets.{key}", "expected a text of at least 3 characters")
            else:
                out[str(key)] = secret
        return out

    def cluster(self, value: Any) -> tuple[ipaddress.IPv4Network, str, str]:
        cl = self.mapping(value, "cluster", {"subnet", "client", "vip"}, {"subnet", "client", "vip"})
        try:
            subnet = ipaddress.IPv4Network(str(cl.get("subnet", "0.0.0.0/0")))
        except ValueError as exc:
            self.fail("cluster.subnet", str(exc))
            subnet = ipaddress.IPv4Network("0.0.0.0/0")
        if subnet.overlaps(MGMT_SUBNET):
            self.fail("cluster.subnet", f"overlaps the lab's management network {MGMT_SUBNET}")
        client = self.address(cl.get("client"), "cluster.client", subnet) if "client" in cl else ""
        vip = self.address(cl.get("vip"), "cluster.vip", subnet) if "vip" in cl else ""
        return subnet, client, vip

    def nodes(self, value: Any, subnet: ipaddress.IPv4Network) -> list[NodeSpec]:
        if not isinstance(value, dict) or not value:
            self.fail("nodes", "expected a mapping of node names to nodes, with at least one node")
            return []
        return [self.node(str(name), spec, i, subnet) for i, (name, spec) in enumerate(value.items(), 1)]

    def node(self, name: str, value: Any, index: int, subnet: ipaddress.IPv4Network) -> NodeSpec:
        field = f"nodes.{name}"
        if not NAME_RE.match(name):
            self.fail(field, f"node name {name!r} must match {NAME_RE.pattern} (it becomes uname -n)")
        spec = self.mapping(value, field, {"address", "memory_mib", "disks", "bmc"}, {"address"})
        address = self.address(spec.get("address"), f"{field}.address", subnet) if "address" in spec else ""
        bmc = self.address(spec.get("bmc"), f"{field}.bmc", subnet) if "bmc" in spec else ""
        memory = self.positive(spec.get("memory_mib", 512), f"{field}.memory_mib", 128, 8192)
        disks = self.disks(spec.get("disks", []), f"{field}.disks")
        return NodeSpec(name, address, memory, disks, index, bmc)

    def disks(self, value: Any, field: str) -> tuple[Disk, ...]:
        if not isinstance(value, list):
            self.fail(field, "expected a list of disks")
            return ()
        if len(value) > len(UBD_LETTERS):
            self.fail(field, f"at most {len(UBD_LETTERS)} disks")
        out = []
        for i, item in enumerate(value[: len(UBD_LETTERS)]):
            d = self.mapping(item, f"{field}[{i}]", {"name", "size_mib"}, {"name", "size_mib"})
            name = str(d.get("name", ""))
            if "name" in d and not DISK_RE.match(name):
                self.fail(f"{field}[{i}].name", f"{name!r} must be a disk name like sdb")
            size = self.positive(d.get("size_mib", 1), f"{field}[{i}].size_mib", 1, 65536)
            out.append(Disk(name, size, "ubd" + UBD_LETTERS[i]))
        names = [d.name for d in out]
        for dup in sorted({n for n in names if names.count(n) > 1}):
            self.fail(field, f"disk {dup} is named twice")
        return tuple(out)

    def unique(self, used: list[tuple[str, str]]) -> None:
        seen: dict[str, str] = {}
        for where, addr in used:
            if addr and addr in seen:
                self.fail(where, f"{addr} is already used by {seen[addr]}")
            seen.setdefault(addr, where)
