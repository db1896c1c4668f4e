"""Host processes the lab started: found by recorded process group, checked, and stopped by PID."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Started:
    """A process the lab started: its PID (= its process group), start time and program, against reuse."""

    pid: int
    start_ticks: int
    exe: str

    def to_json(self) -> dict[str, int | str]:
        return {"pid": self.pid, "start_ticks": self.start_ticks, "exe": self.exe}


def _stat_fields(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2:].split()  # fields after "pid (comm) "


def start_ticks(pid: int) -> int | None:
    """The process's start time in clock ticks since boot (field 22 of /proc/PID/stat)."""
    fields = _stat_fields(pid)
    return int(fields[19]) if fields else None


def exe_of(pid: int) -> str:
    try:
        return os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return ""


def record(pid: int, exe: str) -> Started:
    ticks = start_ticks(pid)
    if ticks is None:
        raise ProcessLookupError(f"process {pid} ended before it could be recorded")
    return Started(pid, ticks, exe)


def await_exec(pid: int, exe: str, timeout: float = 5.0) -> Started:
    """Wait until a launcher (`ip netns exec`) has become `exe`, then record the process by it."""
    deadline = time.monotonic() + timeout
    while exe_of(pid) != exe:
        if not alive(pid) or time.monotonic() > deadline:
            runs = exe_of(pid) or "nothing"
            raise ProcessLookupError(f"process {pid} did not become {exe} (it runs {runs})")
        time.sleep(0.005)
    return record(pid, exe)


def members(group: Started) -> list[int]:
    """PIDs still in the recorded process group that run its program (a reused PGID matches nothing)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        fields = _stat_fields(pid)
        in_group = fields is not None and int(fields[2]) == group.pid and int(fields[19]) >= group.start_ticks
        if in_group and exe_of(pid) == group.exe:
            found.append(pid)
    return found


def signal_group(group: Started, sig: int) -> list[int]:
    """Send `sig` to each member of the group, by PID; returns the PIDs signalled."""
    pids = members(group)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
    return pids


def kill_group(group: Started, timeout: float = 10.0) -> None:
    """SIGKILL every member until none is left (a pulled plug); raises if some survive."""
    deadline = time.monotonic() + timeout
    while signal_group(group, signal.SIGKILL):
        if time.monotonic() > deadline:
            raise TimeoutError(f"processes of group {group.pid} survive SIGKILL: {members(group)}")
        time.sleep(0.05)


def kill_pids(pids: list[int], timeout: float = 10.0) -> None:
    """SIGKILL these PIDs (already known to be the lab's own) and wait until they are gone."""
    deadline = time.monotonic() + timeout
    while live := [p for p in pids if alive(p)]:
        for pid in live:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if time.monotonic() > deadline:
            raise TimeoutError(f"processes survive SIGKILL: {live}")
        time.sleep(0.05)


def stopped(pid: int) -> bool:
    """True if the process is in the stopped state (SIGSTOP)."""
    fields = _stat_fields(pid)
    return fields is not None and fields[0] in ("T", "t")


def alive(pid: int) -> bool:
    fields = _stat_fields(pid)
    return fields is not None and fields[0] != "Z"
