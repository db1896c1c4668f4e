"""Which run holds a lab: one run at a time, and a lab whose run died is found.

A run takes its lab's owner file (state folder/owners/NAME.lock) with an flock(2) lock held until it ends,
and writes in it who it is (PID, kind, lab, whether it brought the lab up). A second run on the same lab
finds the lock held and is refused with the holder's PID. A run that ends clears the file; a run that was
killed leaves its record behind with the lock free (the kernel dropped it with the process): the next run
on that lab, or the `hadrill run` that killed it, knows the lab is in an unknown state and mends or sweeps
it (harness/lab/mend.py).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from harness import paths


class LabBusy(RuntimeError):
    """Another live run holds the lab."""


@dataclass(frozen=True)
class Record:
    pid: int
    kind: str           # the provider's name: uml, vagrant
    lab: str
    brought_up: bool    # the run booted the lab (else it found it up, kept by an earlier run or by hand)
    since: float        # epoch seconds

    def said(self) -> str:
        started = time.strftime("%H:%M:%S", time.localtime(self.since))
        return f"hadrill run PID {self.pid} (since {started})"


def folder() -> Path:
    return paths.state_dir() / "owners"


def _path(lab: str) -> Path:
    return folder() / f"{paths.checked_name(lab, 'a lab name')}.lock"


def _read(fd: int) -> Record | None:
    os.lseek(fd, 0, os.SEEK_SET)
    raw = os.read(fd, 4096)
    try:
        return Record(**json.loads(raw)) if raw.strip() else None
    except (ValueError, TypeError):
        return None


class Ownership:
    """This run's hold on one lab, from take() to release()."""

    def __init__(self, kind: str, lab: str):
        self.kind, self.lab = kind, lab
        self._fd: int | None = None

    def take(self, wait: Callable[[str], None] | None = None) -> Record | None:
        """Hold the lab; the record a dead run left, if one did. A live run holding it: LabBusy, or with
        `wait`, wait[who holds it] is called and the lab waited for (Ctrl-C ends the wait)."""
        folder().mkdir(parents=True, exist_ok=True)
        fd = os.open(_path(self.lab), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read(fd)
            who = holder.said() if holder else "another hadrill run"
            if wait is None:
                os.close(fd)
                raise LabBusy(f"lab {self.lab} is in use by {who}; stop that run first, wait for it "
                              "(--wait), or give this run another --name") from None
            wait(f"lab {self.lab} is in use by {who}: waiting for it to end (--wait)")
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
            except BaseException:
                os.close(fd)
                raise
        self._fd = fd
        return _read(fd)

    def record(self, brought_up: bool) -> None:
        """Say in the owner file who holds the lab (before the lab is brought up)."""
        assert self._fd is not None, "record() before take()"
        data = json.dumps(asdict(Record(os.getpid(), self.kind, self.lab, brought_up, time.time())))
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, data.encode(), 0)

    def release(self) -> None:
        """The run ended: the record cleared, the lock dropped."""
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(self._fd, 0)
        os.close(self._fd)
        self._fd = None


@contextlib.contextmanager
def _opened(path: Path, lock: int) -> Iterator[tuple[int, bool]]:
    """An owner file opened, and whether the lock (LOCK_SH or LOCK_EX) was had at once; closed after (which
    drops the lock)."""
    fd = os.open(path, os.O_RDWR | os.O_CLOEXEC)
    try:
        try:
            fcntl.flock(fd, lock | fcntl.LOCK_NB)
            free = True
        except BlockingIOError:
            free = False
        yield fd, free
    finally:
        os.close(fd)


def holder(lab: str) -> Record | None:
    """The live run holding the lab, if one does (a dead run's record is not a holder)."""
    path = _path(lab)
    if not path.exists():
        return None
    with _opened(path, fcntl.LOCK_SH) as (fd, free):
        return None if free else (_read(fd) or Record(0, "", lab, False, 0.0))


def left_by_dead_runs() -> list[Record]:
    """The records of runs that died holding a lab (the lock free, the record still there)."""
    if not folder().is_dir():
        return []
    found = []
    for path in sorted(folder().glob("*.lock")):
        with _opened(path, fcntl.LOCK_EX) as (fd, free):
            rec = _read(fd) if free else None
        if rec is not None:
            found.append(rec)
    return found


def clear(lab: str) -> None:
    """Forget a dead run's record once its lab is mended or swept (never a live run's: it holds the lock)."""
    path = _path(lab)
    if path.exists():
        with _opened(path, fcntl.LOCK_EX) as (fd, free):
            if free:
                os.ftruncate(fd, 0)
