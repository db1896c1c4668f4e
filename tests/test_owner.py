"""One run at a time on a lab; a lab whose run died is found, and settled before it is used again."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from harness.lab import mend, owner


@pytest.fixture(autouse=True)
def _state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HADRILL_STATE", str(tmp_path))


def _run_holding(lab: str, then: str) -> subprocess.Popen[str]:
    """Another process that takes the lab, says so, then waits (`then`: what it does next)."""
    code = (f"import sys; from harness.lab.owner import Ownership; o = Ownership('uml', {lab!r}); o.take(); "
            f"o.record(True); print('held', flush=True); sys.stdin.readline(); {then}")
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_run_on_a_held_lab_is_refused_naming_the_holder() -> None:
    other = _run_holding("lab1", "o.release()")
    with pytest.raises(owner.LabBusy, match=rf"lab lab1 is in use by hadrill run PID {other.pid} "):
        owner.Ownership("uml", "lab1").take()
    holder = owner.holder("lab1")
    assert holder is not None and holder.pid == other.pid
    assert owner.Ownership("uml", "lab2").take() is None, "another lab is free"
    other.communicate("\n", timeout=10)
    assert owner.holder("lab1") is None and owner.left_by_dead_runs() == []
    assert owner.Ownership("uml", "lab1").take() is None, "a run that ended leaves no record"


def test_a_killed_run_leaves_its_record_and_the_next_run_finds_it() -> None:
    other = _run_holding("lab1", "")
    other.kill()
    other.wait(10)
    assert owner.holder("lab1") is None, "a dead run holds nothing"
    [left] = owner.left_by_dead_runs()
    assert (left.pid, left.kind, left.lab, left.brought_up) == (other.pid, "uml", "lab1", True)
    mine = owner.Ownership("uml", "lab1")
    assert mine.take() == left
    mine.record(brought_up=False)
    mine.release()
    assert owner.left_by_dead_runs() == []


def test_a_dead_runs_lab_that_is_already_down_is_only_forgotten() -> None:
    other = _run_holding("gone", "")
    other.kill()
    other.wait(10)
    [line] = mend.settle_dead_runs({other.pid})
    assert line.endswith("already down") and f"PID {other.pid}" in line
    assert owner.left_by_dead_runs() == []


def test_only_the_killed_sessions_labs_are_settled() -> None:
    other = _run_holding("gone", "")
    other.kill()
    other.wait(10)
    assert mend.settle_dead_runs({other.pid + 1}) == []
    assert len(owner.left_by_dead_runs()) == 1
