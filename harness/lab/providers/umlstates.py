"""Known states of a UML lab kept as its nodes' disk files (copy-on-write root and data disks), taken from
nodes powered down cleanly and put back on nodes powered off, so a state built once boots again in seconds.

A state is kept under a name made of the caller's recipe key and what the files only make sense with (the
root image and the kernel): another image never boots a state kept for the last one.
"""

from __future__ import annotations

import hashlib
import signal
import subprocess
import time
from pathlib import Path

from harness.lab.providers import procs, umlnode
from harness.lab.providers.base import ProviderError
from harness.lab.providers.labstate import LabRecord
from harness.lab.topology import Topology
from harness.paths import remove_tree

POWEROFF_TIMEOUT_S = 60.0   # a UML node halts in a few seconds; a minute means its shutdown hangs
COMPLETE = "complete"       # written last: a state without it was cut short and is never restored


def stored_name(rec: LabRecord, key: str) -> str:
    """The folder name of the state `key` for this lab's image and kernel."""
    digest = hashlib.sha256(f"{key}\0{rec.image}\0{rec.kernel}".encode()).hexdigest()[:16]
    return f"{key[:40]}-{digest}"


def folder(lab_dir: Path, rec: LabRecord, key: str) -> Path:
    return lab_dir / "states" / stored_name(rec, key)


def kept(lab_dir: Path, rec: LabRecord, key: str) -> bool:
    return (folder(lab_dir, rec, key) / COMPLETE).exists()


def disk_files(lab_dir: Path, topology: Topology) -> dict[str, list[Path]]:
    """The files that hold each node's state: its copy-on-write root and each data disk."""
    return {n.name: [umlnode.folder(lab_dir, n.name) / "root.cow",
                     *(umlnode.folder(lab_dir, n.name) / f"{d.name}.img" for d in n.disks)]
            for n in topology.nodes}


def copy_sparse(src: Path, dst: Path) -> None:
    """A copy that keeps the holes (the disks are mostly empty): a 4 GiB root costs what it holds."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["cp", "--sparse=always", "--reflink=auto", str(src), str(dst)], check=True)


def keep(lab_dir: Path, rec: LabRecord, key: str, topology: Topology) -> Path:
    """Copy each node's disk files (nodes powered down) into the state's folder; marked complete last."""
    target = folder(lab_dir, rec, key)
    remove_tree(target)   # a state cut short before
    for node, files in disk_files(lab_dir, topology).items():
        for f in files:
            copy_sparse(f, target / node / f.name)
    (target / COMPLETE).write_text(f"{key}\n")
    return target


def put_back(lab_dir: Path, rec: LabRecord, key: str, topology: Topology) -> None:
    """Each node's disk files (nodes powered off) replaced by the kept ones."""
    source = folder(lab_dir, rec, key)
    if not (source / COMPLETE).exists():
        raise ProviderError(f"no complete state {key!r} is kept in {source}")
    for node, files in disk_files(lab_dir, topology).items():
        for f in files:
            f.unlink(missing_ok=True)
            copy_sparse(source / node / f.name, f)


def power_down(ssh_config: Path, rec: LabRecord) -> None:
    """Each running node asked to power down (a frozen one let go first), then awaited until it halted."""
    running = {name: started for name, node in rec.nodes.items() if (started := node.started())}
    for name, started in running.items():
        procs.signal_group(started, signal.SIGCONT)
        request_poweroff(ssh_config, name)
    for name, started in running.items():
        await_halt(name, started)


def await_halt(node: str, started: procs.Started, timeout: float = POWEROFF_TIMEOUT_S) -> None:
    """Wait until every process of the node's kernel has ended (it halted after `systemctl poweroff`)."""
    deadline = time.monotonic() + timeout
    while procs.members(started):
        if time.monotonic() > deadline:
            raise ProviderError(f"{node} did not halt in {timeout:.0f} s after systemctl poweroff")
        time.sleep(0.1)


def request_poweroff(ssh_config: Path, node: str) -> None:
    """Ask the node to power itself down (the session ends with it, so ssh's own status means nothing)."""
    subprocess.run(["ssh", "-F", str(ssh_config), node, "systemctl poweroff --no-block"],
                   capture_output=True, stdin=subprocess.DEVNULL, timeout=30)
