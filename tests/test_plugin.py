"""The pytest plugin, in a project of its own (pytester): strict steps, options."""

from __future__ import annotations

import pytest

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
