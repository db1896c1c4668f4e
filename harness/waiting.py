"""Waiting for a condition, never a bare sleep: a failure says what was awaited and what was seen."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

# A command run by a probe inside eventually() ends at the wait's deadline plus this grace, whatever its
# own limit: a probe on a frozen node overruns the wait by seconds, not by the command limit (300 s).
PROBE_GRACE_S = 30.0
_DEADLINE: ContextVar[float | None] = ContextVar("hadrill_wait_deadline", default=None)


def command_limit(timeout: float) -> float:
    """A command's time limit: its own, or less inside a wait (the wait's deadline plus PROBE_GRACE_S)."""
    deadline = _DEADLINE.get()
    if deadline is None:
        return timeout
    return min(timeout, max(0.0, deadline - time.monotonic()) + PROBE_GRACE_S)


class NotReached(AssertionError):
    """The condition did not hold in time."""


class _Mode:
    dry_run = False   # a plan: one look, no waiting (nothing on the nodes changes while we wait)
    stopping = False  # Ctrl-C or SIGTERM: teardowns undo what they must and wait for nothing else


def start_dry_run() -> None:
    """From now on (in this process), eventually() looks once and pause() returns at once."""
    _Mode.dry_run = True


def dry_run() -> bool:
    """A plan is being made: nothing may reach a node, nothing is waited for."""
    return _Mode.dry_run


def start_stopping() -> None:
    """The run was interrupted: from now on, teardowns skip their audits and waits."""
    _Mode.stopping = True


def stopping() -> bool:
    return _Mode.stopping


def pause(seconds: float) -> None:
    """A fixed wait (an observation window); none in a dry run."""
    if not _Mode.dry_run:
        time.sleep(seconds)


def eventually(probe: Callable[[], T], until: Callable[[T], bool], *, timeout: float,
               interval: float = 0.5, describe: str) -> T:
    """Call probe() until until(value) holds; returns that value, or raises with the last one seen."""
    deadline = time.monotonic() + timeout
    last: object = "(nothing: the probe never answered)"
    while True:
        outer = _DEADLINE.get()
        token = _DEADLINE.set(deadline if outer is None else min(deadline, outer))
        try:
            value = probe()
        except Exception as exc:  # a probe may fail while the system settles
            last = f"{type(exc).__name__}: {exc}"
        else:
            if until(value):
                return value
            last = value
        finally:
            _DEADLINE.reset(token)
        if time.monotonic() >= deadline or _Mode.dry_run:
            raise NotReached(f"waited {timeout:.0f} s for {describe}; last seen: {last}")
        time.sleep(interval)
