"""The step parsers the features' words go through: pytest-bdd's `parse` and `re`, with each of the book's
node names among a step's arguments (vm01, node1, storage) given as the host that plays it on the run's
site."""

from __future__ import annotations

import re as regex
from typing import Any

from pytest_bdd import parsers

from harness.lab import site, topology
from harness.ops import heartbeat as hb

BOOK_VIP = topology.load(topology.DEFAULT_TOPOLOGY).vip   # the book's service address (7.2)


def _played(arguments: dict[str, Any] | None) -> dict[str, Any]:
    played = site.active()
    return {key: played.host(value) if isinstance(value, str) else value
            for key, value in (arguments or {}).items()}


class parse(parsers.parse):
    def parse_arguments(self, name: str) -> dict[str, Any]:
        return _played(super().parse_arguments(name))


class re(parsers.re):
    def parse_arguments(self, name: str) -> dict[str, Any]:
        return _played(super().parse_arguments(name))


def host(book_name: str) -> str:
    """The host that plays one of the book's nodes on the run's site (for a node a step names in its
    words, not in an argument)."""
    return site.active().host(book_name)


def disk() -> str:
    """The site's name for the book's disk /dev/sdb (a key of each host's disks)."""
    return site.active().disk


def on_site(text: str, vip: str) -> str:
    """A line as the book prints it (haresources' `vm01 drbddisk::test ... 192.168.8.100 mysql`), with each
    of the book's values the site's: its hosts, resource, device, mount point (and paths under it),
    filesystem and VIP (with its netmask and interface where the interface is not the book's)."""
    played = site.active()
    values = {"vm01": played.host("vm01"), "vm02": played.host("vm02"), "test": played.resource,
              "/dev/drbd1": played.device, "/data": played.mountpoint, "ext3": played.filesystem,
              BOOK_VIP: hb.vip_resource(vip, played)}
    def said(word: str) -> str:
        head, slash, rest = word.partition("/data/")
        return values["/data"] + "/" + rest if slash and not head else values.get(word, word)

    return regex.sub(r"[^\s:]+", lambda word: said(word.group(0)), text)
