"""`hadrill run` stopped: the signal passed on once to each session, which gets its time to tear down; one
that does not end is killed and the lab it held settled (here, stand-in sessions: the whole run on a lab is
tests/test_interrupt_run.py)."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from harness.cli.sessions import Session, Stopped, stop
from harness.lab import owner

TEARDOWN = """
import signal, sys, time
from pathlib import Path
got = []
signal.signal(signal.SIGINT, lambda s, f: got.append(s))
signal.signal(signal.SIGTERM, lambda s, f: got.append(s))
print('ready', flush=True)
while not got:
    time.sleep(0.01)
Path(sys.argv[1]).write_text(str(got))
sys.exit(128 + got[0])
"""

DEAF = """
import signal, sys
from harness.lab.owner import Ownership
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
o = Ownership('uml', 'gone'); o.take(); o.record(True)
print('ready', flush=True)
sys.stdin.read()
"""


def _session(code: str, *args: str, within: float = 10.0) -> tuple[Session, subprocess.Popen[str]]:
    session = Session("stand-in", [sys.executable, "-c", code, *args], within)
    child = subprocess.Popen(session.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                             process_group=0)
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    return session, child


@pytest.mark.parametrize(("why", "signum"), [(KeyboardInterrupt(), signal.SIGINT),
                                             (Stopped(signal.SIGTERM), signal.SIGTERM)])
def test_the_signal_is_passed_on_once_and_the_session_ends_on_its_own(
        tmp_path: Path, why: KeyboardInterrupt, signum: int) -> None:
    seen = tmp_path / "seen"
    session, child = _session(TEARDOWN, str(seen))
    stop([(session, child)], why)
    assert child.returncode == 128 + signum, "the session was killed instead of ending"
    assert seen.read_text() == f"[{int(signum)}]"


def test_a_session_that_does_not_end_in_its_time_is_killed_and_its_lab_settled(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("HADRILL_STATE", str(tmp_path))
    session, child = _session(DEAF, within=0.5)
    stop([(session, child)], KeyboardInterrupt())
    assert child.returncode == -signal.SIGKILL
    err = capsys.readouterr().err
    assert f"lab gone (left by hadrill run PID {child.pid}" in err and "already down" in err
    assert owner.left_by_dead_runs() == []
