"""The lab's side of its nodes' virtual BMCs (bmc.py): each started in the lab's namespace with the password
in its environment (never on a command line), recorded in lab.json, stopped by its PID, its log read."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Protocol

from harness.lab.providers import labstate, netns, procs
from harness.lab.providers.base import ProviderError
from harness.lab.providers.labstate import LabRecord
from harness.lab.topology import Topology
from harness.paths import reports_dir, state_dir

PASSWORD_ENV = "HADRILL_BMC_PASSWORD"
MODULE = "harness.lab.providers.bmc"


class BmcLab(Protocol):
    """What the BMCs need of their lab."""

    ns: str
    lab_name: str
    topology_ref: str
    topology: Topology

    def record(self) -> LabRecord | None: ...

    def console(self, node: str) -> Path: ...

    def secrets(self) -> dict[str, str]: ...


def addresses(topology: Topology) -> dict[str, str]:
    """Node name -> the address of its BMC, for the nodes that have one."""
    return {n.name: n.bmc for n in topology.nodes if n.bmc}


def log_path(lab: BmcLab, node: str) -> Path:
    return lab.console(node).with_name(f"{node}.bmc.log")


def log_text(lab: BmcLab, node: str) -> str:
    """What the node's BMC has logged (power actions with their times)."""
    path = log_path(lab, node)
    return path.read_text() if path.exists() else ""


def running(lab: BmcLab, node: str) -> bool:
    rec = lab.record()
    helper = rec.helpers.get(f"bmc-{node}") if rec else None
    return bool(helper and procs.members(procs.Started(**helper)))


def start(lab: BmcLab, node: str) -> subprocess.Popen[bytes]:
    """Run the node's BMC in the namespace at its address; its PID is recorded once it runs."""
    address = addresses(lab.topology).get(node)
    if not address:
        raise ProviderError(f"{node} has no bmc address in the topology {lab.topology.name!r}")
    if running(lab, node):
        raise ProviderError(f"{node}'s BMC is already running")
    password = lab.secrets().get("bmc_password")     # the run's, or the topology's default
    if not password:
        raise ProviderError(f"the topology {lab.topology.name!r} has no secret bmc_password")
    log = log_path(lab, node)
    log.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, PASSWORD_ENV: password, "HADRILL_STATE": str(state_dir()),
           "HADRILL_REPORTS": str(reports_dir())}
    cmd = [*netns.exec_prefix(lab.ns), sys.executable, "-m", MODULE, lab.lab_name, lab.topology_ref, node,
           address]
    with open(log, "ab") as out:
        child = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                 start_new_session=True, env=env, cwd=Path(__file__).parents[3])
    started = procs.await_exec(child.pid, os.path.realpath(sys.executable))
    with labstate.locked(lab.lab_name):
        rec = lab.record()
        if rec is not None:
            rec.helpers[f"bmc-{node}"] = started.to_json()
            labstate.save(rec)
    return child


def stop(lab: BmcLab, node: str) -> None:
    """Stop the node's BMC by its recorded PID (a fence device that no longer answers)."""
    with labstate.locked(lab.lab_name):
        rec = lab.record()
        if rec is None or rec.phase != "ready":
            raise ProviderError(f"lab {lab.lab_name!r} is not up (hadrill lab up --name {lab.lab_name})")
        helper = rec.helpers.pop(f"bmc-{node}", None)
        if helper is None:
            raise ProviderError(f"{node}'s BMC is not running")
        procs.kill_group(procs.Started(**helper))
        labstate.save(rec)
