"""eventually(): returns once the condition holds; otherwise names what it awaited and the last value."""

from __future__ import annotations

import itertools

import pytest

from harness import waiting
from harness.waiting import NotReached, eventually


def test_returns_the_first_value_that_holds() -> None:
    counter = itertools.count()
    assert eventually(lambda: next(counter), lambda v: v >= 3, timeout=5, interval=0.001,
                      describe="three") == 3


def test_failure_names_the_wait_and_the_last_value() -> None:
    with pytest.raises(NotReached, match=r"for disk UpToDate; last seen: Inconsistent"):
        eventually(lambda: "Inconsistent", lambda v: v == "UpToDate", timeout=0.05, interval=0.01,
                   describe="disk UpToDate")


def test_probe_errors_are_reported_as_the_last_value() -> None:
    def probe() -> int:
        raise OSError("connection lost")

    with pytest.raises(NotReached, match="last seen: OSError: connection lost"):
        eventually(probe, lambda v: True, timeout=0.03, interval=0.01, describe="an answer")


def test_a_command_in_a_probe_ends_near_the_waits_deadline_not_at_its_own_limit() -> None:
    seen: list[float] = []

    def probe() -> bool:
        seen.append(waiting.command_limit(300.0))
        return True

    assert waiting.command_limit(300.0) == 300.0            # outside any wait: the command's own limit
    waiting.eventually(probe, bool, timeout=10, describe="a probe")
    assert waiting.PROBE_GRACE_S < seen[0] <= 10 + waiting.PROBE_GRACE_S
    assert waiting.command_limit(5.0) == 5.0                # and after the wait, its own again


def test_a_wait_inside_a_probe_does_not_lengthen_the_outer_bound() -> None:
    inner: list[float] = []

    def inner_probe() -> bool:
        inner.append(waiting.command_limit(300.0))
        return True

    def outer_probe() -> bool:
        waiting.eventually(inner_probe, bool, timeout=200, describe="an inner wait")
        return True

    waiting.eventually(outer_probe, bool, timeout=10, describe="an outer wait")
    assert inner[0] <= 10 + waiting.PROBE_GRACE_S
