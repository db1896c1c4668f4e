"""eventually(): returns once the condition holds; otherwise names what it awaited and the last value."""

from __future__ import annotations

import itertools

import pytest

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
