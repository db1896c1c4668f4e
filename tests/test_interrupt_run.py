"""A run stopped half-way on the embedded lab, while Heartbeat's cluster cable is pulled, the canary writes
and (by hand, as a second fault) the survivor is frozen:

- Ctrl-C (SIGINT to `hadrill run`): within its bound the run ends with 130, and nothing of the lab is left
  (no process in its namespace, no namespace, no owner record); reports/ holds the steps so far.
- SIGKILL to `hadrill run` and its session (a crash): the lab is left in an unknown state, its owner's record
  behind; the next `hadrill run` on that lab sweeps it first and passes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from harness.cli.sessions import STOP_WITHIN_S
from harness.lab import owner
from harness.lab.providers import netns
from harness.waiting import eventually

pytestmark = [pytest.mark.lab, pytest.mark.slow]
ROOT = Path(__file__).resolve().parent.parent
LAB = "tstop"
CUT = "(uml provider) cut link vm01"
SWEEP_S = 15.0    # the forced path's sweep, after the sessions' bound


def _hadrill(reports: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "harness.cli", *args], cwd=ROOT, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "HADRILL_REPORTS": str(reports)}, process_group=0)


def _cable_cut(reports: Path) -> bool:
    transcript = reports / "transcript.jsonl"
    return transcript.exists() and CUT in transcript.read_text(errors="replace")


def _mid_fault(reports: Path) -> tuple[subprocess.Popen[str], list[int]]:
    """`hadrill run` of the cable cut, waited for until the cable is out; vm02 frozen as well; the PIDs
    in the lab's namespace then (its nodes, BMCs, the canary)."""
    run = _hadrill(reports, "run", "--name", LAB, "heartbeat", "--", "-k", "standby or cable")
    eventually(lambda: _cable_cut(reports) or run.poll() is not None, bool, timeout=1200,
               describe="the cluster cable pulled by the run")
    assert run.poll() is None, f"the run ended before the fault: {run.communicate()[0][-3000:]}"
    froze = subprocess.run([sys.executable, "-m", "harness.cli", "lab", "fault", "--name", LAB, "freeze",
                            "vm02"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert froze.returncode == 0, froze.stderr
    pids = netns.pids(netns.ns_name(LAB))
    assert pids, "no process in the lab's namespace"
    return run, pids


def _alive(pids: list[int]) -> list[int]:
    """The PIDs still running (a zombie has ended: it waits only for its new parent, init, to reap it)."""
    alive = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state != "Z":
            alive.append(pid)
    return alive


@pytest.fixture
def lab_left_down() -> object:
    yield None
    subprocess.run([sys.executable, "-m", "harness.cli", "lab", "down", "--name", LAB], cwd=ROOT,
                   capture_output=True, timeout=300)


def test_ctrl_c_mid_fault_undoes_and_takes_the_lab_down(tmp_path: Path, lab_left_down: object) -> None:
    run, pids = _mid_fault(tmp_path)
    started = time.monotonic()
    run.send_signal(signal.SIGINT)
    out, _ = run.communicate(timeout=STOP_WITHIN_S + SWEEP_S + 60)
    took = time.monotonic() - started
    print(f"stopped in {took:.1f} s; {len(pids)} processes were in the lab's namespace")
    assert run.returncode == 130, out[-3000:]
    assert took <= STOP_WITHIN_S + SWEEP_S, f"the run took {took:.1f} s to stop"
    assert _alive(pids) == [], f"left running: {_alive(pids)}"
    assert not netns.exists(netns.ns_name(LAB))
    assert owner.holder(LAB) is None and owner.left_by_dead_runs() == []
    lines = (tmp_path / "transcript.jsonl").read_text().splitlines()
    commands = [json.loads(line)["command"] for line in lines]
    assert CUT in commands and "(uml provider) undo: restore link vm01" in commands
    results = [json.loads(p.read_text()) for p in (tmp_path / "allure-results").glob("*-result.json")]
    assert any(r["status"] == "passed" and "standby" in r["name"] for r in results), "the scenario before"


def test_a_killed_run_is_swept_by_the_next_one(tmp_path: Path, lab_left_down: object) -> None:
    run, pids = _mid_fault(tmp_path / "killed")
    held = owner.holder(LAB)
    assert held is not None
    for pid in (run.pid, held.pid):     # the run, then its session: a crash of both
        os.kill(pid, signal.SIGKILL)
    run.wait(30)
    eventually(lambda: owner.holder(LAB), lambda h: h is None, timeout=30, describe="the session dead")
    assert _alive(pids), "the lab went down with the killed run: nothing left to find"
    [left] = owner.left_by_dead_runs()
    assert (left.pid, left.lab, left.brought_up) == (held.pid, LAB, True)
    again = _hadrill(tmp_path / "next", "run", "--name", LAB, "lab")
    out, _ = again.communicate(timeout=1200)
    assert again.returncode == 0, out[-3000:]
    assert f"lab {LAB} (left by hadrill run PID {held.pid}" in out and "swept" in out, out[-3000:]
    assert _alive(pids) == [], "the dead run's lab was reused"
    assert owner.left_by_dead_runs() == []
