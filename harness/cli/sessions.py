"""The pytest sessions of one `hadrill run` (one per topology or part of one, each with its own lab): one
after the other, or side by side on a machine with the cores and memory for it, each session's output then
kept in reports/pytest-<label>.log and printed whole once it ends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

MEMORY_PER_LAB_GIB = 4        # the rhcs lab's three nodes take about 3 GiB; the drbd lab's two, 1
STOP_TIMEOUT_S = 120.0        # a session stopped by Ctrl-C takes its lab down before it ends


@dataclass
class Session:
    label: str          # the topology's name, or a part's (drbd-2)
    argv: list[str]


def default_jobs() -> int:
    """How many sessions run at once: one per core, as memory allows."""
    pages, page_size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
    by_memory = max(1, (pages * page_size >> 30) // MEMORY_PER_LAB_GIB)
    return max(1, min(os.cpu_count() or 1, by_memory))


def run_all(sessions: list[Session], jobs: int, logs: Path) -> int:
    """Run the sessions, at most `jobs` at once; the worst exit status."""
    if jobs <= 1 or len(sessions) <= 1:
        return max((subprocess.call(s.argv) for s in sessions), default=0)
    return _side_by_side(sessions, jobs, logs)


@dataclass
class _Running:
    session: Session
    child: subprocess.Popen[bytes]
    out: IO[bytes]
    log: Path


def _start(session: Session, logs: Path) -> _Running:
    log = logs / f"pytest-{session.label}.log"
    out = open(log, "wb")   # noqa: SIM115 - closed by _finish
    child = subprocess.Popen(session.argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    print(f"hadrill: the {session.label} lab's session runs (PID {child.pid}; output: {log})",
          file=sys.stderr, flush=True)
    return _Running(session, child, out, log)


def _finish(run: _Running) -> int:
    """The session's output, printed whole now that it ended; its exit status."""
    run.out.close()
    sys.stdout.write(run.log.read_text(errors="replace"))
    sys.stdout.flush()
    return run.child.returncode


def _side_by_side(sessions: list[Session], jobs: int, logs: Path) -> int:
    waiting, running, status = list(sessions), list[_Running](), 0
    logs.mkdir(parents=True, exist_ok=True)
    try:
        while waiting or running:
            while waiting and len(running) < jobs:
                running.append(_start(waiting.pop(0), logs))
            for run in [r for r in running if r.child.poll() is not None]:
                running.remove(run)
                status = max(status, _finish(run))
            time.sleep(0.5)
    except KeyboardInterrupt:
        _stop([r.child for r in running])
        raise
    return status


def _stop(children: list[subprocess.Popen[bytes]]) -> None:
    """Ctrl-C to every running session (by its PID): each undoes its faults and takes its lab down."""
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGINT)
    deadline = time.monotonic() + STOP_TIMEOUT_S
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
