"""Heartbeat's configuration as it is on a node: ha.cf's directives, authkeys with its mode, haresources."""

from __future__ import annotations

from dataclasses import dataclass
from shlex import quote

from harness.node import Node
from harness.probes.errors import ParseError

HA_CF = "/etc/ha.d/ha.cf"
AUTHKEYS = "/etc/ha.d/authkeys"
HARESOURCES = "/etc/ha.d/haresources"
HA_LOG = "/var/log/ha-log"


@dataclass(frozen=True)
class HaCf:
    """ha.cf's directives: the `node` names, the `ucast` peers (interface, address), and the rest by
    keyword (the last one of each)."""

    nodes: tuple[str, ...]
    ucasts: tuple[tuple[str, str], ...]
    settings: dict[str, str]
    text: str

    def seconds(self, key: str) -> int:
        value = self.settings.get(key, "")
        if not value.isdigit():
            raise ParseError(f"ha.cf {key}", "a whole number of seconds", value)
        return int(value)


def parse_ha_cf(text: str) -> HaCf:
    nodes, ucasts, settings = [], [], {}
    for line in text.splitlines():
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        if words[0] == "node":
            nodes += words[1:]
        elif words[0] == "ucast" and len(words) == 3:
            ucasts.append((words[1], words[2]))
        else:
            settings[words[0]] = " ".join(words[1:])
    return HaCf(tuple(nodes), tuple(ucasts), settings, text)


def ha_cf(node: Node) -> HaCf:
    return parse_ha_cf(node.run(f"cat {HA_CF}").stdout)


@dataclass(frozen=True)
class Authkeys:
    mode_owner: str          # "600 root"
    lines: tuple[str, ...]


def authkeys(node: Node) -> Authkeys:
    """The file's mode, owner and lines, as testinfra's file module reads them."""
    f = node.host.file(AUTHKEYS)
    if not f.is_file:
        raise ParseError(f"testinfra's file {AUTHKEYS}", "a regular file", "(none)")
    return Authkeys(f"{f.mode:o} {f.user}", tuple(f.content_string.splitlines()))


def haresources(node: Node) -> list[str]:
    return node.run(f"cat {HARESOURCES}").stdout.splitlines()


def resource_script(node: Node, path: str) -> str:
    """Where a resource script (a symbolic link) leads."""
    return node.sh("readlink", "-f", path).stdout.strip()


def running(node: Node) -> bool:
    """A heartbeat process runs on the node."""
    return node.run("pidof heartbeat", warn=True).ok


RSC_STATUSES = ("none", "local", "foreign", "all", "transition")


def rscstatus(node: Node) -> str:
    """What this node's Heartbeat says it holds of the resources (`cl_status rscstatus`): none, local,
    foreign, all, or transition while it acquires or releases."""
    said = node.run("cl_status rscstatus", warn=True).stdout.strip()
    if said not in RSC_STATUSES:
        raise AssertionError(f"cl_status rscstatus on {node.name} said {said!r}, not one of {RSC_STATUSES}")
    return said



def link_status(node: Node, peer: str, interface: str) -> str:
    """What this node's Heartbeat says of its link to the peer on the interface (`cl_status hblinkstatus`:
    up or dead; empty when Heartbeat does not answer)."""
    return node.run(f"cl_status hblinkstatus {quote(peer)} {quote(interface)}", warn=True).stdout.strip()
