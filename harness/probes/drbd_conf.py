"""A resource's configuration as `drbdadm dump NAME` prints it (what drbdadm really read)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from harness.node import Node
from harness.probes.errors import ParseError

ON_RE = re.compile(r"^\s*on (?P<host>\S+) \{(?P<body>.*?)^\s*\}", re.M | re.S)
SECTION_RE = re.compile(r"^\s*(?P<name>net|disk|startup|syncer) \{(?P<body>.*?)^\s*\}", re.M | re.S)
OPTION_RE = re.compile(r"^\s*(?P<key>[\w-]+)\s+(?P<value>[^;]*);", re.M)


@dataclass(frozen=True)
class HostBlock:
    device: str     # /dev/drbd1
    minor: int
    disk: str
    address: str    # 192.168.8.22:7789
    meta_disk: str


@dataclass(frozen=True)
class ResourceConf:
    name: str
    hosts: dict[str, HostBlock]
    options: dict[str, str]     # net/disk/startup options by name (protocol, cram-hmac-alg, resync-rate)


def parse_dump(text: str) -> ResourceConf:
    m = re.search(r"^resource (\S+) \{", text, re.M)
    if not m:
        raise ParseError("drbdadm dump", "a 'resource NAME {' line", text)
    hosts = {h["host"]: _host(h["body"], text) for h in ON_RE.finditer(text)}
    options: dict[str, str] = {}
    for section in SECTION_RE.finditer(text):
        options.update({o["key"]: o["value"].strip() for o in OPTION_RE.finditer(section["body"])})
    if not hosts:
        raise ParseError("drbdadm dump", "'on HOST { ... }' blocks", text)
    return ResourceConf(m[1], hosts, options)


def _host(body: str, text: str) -> HostBlock:
    opts = {o["key"]: o["value"].strip() for o in OPTION_RE.finditer(body)}
    dev = re.match(r"(\S+)\s+minor\s+(\d+)", opts.get("device", ""))
    addr = re.match(r"(?:ipv4\s+)?(\S+)", opts.get("address", ""))
    if not dev or not addr or "disk" not in opts:
        raise ParseError("an 'on HOST' block of drbdadm dump", "device ... minor N, disk, address", text)
    return HostBlock(dev[1], int(dev[2]), opts["disk"], addr[1], opts.get("meta-disk", ""))


def read(node: Node, resource: str) -> ResourceConf:
    """The resource as the node's drbdadm reads its configuration."""
    return parse_dump(node.sh("drbdadm", "dump", resource).stdout)


GLOBAL_RE = re.compile(r"^global \{(?P<body>.*?)^\}", re.M | re.S)


def parse_global(text: str) -> dict[str, str]:
    """The options of the global section of `drbdadm dump` (empty when it has none)."""
    m = GLOBAL_RE.search(text)
    return {o["key"]: o["value"].strip() for o in OPTION_RE.finditer(m["body"])} if m else {}


def global_options(node: Node) -> dict[str, str]:
    """DRBD's global options as the node's drbdadm reads its whole configuration."""
    return parse_global(node.run("drbdadm dump all").stdout)
