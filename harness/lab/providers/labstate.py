"""The record of a lab on disk (lab.json): what was made, which processes were started, its phase."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from harness.lab.providers.procs import Started, alive
from harness.paths import checked_name, reports_dir, state_dir, valid_name


@dataclass
class NodeRecord:
    machine_id: str
    process: dict[str, Any] | None = None     # Started.to_json() while powered on
    frozen: bool = False

    def started(self) -> Started | None:
        return Started(**self.process) if self.process else None


@dataclass
class LabRecord:
    name: str
    topology: str
    netns: str
    image: str
    kernel: str
    phase: str = "creating"                    # creating, booting, ready, down
    owner_pid: int = field(default_factory=os.getpid)
    created: float = field(default_factory=time.time)
    boot_seconds: float | None = None
    nodes: dict[str, NodeRecord] = field(default_factory=dict)
    helpers: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> Started.to_json() (BMCs)
    consoles: str = ""   # where its consoles and BMC logs go: the reports of the run that made it

    def __post_init__(self) -> None:
        self.consoles = self.consoles or str(consoles_dir(self.name))

    def console(self, node: str) -> Path:
        """The node's console log: where the run that made the lab put it, whatever reports a later run has
        (its BMCs log beside it)."""
        return Path(self.consoles) / f"{node}.log"

    def owner_alive(self) -> bool:
        return alive(self.owner_pid)

    def stale(self) -> bool:
        """Left behind: still being made, but whoever was making it is gone."""
        return self.phase in ("creating", "booting") and not self.owner_alive()


def consoles_dir(name: str) -> Path:
    """Where a lab made now keeps its consoles and BMC logs (under reports/, kept after down)."""
    return reports_dir() / "consoles" / name


def console(name: str, node: str) -> Path:
    """A node's console log: where its lab's record puts it, or where a lab made now would."""
    rec = load(name)
    return rec.console(node) if rec else consoles_dir(name) / f"{node}.log"


def lab_dir(name: str) -> Path:
    """The lab's folder under hadrill's state; UnsafeName for a name that would leave it."""
    return state_dir() / "labs" / checked_name(name, "lab name")


def all_names() -> list[str]:
    root = state_dir() / "labs"
    return sorted(p.name for p in root.iterdir()
                  if valid_name(p.name) and (p / "lab.json").exists()) if root.exists() else []


def load(name: str) -> LabRecord | None:
    path = lab_dir(name) / "lab.json"
    if not path.exists():
        return None
    data = json.loads(path.read_text())
    nodes = {k: NodeRecord(**v) for k, v in data.pop("nodes", {}).items()}
    return LabRecord(nodes=nodes, **data)


@contextlib.contextmanager
def locked(name: str) -> Iterator[None]:
    """Hold the lab's lock: the harness and the lab's BMCs change the record one at a time."""
    folder = lab_dir(name)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "lab.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def save(record: LabRecord) -> None:
    """Write lab.json atomically: a crash never leaves half a record."""
    folder = lab_dir(record.name)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / "lab.json.tmp"
    tmp.write_text(json.dumps(asdict(record), indent=2) + "\n")
    os.replace(tmp, folder / "lab.json")
