"""A plan: the scenarios' steps run dry, against nodes that are never reached.

Each step's code runs as in a real run, but a command goes nowhere: it is written down (node, command,
kind from the op that runs it) and answered with exit 0 and no output. What a step would do after
reading a node's state cannot be known; where the step stops on an empty answer the plan says so.
The provider's faults (power off, freeze, ...) are written down, not done.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from harness import kinds
from harness.lab.fence_entry import FenceDevice
from harness.lab.providers.base import FAULTS, Capabilities, Provider, Unsupported
from harness.lab.site import Site
from harness.node import Node, NodeAccess, Result, as_shown
from harness.report.transcript import Entry

HEADER = ("# hadrill plan: the commands each step would run, per host, in order; no host was reached.\n"
          "# Each read was answered with nothing (as on a fresh host): where a step goes on according\n"
          "# to what a node says, the plan says so, and on a live host it may run fewer commands.\n")
DEPENDS = "the rest of this step depends on what the nodes answer"


class PlanNode(Node):
    """A node that records commands instead of running them."""

    @property
    def conn(self) -> Any:
        raise Unsupported(f"a plan connects to no host ({self.name})")

    def permit(self, what: str) -> None:
        """A plan refuses nothing as it goes: the guard judges the whole plan (harness.plan.guard)."""

    def run(self, command: str, *, warn: bool = False, timeout: float = 0.0,
            stdin: str | None = None) -> Result:
        shown = as_shown(command, stdin)
        self.transcript.add(Entry(self.name, shown, 0, 0.0, "", "", kind=kinds.current().value))
        return Result(self.name, shown, 0, "", "", 0.0)

    def close(self) -> None:
        pass


class PlanProvider(Provider):
    """The facts of a real provider (nodes, secrets, VIP, capabilities); its actions only written down."""

    def __init__(self, real: Provider):
        self.real = real
        self.name = real.name
        self.capabilities: Capabilities = real.capabilities

    def up(self) -> None:
        pass

    def down(self) -> None:
        pass

    def status(self) -> dict[str, object]:
        return {"provider": self.name, "phase": "plan",
                "nodes": {a.name: {"state": "running"} for a in self.nodes()}}

    def nodes(self) -> list[NodeAccess]:
        return self.real.nodes()

    def secrets(self) -> dict[str, str]:
        """The real provider's, or where it cannot read them here (an unset variable), stand-ins."""
        try:
            return self.real.secrets()
        except ValueError:
            refs = getattr(getattr(self.real, "inventory", None), "secret_refs", {})
            return {name: f"<secret {name}>" for name in refs}

    def site(self) -> Site:
        return self.real.site()

    def vip(self) -> str:
        return self.real.vip()

    def bmcs(self) -> dict[str, str]:
        return self.real.bmcs()

    def fence_devices(self) -> dict[str, FenceDevice]:
        return self.real.fence_devices()

    def client_prefix(self) -> list[str]:
        raise Unsupported("a plan runs no client on the cluster network")

    def node_pid(self, node: str) -> int | None:
        return None

    def bmc_log(self, node: str) -> str:
        return ""

    def _written_down(self, node: str = "", wait: bool = True) -> None:
        """A fault or reset in a plan: the transcript has it (from Faults), nothing is done."""


for _method in ("reset", "save_state", "restore_state", *(method for _capability, method in FAULTS.values())):
    setattr(PlanProvider, _method, PlanProvider._written_down)


@dataclass
class PlannedStep:
    keyword: str
    text: str
    commands: list[dict[str, str]] = field(default_factory=list)   # node, kind, command
    stopped: str = ""                                               # why the dry run went no further


@dataclass
class PlannedScenario:
    feature: str        # the feature file, relative to the project
    feature_name: str
    name: str
    description: str = ""     # the feature's
    tags: list[str] = field(default_factory=list)
    steps: list[PlannedStep] = field(default_factory=list)
    skipped: str = ""
    unplanned: str = ""       # what kept the dry run from planning it at all (a fixture's error, ...)
    known_state: int = 0      # its first steps that are Background: how it reaches its known state


class PlanRecorder:
    """Scenarios and steps as they run dry, with the commands each step would run."""

    def __init__(self) -> None:
        self.scenarios: list[PlannedScenario] = []

    def scenario(self, feature: str, feature_name: str, name: str, description: str = "",
                 tags: list[str] | None = None, known_state: int = 0) -> None:
        self.scenarios.append(PlannedScenario(feature, feature_name, name, description, tags or [],
                                              known_state=known_state))

    def step(self, keyword: str, text: str) -> None:
        self.scenarios[-1].steps.append(PlannedStep(keyword, text))

    def command(self, entry: Entry) -> None:
        if self.scenarios and self.scenarios[-1].steps:
            self.scenarios[-1].steps[-1].commands.append(
                {"node": entry.node, "kind": entry.kind, "command": entry.command})

    def stopped(self, exc: BaseException) -> None:
        if self.scenarios and self.scenarios[-1].steps:
            self.scenarios[-1].steps[-1].stopped = f"{DEPENDS} ({type(exc).__name__})"

    def skipped(self, reason: str) -> None:
        if self.scenarios:
            self.scenarios[-1].skipped = reason

    def unplanned(self, reason: str) -> None:
        if self.scenarios and not self.scenarios[-1].unplanned:
            self.scenarios[-1].unplanned = reason

    def save(self, path: Path) -> None:
        path.write_text(json.dumps([asdict(s) for s in self.scenarios], indent=1))


def load(path: Path) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(path.read_text())
    return data


def _one_line(command: str) -> str:
    lines = command.splitlines()
    return lines[0] if len(lines) == 1 else f"{lines[0]} … ({len(lines)} lines)"


MARKS = {"read": "read", "change": "change", "disruptive": "DISRUPTIVE", "destructive": "DESTRUCTIVE"}


def render(scenarios: list[dict[str, Any]]) -> str:
    """The plan as a person reads it: per scenario, each step with the commands per host, in order."""
    out: list[str] = []
    feature = None
    for sc in scenarios:
        if sc["feature"] != feature:
            feature = sc["feature"]
            out += ["", f"Feature: {sc['feature_name']}  ({feature})"]
        out.append(f"  Scenario: {sc['name']}")
        if sc["skipped"]:
            out.append(f"    (skipped here: {sc['skipped']})")
        if sc.get("unplanned"):
            out.append(f"    (NOT PLANNED: {sc['unplanned']})")
        for step in sc["steps"]:
            out.append(f"    {step['keyword']} {step['text']}")
            for c in step["commands"]:
                out.append(f"      {c['node']:<8} {MARKS[c['kind']]:<11} {_one_line(c['command'])}")
            if step["stopped"]:
                out.append(f"      ({step['stopped']})")
    return "\n".join(out).lstrip("\n") + "\n"
