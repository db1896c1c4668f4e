"""Partition tables as `sfdisk -J` prints them; a mounted filesystem as `df -T -BM` shows it."""

from __future__ import annotations

import json
from dataclasses import dataclass

from harness.node import Node
from harness.probes.errors import ParseError


@dataclass(frozen=True)
class Partition:
    node: str       # device path, e.g. /dev/sdb1
    start: int      # sectors
    size: int       # sectors
    type: str       # MBR type in hex, e.g. "83"


@dataclass(frozen=True)
class PartitionTable:
    label: str                          # dos, gpt
    sector_size: int
    partitions: tuple[Partition, ...]


@dataclass(frozen=True)
class DfRow:
    device: str
    fstype: str
    size_mib: int
    mounted_on: str


def parse_df(text: str) -> DfRow:
    """The filesystem row of `df -T -BM PATH` (a header, then one row)."""
    lines = text.splitlines()
    fields = lines[1].split() if len(lines) == 2 else []
    if len(fields) != 7 or not fields[2].endswith("M") or not fields[2][:-1].isdigit():
        raise ParseError("df -T -BM", "a header and one row of 7 fields, the size in M", text)
    return DfRow(fields[0], fields[1], int(fields[2][:-1]), fields[6])


def df(node: Node, path: str) -> tuple[DfRow, str]:
    """The filesystem mounted at path, parsed, and df's text."""
    out = node.sh("df", "-T", "-BM", path).stdout
    return parse_df(out), out


def parse_sfdisk_json(text: str) -> PartitionTable:
    try:
        table = json.loads(text)["partitiontable"]
        parts = tuple(Partition(p["node"], int(p["start"]), int(p["size"]), str(p["type"]))
                      for p in table.get("partitions", []))
        return PartitionTable(table["label"], int(table.get("sectorsize", 512)), parts)
    except (ValueError, KeyError, TypeError):
        raise ParseError("sfdisk -J", "a JSON object with a partitiontable", text) from None


def partition_table(node: Node, device: str) -> PartitionTable | None:
    """The device's partition table, or None if it has none."""
    res = node.sh("sfdisk", "-J", device, warn=True)
    return parse_sfdisk_json(res.stdout) if res.ok and res.stdout.strip() else None


def first_partition(device: str) -> str:
    """The kernel's name for a disk's first partition: sdb1, but nvme0n1p1 and mmcblk0p1 (a disk whose name
    ends in a digit takes a `p`)."""
    return f"{device}p1" if device[-1:].isdigit() else f"{device}1"
