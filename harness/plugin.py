"""The pytest plugin: options, the session's lab, nodes, step transcripts and strict step checking."""

from __future__ import annotations

import os
import time
from collections.abc import Generator, Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.scenario import find_fixturedefs_for_step, scenario_wrapper_template_registry

from harness import areas, progress, waiting
from harness.cli import sessions
from harness.lab import inventory, mend, site
from harness.lab.faults import power_on_any_off
from harness.lab.inventory import Inventory, InventoryError
from harness.lab.owner import LabBusy
from harness.lab.providers import registry
from harness.lab.providers.base import Provider, ProviderError
from harness.lab.topology import DEFAULT_TOPOLOGY
from harness.node import Node
from harness.paths import UnsafeName, checked_name, reports_dir
from harness.plan import guard
from harness.plan.dryrun import PlanNode, PlanProvider
from harness.report import attachments, evidence, redaction, run_files
from harness.report.secrets import SecretsError, load_file, resolve
from harness.report.transcript import TRANSCRIPT
from harness.scenario import is_scenario
from harness.verdicts import claims


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("hadrill")
    group.addoption("--hadrill-provider", default=registry.DEFAULT_KIND, choices=registry.KINDS,
                    help="where the nodes come from: the embedded lab (uml), Vagrant VMs (vagrant), or an "
                         "inventory's hosts (ssh)")
    group.addoption("--hadrill-inventory", default=None, type=Path, metavar="FILE",
                    help="the inventory of hosts for --hadrill-provider ssh")
    group.addoption("--hadrill-topology", "--hadrill-lab", dest="hadrill_topology", default=None,
                    help="topology of the lab (drbd, rhcs, FILE); default: the one the selected features' "
                         "area runs on (harness.areas.TOPOLOGIES, else drbd)")
    group.addoption("--hadrill-name", default=None, help="lab name (default: the topology's)")
    group.addoption("--hadrill-keep-lab", action="store_true", help="leave the lab up at the end")
    group.addoption("--hadrill-wait", action="store_true", help="wait for a run holding the lab to end")
    group.addoption("--hadrill-allow-disruptive", default="", metavar="HOST[,HOST]",
                    help="inventory hosts not marked disposable where disruptive steps may run")
    group.addoption("--hadrill-append", action="store_true",
                    help="add to the run's transcript, measurements and verdicts instead of starting them "
                         "empty (hadrill run, for its second lab)")
    group.addoption("--hadrill-plan", default=None, type=Path, metavar="FILE",
                    help="run every scenario dry, reaching no host, and write the commands it would run "
                         "to FILE (JSON; `hadrill plan` prints it)")
    group.addoption("--hadrill-secrets", default=os.environ.get("HADRILL_SECRETS"), type=Path,
                    help="YAML file of secret values (mode 600); overrides the lab's defaults")
    group.addoption("--hadrill-no-snapshots", action="store_true",
                    help="build every known state by the book's steps: none kept or put back")
    group.addoption("--hadrill-strict-claims", action="store_true",
                    help="a scenario that finds a claim of the book not held fails (default: it passes, "
                         "the verdict shown in the report, the junit file and the runbook)")


TOPOLOGY_KEY = pytest.StashKey[str]()
INVENTORY_KEY = pytest.StashKey[Inventory]()
LAB_STAYS_KEY = pytest.StashKey[bool]()     # the lab outlives the run (a site's hosts, kept, found up)


def pytest_configure(config: pytest.Config) -> None:
    """SIGTERM stops the run as Ctrl-C does; log records redacted; with the ssh provider, the inventory
    read and checked before anything else."""
    sessions.stop_like_ctrl_c_on_sigterm()
    sessions.stop_with_the_run()
    redaction.install_for_logging()
    config.pluginmanager.register(guard.DestructionDisrupts(), "hadrill-disruptive-marks")
    name = config.getoption("--hadrill-name")
    try:
        if name is not None:
            checked_name(name, "--hadrill-name")
    except UnsafeName as exc:
        raise pytest.UsageError(str(exc)) from None
    if config.getoption("--hadrill-provider") != "ssh":
        return
    path = config.getoption("--hadrill-inventory")
    if path is None:
        raise pytest.UsageError("--hadrill-provider ssh needs --hadrill-inventory FILE")
    try:
        allowed = str(config.getoption("--hadrill-allow-disruptive")).split(",")
        config.stash[INVENTORY_KEY] = inventory.allow_disruptive(inventory.load(path), allowed,
                                                                 "--hadrill-allow-disruptive")
    except InventoryError as exc:
        raise pytest.UsageError(str(exc)) from None


def _provider(config: pytest.Config, topology: str) -> Provider:
    """The run's provider, not yet up: a lab of the topology, or the inventory's hosts; its site is the
    run's (the steps' arguments name its hosts)."""
    option = config.getoption
    try:
        provider = registry.provider(option("--hadrill-provider"), topology, option("--hadrill-name"),
                                     config.stash.get(INVENTORY_KEY, None))
    except ProviderError as exc:
        pytest.exit(f"hadrill: {exc}", returncode=2)
    site.activate(provider.site())
    return provider


