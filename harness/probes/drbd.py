"""DRBD state as the kernel module and drbd-utils print it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import ParseError

VERSION_RE = re.compile(
    r"^version: (?P<version>\d+\.\d+\.\d+) \(api:(?P<api>\d+)/proto:(?P<proto>\d+-\d+)\)$")


@dataclass(frozen=True)
class ModuleVersion:
    """The first line of /proc/drbd, e.g. `version: 8.4.11 (api:1/proto:86-101)`."""

    version: str
    api: int
    protocols: str

    @property
    def major_minor(self) -> str:
        return ".".join(self.version.split(".")[:2])


def parse_version(proc_drbd: str) -> ModuleVersion:
    """The module version from /proc/drbd (its first line)."""
    first = proc_drbd.splitlines()[0] if proc_drbd.strip() else ""
    m = VERSION_RE.match(first.strip())
    if not m:
        raise ParseError("/proc/drbd", "a first line 'version: X.Y.Z (api:N/proto:A-B)'", proc_drbd)
    return ModuleVersion(m["version"], int(m["api"]), m["proto"])
