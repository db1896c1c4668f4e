"""Every step of every feature is bound to exactly one step definition. Step definitions are global: a
pattern that also matches another area's words (`{name} holds none of it` matched "Heartbeat moves nothing:
..., vm02 holds none of it") binds a scenario to whichever module pytest-bdd happens to take, with no
error; a step no definition matches is caught by the plan."""

from __future__ import annotations

import importlib
from pathlib import Path

from pytest_bdd.feature import get_features
from pytest_bdd.steps import StepFunctionContext, step_function_context_registry

ROOT = Path(__file__).resolve().parents[1]


def _definitions() -> list[StepFunctionContext]:
    conftest = importlib.import_module("conftest")
    for module in conftest.pytest_plugins:
        if module.startswith("steps."):
            importlib.import_module(module)
    return list(step_function_context_registry.values())


def _bindings() -> dict[str, list[str]]:
    """Each feature step's words (a scenario outline's with each example) -> the modules whose step
    definitions match them."""
    definitions, bound = _definitions(), {}
    for feature in get_features([str(p) for p in sorted((ROOT / "features").rglob("*.feature"))]):
        for template in feature.scenarios.values():
            for example in [c for ex in template.examples for c in ex.as_contexts()] or [{}]:
                for step in template.render(example).steps:
                    where = f"{feature.rel_filename}: {step.type} {step.name}"
                    bound[where] = [d.step_func.__module__ for d in definitions
                                    if d.type in (step.type, None) and d.parser.is_matching(step.name)]
    return bound


def test_every_feature_step_matches_exactly_one_definition() -> None:
    bound = _bindings()
    assert len(bound) > 500
    wrong = {step: modules for step, modules in bound.items() if len(modules) != 1}
    assert wrong == {}
