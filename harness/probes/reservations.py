"""SCSI persistent reservations on a shared LUN, as sg_persist reads them (the keys fence_scsi registers,
one per member, and the reservation one of them holds): what storage fencing did to a member."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from harness.node import Node
from harness.probes.errors import ParseError

KEY_FILE = "/var/run/cluster.key"     # fence_scsi's record of the key it registered for this node
GENERATION_RE = re.compile(r"PR generation=0x[0-9a-f]+,", re.IGNORECASE)
KEY_RE = re.compile(r"^\s+(0x[0-9a-f]+)\s*$", re.IGNORECASE)
HOLDER_RE = re.compile(r"^\s+Key=(0x[0-9a-f]+)\s*$", re.IGNORECASE)
TYPE_RE = re.compile(r"type:\s*(?P<type>.+?)\s*$")


@dataclass(frozen=True)
class Reservation:
    holder: str | None     # the key that holds it, None when none is held
    type: str              # "Write Exclusive, registrants only", "" when none is held


def parse_keys(text: str) -> list[str]:
    """`sg_persist -n -i -k DEVICE`: the registered keys, lower case ("0xad190000")."""
    if not GENERATION_RE.search(text):
        raise ParseError("sg_persist --read-keys", "a 'PR generation=0x..' line", text)
    return [m.group(1).lower() for line in text.splitlines() if (m := KEY_RE.match(line))]


def parse_reservation(text: str) -> Reservation:
    """`sg_persist -n -i -r DEVICE`: the key holding the reservation and its type."""
    if not GENERATION_RE.search(text):
        raise ParseError("sg_persist --read-reservation", "a 'PR generation=0x..' line", text)
    holder = next((m.group(1).lower() for line in text.splitlines() if (m := HOLDER_RE.match(line))), None)
    kind = next((m["type"] for line in text.splitlines() if (m := TYPE_RE.search(line))), "")
    return Reservation(holder, kind if holder else "")


def keys(node: Node, device: str) -> list[str]:
    """The keys registered on the LUN, read through the node's path to it."""
    return parse_keys(node.run(f"sg_persist -n -i -k {shlex.quote(device)}").stdout)


def reservation(node: Node, device: str) -> Reservation:
    return parse_reservation(node.run(f"sg_persist -n -i -r {shlex.quote(device)}").stdout)


def own_key(node: Node) -> str | None:
    """The key fence_scsi registered for this node when it unfenced it (its key file), None if it never
    did since the node booted."""
    said = node.run(f"cat {KEY_FILE}", warn=True)
    value = said.stdout.strip().lower()
    return None if not said.ok or not value else value if value.startswith("0x") else f"0x{value}"
