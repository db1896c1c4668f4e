"""An inventory of existing hosts (staging, or any hosts hadrill did not make), validated with every
problem listed by its path; an unknown key gets a "did you mean".

    name: staging-drbd            # names this target (the name rule: its folder under hadrill's state)
    topology: drbd                # the book's topology the hosts play (the features' node names)
    ssh: {user: root, port: 22, key: ~/.ssh/id_ed25519, known_hosts: ~/.ssh/known_hosts}
    cluster: {vip: 192.168.8.100}
    site: {drbd: {resource: r0}}  # optional: the site's names (harness.lab.site); the book's by default
    secrets: {drbd_shared_secret: {env: DRBD_SECRET}, mariadb_canary_password: {file: /root/canary}}
    hosts:
      - name: vm01                # uname -n on the host; the features call it by this name
        address: 203.0.113.10     # where SSH reaches it (with ssh.proxy_command, whatever that takes)
        cluster_address: 192.168.8.22
        disks: {sdb: /dev/sdb}    # the book's disk names -> this host's devices
        roles: [drbd]
        disposable: false         # true: mkfs, create-md, dd, power off, ... are allowed here
        power: {off: "fence_ipmilan ... -o off", on: "fence_ipmilan ... -o on"}   # optional
        link: {interface: eth1}   # optional: cut-link drops this interface's traffic (tc, in the host)
        fence: {agent: fence_ipmilan, ip: 192.0.2.21, username: admin}   # optional: its BMC (fence_entry)
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from harness.lab import fence_entry, yamlfile
from harness.lab import site as site_mod
from harness.lab import topology as topology_mod
from harness.lab.problems import Checker, ProblemsError, did_you_mean

TOP_KEYS = {"name", "topology", "ssh", "cluster", "secrets", "hosts", "site"}
SSH_KEYS = {"user", "port", "key", "known_hosts", "proxy_command"}
HOST_KEYS = ({"name", "address", "cluster_address", "disks", "roles", "disposable", "power", "link", "fence"}
             | SSH_KEYS)
CLUSTER_KEYS = {"vip", "client_prefix"}
POWER_KEYS = {"off", "on"}
LINK_KEYS = {"interface"}
SECRET_SOURCES = {"env", "file"}
# What may stand in ssh_config, a node's shell commands and pcs's arguments without quoting surprises.
HOST_NAME_RE = re.compile(r"(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                          r"(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*")
USER_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,31}")
INTERFACE_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}")    # IFNAMSIZ: 15 characters
DEVICE_RE = re.compile(r"/dev/[A-Za-z0-9_.:+-]+(/[A-Za-z0-9_.:+-]+)*")


# topologies whose cluster members keep no data of their own: their disks are a storage host's LUNs
SHARED_STORAGE = {"rhcs"}


class InventoryError(ProblemsError):
    """An inventory is wrong; the message lists every problem as FILE: path: reason."""


@dataclass(frozen=True)
class SshSettings:
    user: str = "root"
    port: int = 22
    key: str = ""              # the private key file; "" : ssh's own defaults and agent
    known_hosts: str = "~/.ssh/known_hosts"
    proxy_command: str = ""


@dataclass(frozen=True)
class Host:
    name: str
    address: str
    cluster_address: str
    disks: dict[str, str]
    ssh: SshSettings
    roles: tuple[str, ...] = ()
    disposable: bool = False
    power: dict[str, str] = field(default_factory=dict)   # "off"/"on" -> a command run on this machine
    link_interface: str = ""
    fence: fence_entry.FenceDevice | None = None        # its fence device (a BMC), where the site names one


@dataclass(frozen=True)
class Inventory:
    name: str
    topology: str
    hosts: tuple[Host, ...]
    vip: str = ""
    client_prefix: tuple[str, ...] = ()
    secret_refs: dict[str, dict[str, str]] = field(default_factory=dict)
    disruptive_allowed: frozenset[str] = frozenset()   # hosts the run allows disruptive commands on
    site: site_mod.Site = site_mod.BOOK                 # the site's names for the book's

    def host(self, name: str) -> Host:
        for h in self.hosts:
            if h.name == name:
                return h
        raise KeyError(f"no host {name!r} in inventory {self.name!r}; hosts: {', '.join(self.names)}")

    @property
    def names(self) -> list[str]:
        return [h.name for h in self.hosts]


def _ssh(c: Checker, where: str, data: dict[str, Any], base: SshSettings) -> SshSettings:
    port = data.get("port", base.port)
    if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
        c.problems.append(f"{where}port: {port!r} is not a TCP port")
        port = base.port
    def given(key: str) -> Any:
        return data.get(key, getattr(base, key))

    return SshSettings(user=c.matching(f"{where}user", given("user"), USER_RE, "a user name"), port=port,
                       key=c.path(f"{where}key", given("key"), required=False),
                       known_hosts=c.path(f"{where}known_hosts", given("known_hosts")),
                       proxy_command=c.line(f"{where}proxy_command", given("proxy_command"), required=False))


def _host(c: Checker, where: str, raw: Any, ssh: SshSettings) -> Host | None:
    data = c.mapping(f"{where}.", raw, HOST_KEYS)
    if not isinstance(raw, dict):
        if raw is None:
            c.problems.append(f"{where}: an empty host")
        return None
    disks = c.mapping(f"{where}.disks.", data.get("disks"), set(map(str, data.get("disks") or {})))
    for book, device in disks.items():
        if not isinstance(device, str) or not DEVICE_RE.fullmatch(device) or "/../" in f"{device}/":
            c.problems.append(f"{where}.disks.{book}: {device!r} is not a device path (/dev/...)")
    roles = data.get("roles", [])
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        c.problems.append(f"{where}.roles: expected a list of names")
        roles = []
    disposable = data.get("disposable", False)
    if not isinstance(disposable, bool):
        c.problems.append(f"{where}.disposable: expected true or false, got {disposable!r}")
        disposable = False
    power = c.mapping(f"{where}.power.", data.get("power"), POWER_KEYS)
    if power and set(power) != POWER_KEYS:
        c.problems.append(f"{where}.power: give both off and on")
    link = c.mapping(f"{where}.link.", data.get("link"), LINK_KEYS)
    return Host(name=c.matching(f"{where}.name", data.get("name"), HOST_NAME_RE, "a host name (uname -n)"),
                address=_address(c, f"{where}.address", data.get("address")),
                cluster_address=c.ip(f"{where}.cluster_address", data.get("cluster_address")),
                disks={str(k): str(v) for k, v in disks.items()}, ssh=_ssh(c, f"{where}.", data, ssh),
                roles=tuple(roles), disposable=disposable,
                power={k: c.line(f"{where}.power.{k}", v) for k, v in power.items()},
                link_interface=c.matching(f"{where}.link.interface", link.get("interface"), INTERFACE_RE,
                                          "an interface name", required=bool(link)),
                fence=fence_entry.parse(c, f"{where}.fence", data.get("fence")))


def _address(c: Checker, where: str, value: Any) -> str:
    """Where SSH reaches a host: an IP address or a host name."""
    text = c.text(where, value)
    if not text:
        return ""
    try:
        ipaddress.ip_address(text)
    except ValueError:
        if not HOST_NAME_RE.fullmatch(text):
            c.problems.append(f"{where}: {text!r} is neither an IP address nor a host name")
            return ""
    return text


def _duplicates(c: Checker, hosts: list[Host]) -> None:
    for attr in ("name", "address", "cluster_address"):
        seen: dict[str, int] = {}
        for i, h in enumerate(hosts):
            value = getattr(h, attr)
            if value and value in seen:
                c.problems.append(f"hosts[{i}].{attr}: {value!r} is also hosts[{seen[value]}]'s")
            seen.setdefault(value, i)


def _secrets(c: Checker, raw: Any) -> dict[str, dict[str, str]]:
    refs = {}
    for name, ref in (c.mapping("secrets.", raw, set(map(str, raw or {}))) or {}).items():
        ref_map = c.mapping(f"secrets.{name}.", ref, SECRET_SOURCES)
        if len(ref_map) != 1:
            c.problems.append(f"secrets.{name}: give one of env: VARIABLE or file: PATH (never the value)")
            continue
        refs[str(name)] = {str(k): str(v) for k, v in ref_map.items()}
    return refs


def parse(data: Any, source: str) -> Inventory:
    """An Inventory from parsed YAML, or InventoryError listing every problem."""
    c = Checker()
    top = c.mapping("", data, TOP_KEYS)
    if data is not None and not isinstance(data, dict):
        raise InventoryError(source, c.problems)
    ssh = _ssh(c, "ssh.", c.mapping("ssh.", top.get("ssh"), SSH_KEYS), SshSettings())
    cluster = c.mapping("cluster.", top.get("cluster"), CLUSTER_KEYS)
    raw_hosts = top.get("hosts")
    if not isinstance(raw_hosts, list) or not raw_hosts:
        c.problems.append("hosts: required, a list of hosts")
        raw_hosts = []
    hosts = [h for i, raw in enumerate(raw_hosts) if (h := _host(c, f"hosts[{i}]", raw, ssh)) is not None]
    _duplicates(c, hosts)
    prefix = cluster.get("client_prefix", [])
    if not isinstance(prefix, list) or not all(isinstance(w, str) and w.isprintable() for w in prefix):
        c.problems.append("cluster.client_prefix: expected a list of words")
        prefix = []
    inv = Inventory(name=c.name("name", top.get("name")), topology=c.text("topology", top.get("topology")),
                    hosts=tuple(hosts), vip=c.ip("cluster.vip", cluster.get("vip"), required=False),
                    client_prefix=tuple(prefix), secret_refs=_secrets(c, top.get("secrets")),
                    site=site_mod.parse(c, top.get("site"), [h.name for h in hosts]))
    _site_disks(c, inv)
    if hosts and inv.topology in topology_mod.builtin_names():
        site_mod.check_roles(c, inv.site, topology_mod.load(inv.topology).names, inv.names)
    if c.problems:
        raise InventoryError(source, c.problems)
    return inv


def _site_disks(c: Checker, inv: Inventory) -> None:
    """The site's backing disk named in the disks of every host that has disks; every host has some, but
    for a cluster on shared storage (its members' disks are the storage's LUNs)."""
    for i, h in enumerate(inv.hosts):
        if not h.disks and inv.topology not in SHARED_STORAGE:
            c.problems.append(f"hosts[{i}].disks: required (the book's disk names and this host's devices)")
        elif h.disks and inv.site.disk not in h.disks:
            c.problems.append(f"hosts[{i}].disks: no {inv.site.disk} (the site's DRBD disk, site.drbd.disk)"
                              f"{did_you_mean(inv.site.disk, sorted(h.disks), 'its disks')}")


def load(path: Path) -> Inventory:
    """Read and validate an inventory file; a YAML error is given as FILE:LINE:COLUMN."""
    try:
        text = path.read_text()
    except OSError as exc:
        raise InventoryError(str(path), [f"cannot read it ({exc.strerror})"]) from None
    try:
        data = yamlfile.load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise InventoryError(where, [f"not valid YAML: {problem}"]) from None
    return parse(data, str(path))


def allow_disruptive(inv: Inventory, hosts: Iterable[str], origin: str = "--allow-disruptive") -> Inventory:
    """The inventory with disruptive commands allowed on these hosts (each must be one of its hosts)."""
    wanted = [h for h in hosts if h]
    unknown = [h for h in wanted if h not in inv.names]
    if unknown:
        raise InventoryError(origin, [f"{h!r} is not a host of inventory {inv.name!r}"
                                      f"{did_you_mean(h, inv.names, 'hosts')}" for h in unknown])
    return replace(inv, disruptive_allowed=frozenset(wanted))


def resolve_secrets(inv: Inventory) -> dict[str, str]:
    """The secret values the inventory refers to (environment variables or files), never written in it."""
    values, problems = {}, []
    for name, ref in inv.secret_refs.items():
        if "env" in ref:
            value = os.environ.get(ref["env"])
            if value is None:
                problems.append(f"secrets.{name}: the environment variable {ref['env']} is not set")
                continue
            values[name] = value
        else:
            try:
                values[name] = Path(ref["file"]).expanduser().read_text().strip()
            except OSError as exc:
                problems.append(f"secrets.{name}: cannot read {ref['file']} ({exc.strerror})")
    if problems:
        raise InventoryError(inv.name, problems)
    return values
