"""The pytest sessions of one `hadrill run` (one per topology or part of one, each with its own lab): one
after the other, or side by side on a machine with the cores and memory for it, each session's output then
kept in reports/pytest-<label>.log and printed whole once it ends."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from harness.lab import mend

MEMORY_PER_LAB_GIB = 4        # the rhcs lab's three nodes take about 3 GiB; the drbd lab's two, 1
PR_SET_PDEATHSIG = 1               # prctl(2)
RUN_PID_VAR = "HADRILL_RUN_PID"   # a session stops (SIGTERM) when the run that started it dies
STOP_WITHIN_S = 15.0          # a stopped session undoes its faults and takes its lab down in this long
STOP_HOSTS_WITHIN_S = 60.0    # on an inventory's hosts, undoing a fault may take longer (a real link)


class Stopped(KeyboardInterrupt):
    """Ctrl-C or SIGTERM: the run stops; its exit status is 128 + the signal's number."""

    def __init__(self, signum: int = signal.SIGINT):
        super().__init__(f"signal {signum}")
        self.signum = signum


@dataclass
class Session:
    label: str          # the topology's name, or a part's (drbd-2)
    argv: list[str]
    stop_within_s: float = STOP_WITHIN_S
    own_group: bool = True    # False under a debugger (--pdb): it reads the terminal, so it stays in front


def _terminate_as_interrupt(signum: int, _frame: object) -> None:
    raise Stopped(signum)   # the teardowns run: faults undone, a lab being made or used taken down


def stop_like_ctrl_c_on_sigterm() -> None:
    """SIGTERM stops hadrill, or a session, as Ctrl-C does (pytest's teardown runs; by default it would
    not)."""
    signal.signal(signal.SIGTERM, _terminate_as_interrupt)


def stop_with_the_run() -> None:
    """In a session `hadrill run` started: SIGTERM when that run dies, even by SIGKILL (prctl(2)'s
    PR_SET_PDEATHSIG); the variable is not passed on to the session's own children."""
    run_pid = os.environ.pop(RUN_PID_VAR, "")
    if not run_pid.isdigit():
        return
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != int(run_pid):    # the run died before the line above
        os.kill(os.getpid(), signal.SIGTERM)


def default_jobs() -> int:
    """How many sessions run at once: one per core, as memory allows."""
    pages, page_size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
    by_memory = max(1, (pages * page_size >> 30) // MEMORY_PER_LAB_GIB)
    return max(1, min(os.cpu_count() or 1, by_memory))


NOTHING_SELECTED = 5     # pytest's exit status when no test was collected (or all were deselected)


def run_all(sessions: list[Session], jobs: int, logs: Path) -> int:
    """Run the sessions, at most `jobs` at once; their exit statuses combined (combined())."""
    if jobs <= 1 or len(sessions) <= 1:
        return combined([_in_front(s) for s in sessions])
    return combined(_side_by_side(sessions, jobs, logs))


def combined(statuses: list[int]) -> int:
    """The run's exit status: the worst of the sessions that ran something (a `-k` may select scenarios
    of one topology only: the other session selected nothing, and that is no failure); 5 if none did."""
    ran = [s for s in statuses if s != NOTHING_SELECTED]
    return max(ran) if ran else (NOTHING_SELECTED if statuses else 0)


def _spawn(session: Session, out: IO[bytes] | None = None) -> subprocess.Popen[bytes]:
    """A session in a process group of its own: a Ctrl-C on the terminal reaches hadrill only, which
    passes it on once (a second one, during pytest's teardown, would cut the teardown short)."""
    env = {**os.environ, RUN_PID_VAR: str(os.getpid())}
    group = 0 if session.own_group else None
    if out is None:
        return subprocess.Popen(session.argv, process_group=group, env=env)
    return subprocess.Popen(session.argv, process_group=group, env=env, stdout=out, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)


def _in_front(session: Session) -> int:
    child = _spawn(session)
    try:
        return child.wait()
    except KeyboardInterrupt as exc:
        stop([(session, child)], exc)
        raise


@dataclass
class _Running:
    session: Session
    child: subprocess.Popen[bytes]
    out: IO[bytes]
    log: Path


def _start(session: Session, logs: Path) -> _Running:
    log = logs / f"pytest-{session.label}.log"
    out = open(log, "wb")   # noqa: SIM115 - closed by _finish
    child = _spawn(session, out)
    print(f"hadrill: the {session.label} lab's session runs (PID {child.pid}; output: {log})",
          file=sys.stderr, flush=True)
    return _Running(session, child, out, log)


def _finish(run: _Running) -> int:
    """The session's output, printed whole now that it ended; its exit status."""
    run.out.close()
    sys.stdout.write(run.log.read_text(errors="replace"))
    sys.stdout.flush()
    return run.child.returncode


def _side_by_side(sessions: list[Session], jobs: int, logs: Path) -> list[int]:
    waiting, running, statuses = list(sessions), list[_Running](), list[int]()
    logs.mkdir(parents=True, exist_ok=True)
    try:
        while waiting or running:
            while waiting and len(running) < jobs:
                running.append(_start(waiting.pop(0), logs))
            for run in [r for r in running if r.child.poll() is not None]:
                running.remove(run)
                statuses.append(_finish(run))
            time.sleep(0.5)
    except KeyboardInterrupt as exc:
        stop([(r.session, r.child) for r in running], exc)
        for run in running:
            run.out.close()
            print(f"hadrill: the {run.session.label} lab's session's output: {run.log}", file=sys.stderr)
        raise
    return statuses


def stop(children: Sequence[tuple[Session, subprocess.Popen[Any]]], why: KeyboardInterrupt) -> None:
    """The signal passed on to every running session (by its PID): each undoes its faults and takes its
    lab down. One that has not ended in its time, or all on a second Ctrl-C, is killed, and the labs it
    held are swept or mended here (harness/lab/mend.py)."""
    signum = why.signum if isinstance(why, Stopped) else signal.SIGINT
    live = [(s, c) for s, c in children if c.poll() is None]
    for _, child in live:
        child.send_signal(signum)
    if live:
        print(f"hadrill: stopping: each session undoes its faults and takes its lab down "
              f"(within {max(s.stop_within_s for s, _ in live):.0f} s; Ctrl-C again to force)",
              file=sys.stderr, flush=True)
    started, killed = time.monotonic(), set()
    try:
        for session, child in live:
            left = session.stop_within_s - (time.monotonic() - started)
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=max(0.1, left))
    except KeyboardInterrupt:
        print("hadrill: forced", file=sys.stderr, flush=True)
    for _, child in live:
        if child.poll() is None:
            child.kill()
            child.wait()
            killed.add(child.pid)
    for line in mend.settle_dead_runs(killed) if killed else []:
        print(f"hadrill: {line}", file=sys.stderr, flush=True)
