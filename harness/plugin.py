"""The pytest plugin: options, the session's lab, nodes, step transcripts and strict step checking."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.scenario import find_fixturedefs_for_step, scenario_wrapper_template_registry

from . import claims, measurements, reporting
from .faults import Faults
from .node import Node
from .paths import reports_dir
from .plan import PlanNode, PlanProvider
from .providers import labstate
from .providers.base import Provider
from .providers.uml import UmlLab, sweep_stale
from .secrets import SecretsError, resolve
from .topology import DEFAULT_TOPOLOGY
from .transcript import TRANSCRIPT


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("hadrill")
    group.addoption("--hadrill-provider", default="uml", choices=["uml"], help="where the nodes come from")
    group.addoption("--hadrill-lab", default=None,
                    help="topology of the embedded lab (drbd, rhcs, FILE); default: the one the selected "
                         "features need (a test module's TOPOLOGY, else drbd)")
    group.addoption("--hadrill-name", default=None, help="lab name (default: the topology's)")
    group.addoption("--hadrill-keep-lab", action="store_true", help="leave the lab up at the end")
    group.addoption("--hadrill-append", action="store_true",
                    help="add to the run's transcript, measurements and verdicts instead of starting them "
                         "empty (hadrill run, for its second lab)")
    group.addoption("--hadrill-plan", default=None, type=Path, metavar="FILE",
                    help="run every scenario dry, reaching no host, and write the commands it would run "
                         "to FILE (JSON; `hadrill plan` prints it)")
    group.addoption("--hadrill-secrets", default=os.environ.get("HADRILL_SECRETS"), type=Path,
                    help="YAML file of secret values (mode 600); overrides the lab's defaults")


def _fresh_run_files(transcript: Path) -> None:
    """A run on a lab starts its files empty: the transcript, measurements and verdicts are its own.
    (Called by the lab fixture, so a unit-test run leaves the last run's report alone.)"""
    transcript.unlink(missing_ok=True)
    measurements.path().unlink(missing_ok=True)
    claims.path().unlink(missing_ok=True)


TOPOLOGY_KEY = pytest.StashKey[str]()


def _needed_topology(config: pytest.Config, items: list[pytest.Item]) -> str:
    """The lab the selected tests need: --hadrill-lab if given, else their modules' TOPOLOGY (one only)."""
    given = config.getoption("--hadrill-lab")
    if given:
        return str(given)
    needs: dict[str, set[str]] = {}
    for item in items:
        module = getattr(item, "module", None)
        func = getattr(item, "obj", None)
        if module is not None and callable(func) and func in scenario_wrapper_template_registry:
            needs.setdefault(getattr(module, "TOPOLOGY", DEFAULT_TOPOLOGY), set()).add(module.__name__)
    if len(needs) > 1:
        wants = "; ".join(f"{t}: {', '.join(sorted(m))}" for t, m in sorted(needs.items()))
        raise pytest.UsageError(f"the selected tests need different labs ({wants}); run them apart, as "
                                "`hadrill run` does, or name one with --hadrill-lab")
    return next(iter(needs), DEFAULT_TOPOLOGY)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config,
                                  items: list[pytest.Item]) -> None:
    """The lab the selected tests need; strict mode: a step with no definition fails the collection,
    naming file and line."""
    config.stash[TOPOLOGY_KEY] = _needed_topology(config, items)
    problems = []
    for item in items:
        func = getattr(item, "obj", None)
        template = scenario_wrapper_template_registry.get(func) if callable(func) else None
        if template is None:
            continue
        callspec = getattr(item, "callspec", None)
        example = callspec.params.get("_pytest_bdd_example", {}) if callspec else {}
        scenario = template.render(example)
        for step in scenario.steps:
            if not any(find_fixturedefs_for_step(step, session._fixturemanager, item)):
                problems.append(f"{template.feature.filename}:{step.line_number}: "
                                f"undefined step: {step.keyword} {step.name}")
    if problems:
        raise pytest.UsageError("\n".join(sorted(set(problems))))


@pytest.fixture(scope="session")
def lab(request: pytest.FixtureRequest) -> Iterator[Provider]:
    """The session's lab: brought up once; taken down at the end if this session brought it up."""
    opt = request.config.getoption
    topology = request.config.stash.get(TOPOLOGY_KEY, DEFAULT_TOPOLOGY)
    if opt("--hadrill-plan"):
        yield PlanProvider(UmlLab(topology, opt("--hadrill-name")))
        return
    TRANSCRIPT.path = reports_dir() / "transcript.jsonl"
    if not opt("--hadrill-append"):
        _fresh_run_files(TRANSCRIPT.path)
    sweep_stale()
    provider = UmlLab(topology, opt("--hadrill-name"))
    was_up = labstate.load(provider.lab_name) is not None
    provider.up()
    yield provider
    if not was_up and not opt("--hadrill-keep-lab"):
        provider.down()


@pytest.fixture(scope="session")
def nodes(lab: Provider, secrets: dict[str, str]) -> Iterator[dict[str, Node]]:
    """A Node per lab node, by name; connections closed at the end. (In a plan, nodes that only record.)"""
    kind = PlanNode if isinstance(lab, PlanProvider) else Node
    handles = {access.name: kind(access) for access in lab.nodes()}
    yield handles
    for node in handles.values():
        node.close()


@pytest.fixture(scope="session")
def secrets(lab: Provider, request: pytest.FixtureRequest) -> dict[str, str]:
    """The run's secret values by name, each registered for redaction before any command runs."""
    try:
        return resolve(lab.secrets(), request.config.getoption("--hadrill-secrets"))
    except SecretsError as exc:
        pytest.exit(f"hadrill: {exc}", returncode=2)


@pytest.fixture
def faults(lab: Provider, nodes: dict[str, Node]) -> Iterator[Faults]:
    """Faults a scenario injects; undone (power back on, link restored, thawed) when it ends."""
    log = Faults(lab, nodes)
    yield log
    failed = log.undo()
    if failed:
        pytest.fail("could not undo faults: " + "; ".join(failed))


def _section(scenario: Any, step: Any) -> str:
    return f"{scenario.name} / {step.keyword} {step.name} (line {step.line_number})"


def pytest_bdd_before_step(request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any,
                           step_func: Any) -> None:
    TRANSCRIPT.begin(_section(scenario, step))


# tryfirst: before allure closes the step, so the attachment lands in it
@pytest.hookimpl(tryfirst=True)
def pytest_bdd_after_step(request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any,
                          step_func: Any, step_func_args: Any) -> None:
    reporting.attach_commands(TRANSCRIPT.current())


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_step_error(request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any,
                          step_func: Any, step_func_args: Any, exception: Exception) -> None:
    reporting.attach_commands(TRANSCRIPT.current())
