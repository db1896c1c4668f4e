"""Waiting for a condition, never a bare sleep: a failure says what was awaited and what was seen."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class NotReached(AssertionError):
    """The condition did not hold in time."""


def eventually(probe: Callable[[], T], until: Callable[[T], bool], *, timeout: float,
               interval: float = 0.5, describe: str) -> T:
    """Call probe() until until(value) holds; returns that value, or raises with the last one seen."""
    deadline = time.monotonic() + timeout
    last: object = "(nothing: the probe never answered)"
    while True:
        try:
            value = probe()
        except Exception as exc:  # a probe may fail while the system settles
            last = f"{type(exc).__name__}: {exc}"
        else:
            if until(value):
                return value
            last = value
        if time.monotonic() >= deadline:
            raise NotReached(f"waited {timeout:.0f} s for {describe}; last seen: {last}")
        time.sleep(interval)
