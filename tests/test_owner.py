"""One run at a time on a lab; a lab whose run died is found, and settled before it is used again."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from harness.lab import mend, owner
from harness.lab.providers import netns

ROOT = Path(__file__).resolve().parent.parent


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


def test_a_run_on_a_lab_another_run_holds_is_refused_at_once(tmp_path: Path) -> None:
    """`hadrill run --name L` while a run holds L: exit 2 before anything boots, naming the holder (here,
    this test's process holds it)."""
    hold = owner.Ownership("uml", "theld")
    hold.take()
    hold.record(brought_up=True)
    try:
        done = subprocess.run([sys.executable, "-m", "harness.cli", "run", "--name", "theld", "--reports",
                               str(tmp_path / "reports"), "lab"], cwd=ROOT, capture_output=True, text=True,
                              timeout=300)
    finally:
        hold.release()
    assert done.returncode == 2, done.stdout[-2000:] + done.stderr[-2000:]
    assert f"lab theld is in use by hadrill run PID {os.getpid()}" in done.stdout + done.stderr
    assert "theld" not in netns.list_namespaces() and not any("theld" in n for n in netns.list_namespaces())


def test_a_run_told_to_wait_takes_the_lab_when_the_holder_ends() -> None:
    other = _run_holding("lab1", "o.release()")
    said: list[str] = []
    mine = owner.Ownership("uml", "lab1")
    taking = threading.Thread(target=mine.take, args=(said.append,), daemon=True)
    taking.start()
    taking.join(0.5)
    assert taking.is_alive(), "the lab was taken while another run held it"
    holder = owner.holder("lab1")
    assert holder is not None and holder.pid == other.pid
    assert said == [f"lab lab1 is in use by {holder.said()}: waiting for it to end (--wait)"]
    other.communicate("\n", timeout=10)
    taking.join(10)
    assert not taking.is_alive()
    mine.release()
