"""The pytest plugin, in a project of its own (pytester): strict steps, options; a scenario skipped where the
provider cannot inject its fault."""

from __future__ import annotations

import json
from typing import cast

import pytest

from harness.lab.providers.base import Capabilities, Provider
from harness.scenario import need_capability

pytest_plugins = ["pytester"]

FEATURE = """Feature: F
  Scenario: S
    Given a defined step
    Then a step nobody wrote
"""

STEPS = """
from pytest_bdd import given, scenarios

scenarios("f.feature")

@given("a defined step")
def _():
    pass
"""


def test_undefined_step_fails_collection_with_file_and_line(pytester: pytest.Pytester) -> None:
    pytester.makefile(".feature", f=FEATURE)
    pytester.makepyfile(test_f=STEPS)
    result = pytester.runpytest("-p", "harness.plugin")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*f.feature:4: undefined step: Then a step nobody wrote*"])


def test_defined_steps_collect_and_run(pytester: pytest.Pytester) -> None:
    pytester.makefile(".feature", f=FEATURE.replace("    Then a step nobody wrote\n", ""))
    pytester.makepyfile(test_f=STEPS)
    result = pytester.runpytest("-p", "harness.plugin")
    result.assert_outcomes(passed=1)


def test_options_are_registered(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("-p", "harness.plugin", "--help")
    result.stdout.fnmatch_lines(["*--hadrill-topology=*", "*--hadrill-keep-lab*"])


def test_a_fault_the_provider_cannot_inject_skips_naming_the_capability() -> None:
    class Hosts:
        name = "ssh"
        capabilities = Capabilities(power=False, cut_link=True)

    hosts = cast(Provider, Hosts())
    need_capability(hosts, "cut_link", "pull a node's cluster cable")       # can: no skip
    with pytest.raises(pytest.skip.Exception, match=r"the ssh provider cannot cut a node's power "
                                                    r"\(no 'power' capability\)"):
        need_capability(hosts, "power", "cut a node's power")


CLAIM_FEATURE = """Feature: F
  Scenario: S
    Then the book's claim is judged
"""

CLAIM_STEPS = """
from pytest_bdd import then, scenarios
from harness.verdicts import claims

scenarios("f.feature")

@then("the book's claim is judged")
def _():
    claims.judge("test_s", "the VIP moves", False, "the VIP stayed on vm01")
"""


@pytest.mark.parametrize(("strict", "outcome"), [(False, "passed"), (True, "failed")])
def test_a_claim_not_held_is_in_the_junit_and_fails_only_strict_runs(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, strict: bool, outcome: str) -> None:
    pytester.makefile(".feature", f=CLAIM_FEATURE)
    pytester.makepyfile(test_f=CLAIM_STEPS)
    monkeypatch.setenv("HADRILL_REPORTS", str(pytester.path / "reports"))
    options = ["--hadrill-strict-claims"] if strict else []
    result = pytester.runpytest("-p", "harness.plugin", "--junitxml=j.xml", *options)
    result.assert_outcomes(**{outcome: 1})
    junit = (pytester.path / "j.xml").read_text()
    assert 'name="book\'s claim" value="not held: the VIP moves"' in junit
    recorded = json.loads((pytester.path / "reports" / "claims.jsonl").read_text())
    assert (recorded["scenario"], recorded["title"]) == ("test_s", "S")   # the runbook finds it by the title
    if strict:
        result.stdout.fnmatch_lines(["*the book's claim \"the VIP moves\" was not held: the VIP stayed on*"])
