"""The features' @destructive and @disruptive tags are truthful: every scenario whose plan (its steps run
dry on the embedded labs) has a destructive command is tagged @destructive, one with a disruptive command
@disruptive or @destructive (which implies it), so `-m "not destructive"` and `-m "not disruptive"` leave
them out. The plan sees up to where a step depends on the nodes' answers: a tag may go further than it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest

from harness.cli import targets

ROOT = Path(__file__).parent.parent
Plan = list[dict[str, Any]]


@pytest.fixture(scope="module")
def plan() -> Plan:
    every_area_on_its_own_lab = argparse.Namespace(areas=[], topology=None, provider="uml", inventory=None)
    return targets.planned(every_area_on_its_own_lab, ROOT)


def _kinds(scenario: dict[str, Any]) -> set[str]:
    return {c["kind"] for step in scenario["steps"] for c in step["commands"]}


def test_every_scenario_of_every_area_is_planned(plan: Plan) -> None:
    assert len(plan) >= 40
    assert [sc["name"] for sc in plan if sc.get("unplanned")] == []


def test_a_scenario_with_a_destructive_command_is_tagged_destructive(plan: Plan) -> None:
    untagged = [f"{sc['feature']}: {sc['name']}" for sc in plan
                if "destructive" in _kinds(sc) and "destructive" not in sc["tags"]]
    assert untagged == []


def test_a_scenario_with_a_disruptive_command_is_tagged_disruptive(plan: Plan) -> None:
    untagged = [f"{sc['feature']}: {sc['name']}" for sc in plan
                if "disruptive" in _kinds(sc) and not {"disruptive", "destructive"} & set(sc["tags"])]
    assert untagged == []
