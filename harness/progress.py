"""Progress lines for long work: shown on a terminal, kept brief in CI logs."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def interactive() -> bool:
    """True when a person watches stderr (a terminal)."""
    return sys.stderr.isatty()


def say(message: str) -> None:
    """One progress line on stderr."""
    print(f"hadrill: {message}", file=sys.stderr, flush=True)


def say_uncaptured(config: Any, message: str) -> None:
    """One progress line from inside a test or fixture, past pytest's capture of its output."""
    capture = config.pluginmanager.getplugin("capturemanager")
    if capture is None:
        say(message)
        return
    with capture.global_and_fixture_disabled():
        say(message)


def step(scenario: str, keyword: str, text: str, started: float) -> None:
    """A run's current step, on a terminal only (a CI log gets pytest's own lines and no more)."""
    if interactive():
        minutes, seconds = divmod(int(time.monotonic() - started), 60)
        say(f"[{minutes:02d}:{seconds:02d}] {scenario} / {keyword} {text}")


@contextmanager
def stage(what: str) -> Iterator[None]:
    """Announce a stage, then say how long it took (or that it failed)."""
    say(f"{what} ...")
    start = time.monotonic()
    try:
        yield
    except BaseException:
        say(f"{what}: failed after {time.monotonic() - start:.1f} s")
        raise
    say(f"{what}: done in {time.monotonic() - start:.1f} s")
