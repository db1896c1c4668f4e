"""Sessions side by side take turns on the machine for their measured faults.

Two labs on one machine share its cores: a failover measured while the other lab formats a disk or boots a
node is measured on a starved machine (a node's readings stall, Heartbeat's deadtime runs out on a live peer).
So each scenario of a session holds the machine shared, and a scenario's measured part (from its workload or
its first fault to its last step, or to the point where a step gives it back) holds it alone: it waits until
the other sessions' running scenarios end, and theirs wait until it ends. Its teardown (faults undone, nodes
brought back, the audits) is not timed and shares the machine again. A turnstile taken on the way in keeps a
waiting measured part from being passed by scenarios that arrive after it.

The locks are flock(2) locks on two files of the machine's lock folder (one machine, one set, whatever each
run's state folder): the kernel drops them when a session dies, so a crashed one never holds the machine.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from harness import paths

SHARED, ALONE, NONE = "shared", "alone", "none"


def folder() -> Path:
    return paths.lock_dir() / "turns"


class MachineTurn:
    """This session's hold on the machine for the scenario running now."""

    def __init__(self, where: Path | None = None):
        self.where = where or folder()
        self.held = NONE
        self._room: int | None = None
        self.waited_s = 0.0       # since the last new_account: waiting for the others
        self.alone_s = 0.0        # since the last new_account: holding the machine alone
        self._alone_at: float | None = None

    def new_account(self) -> None:
        """Start counting the seconds waited and held alone afresh (a new scenario)."""
        self.waited_s = self.alone_s = 0.0

    def share(self) -> float:
        """Hold the machine beside other sessions' scenarios; the seconds waited for a measured part."""
        return self._take(fcntl.LOCK_SH, SHARED)

    def alone(self) -> float:
        """Hold the machine alone (from shared or from nothing); the seconds waited for the others."""
        if self.held == ALONE:
            return 0.0
        self.release()
        return self._take(fcntl.LOCK_EX, ALONE)

    def share_again(self) -> float:
        """From alone back to shared once the measured part is over: what is left of the scenario runs beside
        the others'. The seconds waited: flock(2) drops the lock before it takes the shared one, so a
        measured part waiting elsewhere may take the machine in between, and this one waits for its end."""
        if self.held != ALONE or self._room is None:
            return 0.0
        started = time.monotonic()
        self._end_alone(started)
        fcntl.flock(self._room, fcntl.LOCK_SH)
        self.held = SHARED
        waited = time.monotonic() - started
        self.waited_s += waited
        return waited

    def release(self) -> None:
        self._end_alone(time.monotonic())
        if self._room is not None:
            os.close(self._room)     # closing the file drops its lock
        self._room, self.held = None, NONE

    def _take(self, mode: int, held: str) -> float:
        started = time.monotonic()
        self.where.mkdir(parents=True, exist_ok=True)
        turnstile = _open(self.where / "turnstile.lock")
        try:
            fcntl.flock(turnstile, fcntl.LOCK_EX)
            room = _open(self.where / "room.lock")
            try:
                fcntl.flock(room, mode)
            except BaseException:
                os.close(room)
                raise
        finally:
            os.close(turnstile)
        self._room, self.held = room, held
        now = time.monotonic()
        self.waited_s += now - started
        if held == ALONE:
            self._alone_at = now
        return now - started

    def _end_alone(self, now: float) -> None:
        if self._alone_at is not None:
            self.alone_s += now - self._alone_at
            self._alone_at = None


def _open(path: Path) -> int:
    return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
