"""The plan's side of the pytest plugin: with --hadrill-plan FILE every scenario runs dry (harness.plan)."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest

from harness import waiting
from harness.plan.dryrun import PlanRecorder
from harness.report.transcript import TRANSCRIPT


def planning(config: pytest.Config) -> bool:
    return config.getoption("--hadrill-plan", None) is not None


def pytest_configure(config: pytest.Config) -> None:
    if planning(config):
        config.pluginmanager.register(PlanHooks(Path(config.getoption("--hadrill-plan"))), "hadrill-plan")


class PlanHooks:
    """Scenario and step starts, skips and stops written to the plan; saved at the end of the session."""

    def __init__(self, out: Path):
        self.out = out
        self.recorder = PlanRecorder()
        waiting.start_dry_run()
        TRANSCRIPT.path = None
        TRANSCRIPT.listeners.append(self.recorder.command)
        self._steps_go_on_after_errors()

    def _steps_go_on_after_errors(self) -> None:
        """A step stopped by an empty answer is noted; the scenario's next step is planned all the same."""
        scenario_module = importlib.import_module("pytest_bdd.scenario")
        call = scenario_module.call_fixture_func
        recorder = self.recorder

        def call_dry(fixturefunc: Any, request: Any, kwargs: Any) -> Any:
            try:
                return call(fixturefunc=fixturefunc, request=request, kwargs=kwargs)
            except (Exception, pytest.fail.Exception) as exc:
                recorder.stopped(exc)
                return None

        scenario_module.call_fixture_func = call_dry  # type: ignore[attr-defined]

    def pytest_bdd_before_scenario(self, request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
        path = Path(feature.filename)
        shown = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
        tags = sorted(set(feature.tags) | set(scenario.tags))
        self.recorder.scenario(str(shown), feature.name, scenario.name, feature.description, tags,
                               _background_steps(feature, scenario))

    def pytest_bdd_before_step(self, request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any,
                               step_func: Any) -> None:
        self.recorder.step(step.keyword, step.name)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.skipped:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
            self.recorder.skipped(reason.removeprefix("Skipped: "))
        elif report.failed:     # a step's own error is noted where it stops; this is outside any step
            said = [line for line in report.longreprtext.splitlines() if line.startswith("E ")]
            self.recorder.unplanned((said[-1][1:].strip() if said else report.when) or "an error")

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self.recorder.save(self.out)


def _background_steps(feature: Any, scenario: Any) -> int:
    """How many of the scenario's first steps come from its feature's (and rule's) Background."""
    rule = getattr(scenario, "rule", None)
    return sum(len(b.steps) for b in (feature.background, rule.background if rule else None) if b)
