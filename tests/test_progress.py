"""Progress lines: a person at a terminal sees each step start; a CI log does not."""

from __future__ import annotations

import time

import pytest

from harness import progress


def test_a_step_is_shown_on_a_terminal(capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "interactive", lambda: True)
    progress.step("7.2 (6) create-md", "When", "create-md is run", time.monotonic() - 75)
    assert capsys.readouterr().err == "hadrill: [01:15] 7.2 (6) create-md / When create-md is run\n"


def test_a_ci_log_gets_no_step_lines(capsys: pytest.CaptureFixture[str]) -> None:
    progress.step("7.2 (6) create-md", "When", "create-md is run", time.monotonic())
    assert capsys.readouterr().err == ""   # stderr is no terminal under pytest