def _guard(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Refuse, before any connection, what the guard does not let run on the inventory's hosts."""
    if config.getoption("--hadrill-plan"):
        return
    options = ["--hadrill-provider=ssh", f"--hadrill-inventory={config.getoption('--hadrill-inventory')}"]
    refused = guard.check(config.rootpath, config.stash.get(INVENTORY_KEY, None),
                          [([item.nodeid for item in items], options)])
    if refused:
        raise pytest.UsageError(refused)


def _needed_topology(config: pytest.Config, items: list[pytest.Item]) -> str:
    """The topology the selected tests need: --hadrill-topology if given, else their areas' (one only)."""
    given = config.getoption("hadrill_topology")
    if given:
        return str(given)
    needs: dict[str, set[str]] = {}
    for item in items:
        module = getattr(item, "module", None)
        if module is not None and is_scenario(item):
            topology = areas.module_topology(module.__name__.rsplit(".", 1)[-1])
            needs.setdefault(topology, set()).add(module.__name__)
    if len(needs) > 1:
        wants = "; ".join(f"{t}: {', '.join(sorted(m))}" for t, m in sorted(needs.items()))
        raise pytest.UsageError(f"the selected tests need different labs ({wants}); run them apart, as "
                                "`hadrill run` does, or name one with --hadrill-topology")
    return next(iter(needs), DEFAULT_TOPOLOGY)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config,
                                  items: list[pytest.Item]) -> None:
    """The lab the selected tests need; strict mode: a step with no definition fails the collection,
    naming file and line."""
    config.stash[TOPOLOGY_KEY] = _needed_topology(config, items)
    inv = config.stash.get(INVENTORY_KEY, None)
    if inv is not None and items and inv.topology != config.stash[TOPOLOGY_KEY]:
        raise pytest.UsageError(f"the selected features need the {config.stash[TOPOLOGY_KEY]} topology; "
                                f"inventory {inv.name!r} is a {inv.topology} one")
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
    _guard(config, items)


@pytest.fixture(scope="session")
def lab(request: pytest.FixtureRequest) -> Iterator[Provider]:
    """The session's lab: brought up once; taken down at the end if this session brought it up."""
    opt = request.config.getoption
    topology = request.config.stash.get(TOPOLOGY_KEY, DEFAULT_TOPOLOGY)
    if opt("--hadrill-plan"):
        yield PlanProvider(_provider(request.config, topology))
        return
    TRANSCRIPT.path = reports_dir() / "transcript.jsonl"
    if not opt("--hadrill-append"):   # a run on a lab starts its transcript, measurements and verdicts empty
        run_files.start_logs(reports_dir())
    provider = _provider(request.config, topology)
    _give_secrets(provider, opt("--hadrill-secrets"))
    if opt("--hadrill-no-snapshots"):
        provider.capabilities = replace(provider.capabilities, snapshot=False)
    type(provider).sweep_stale()
    try:
        say = partial(progress.say_uncaptured, request.config)
        hold, settled = mend.hold(provider, say if opt("--hadrill-wait") else None)
    except LabBusy as exc:
        pytest.exit(f"hadrill: {exc}", returncode=2)
    if settled:
        progress.say_uncaptured(request.config, settled)    # what was done to the lab, seen
    was_up = provider.was_made()
    if hold is not None:
        hold.record(brought_up=not was_up)
    try:
        provider.up()
    except BaseException:   # a lab that failed to come up is not left half up, nor its record behind
        try:
            if not was_up:
                provider.down()
        finally:
            if hold is not None:
                hold.release()
        raise
    stays = was_up or bool(opt("--hadrill-keep-lab")) or not provider.capabilities.managed
    request.config.stash[LAB_STAYS_KEY] = stays
    yield provider
    if not was_up and not opt("--hadrill-keep-lab"):
        provider.down()
    elif not waiting.stopping():   # the lab stays: as the run found it, with no node a power cut left off
        power_on_any_off(provider, {})
    if hold is not None:
        hold.release()


def _give_secrets(provider: Provider, file: Path | None) -> None:
    """The secrets file read (and its mode checked) before anything boots; its values to the provider."""
    if file is None:
        return
    try:
        provider.use_secrets(load_file(file))
    except SecretsError as exc:
        pytest.exit(f"hadrill: {exc}", returncode=2)


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
    except (SecretsError, InventoryError) as exc:
        pytest.exit(f"hadrill: {exc}", returncode=2)


def _section(scenario: Any, step: Any) -> str:
    return f"{scenario.name} / {step.keyword} {step.name} (line {step.line_number})"


RUN_STARTED = time.monotonic()


def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    claims.begin(scenario.name)


def pytest_bdd_before_step(request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any,
                           step_func: Any) -> None:
    TRANSCRIPT.begin(_section(scenario, step))
    progress.step(scenario.name, step.keyword, step.name, RUN_STARTED)


# tryfirst: before allure closes the step, so the attachment lands in it
@pytest.hookimpl(tryfirst=True)
def pytest_bdd_after_step(request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any,
                          step_func: Any, step_func_args: Any) -> None:
    attachments.attach_commands(TRANSCRIPT.current())


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_step_error(request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any,
                          step_func: Any, step_func_args: Any, exception: Exception) -> None:
    redaction.exception(exception)
    attachments.attach_commands(TRANSCRIPT.current())
    if "nodes" in request.fixturenames and not request.config.getoption("--hadrill-plan"):
        lab, nodes = request.getfixturevalue("lab"), request.getfixturevalue("nodes")
        for name, node in nodes.items():
            attachments.attach_text(f"evidence from {name}", evidence.gather(lab, node))


Made = Generator[None, pytest.TestReport, pytest.TestReport]


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Made:
    """The report as made, with the test's verdicts on the book's claims in it and any secret in its
    failure text or captured output replaced (innermost: junit, allure and the terminal all read it after
    this)."""
    rep = yield
    verdicts = claims.taken()
    if rep.when == "call":
        claims.in_report(item, rep, verdicts, item.config.getoption("--hadrill-strict-claims"))
    redaction.report(rep)
    return rep
