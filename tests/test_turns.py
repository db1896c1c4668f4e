"""Sessions take turns on the machine: shared scenarios side by side, a measured part alone, and a
measured part waiting is not passed by scenarios that come after it."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest

from harness import fixtures
from harness.clusters.base import ServiceCluster
from harness.lab.turns import ALONE, NONE, SHARED, MachineTurn
from harness.workloads.monitor import InvariantMonitor
from harness.workloads.watch import Watch

WAIT_S = 0.3   # long enough for a lock that is free to be taken


def _in_thread(take: object) -> tuple[threading.Thread, threading.Event]:
    done = threading.Event()

    def run() -> None:
        take()  # type: ignore[operator]
        done.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, done


def test_shared_scenarios_run_side_by_side(tmp_path: Path) -> None:
    a, b = MachineTurn(tmp_path), MachineTurn(tmp_path)
    a.share()
    _, done = _in_thread(b.share)
    assert done.wait(5), "a second shared scenario waited for the first"
    assert (a.held, b.held) == (SHARED, SHARED)
    a.release()
    b.release()


def test_a_measured_part_waits_for_the_others_and_they_for_it(tmp_path: Path) -> None:
    other, measured = MachineTurn(tmp_path), MachineTurn(tmp_path)
    other.share()
    measured.share()
    _, alone = _in_thread(measured.alone)
    assert not alone.wait(WAIT_S), "the measured part ran beside another session's scenario"
    other.release()
    assert alone.wait(5) and measured.held == ALONE
    _, shared = _in_thread(other.share)
    assert not shared.wait(WAIT_S), "a scenario started beside a measured part"
    measured.release()
    assert shared.wait(5) and measured.held == NONE
    other.release()


def test_a_waiting_measured_part_is_not_passed_by_later_scenarios(tmp_path: Path) -> None:
    first, measured, later = MachineTurn(tmp_path), MachineTurn(tmp_path), MachineTurn(tmp_path)
    first.share()
    _, alone = _in_thread(measured.alone)
    assert not alone.wait(WAIT_S)
    _, shared = _in_thread(later.share)
    assert not shared.wait(WAIT_S), "a scenario that came later passed the waiting measured part"
    first.release()
    assert alone.wait(5)
    measured.release()
    assert shared.wait(5)
    later.release()


def test_a_dead_session_leaves_the_machine_free(tmp_path: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys; from pathlib import Path; from harness.lab.turns import MachineTurn; "
        f"MachineTurn(Path({str(tmp_path)!r})).alone(); print('held', flush=True); sys.stdin.read()")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    mine = MachineTurn(tmp_path)
    _, alone = _in_thread(mine.alone)
    assert not alone.wait(WAIT_S), "the machine was taken while another session held it"
    holder.kill()
    holder.wait(10)
    assert alone.wait(5), "a killed session's hold outlived it"
    mine.release()


def test_a_measured_part_that_is_over_shares_the_machine_again(tmp_path: Path) -> None:
    measured, other = MachineTurn(tmp_path), MachineTurn(tmp_path)
    measured.alone()
    _, shared = _in_thread(other.share)
    assert not shared.wait(WAIT_S), "a scenario started beside a measured part"
    assert measured.share_again() < 1
    assert shared.wait(5) and measured.held == SHARED
    _, alone = _in_thread(MachineTurn(tmp_path).alone)
    assert not alone.wait(WAIT_S), "a measured part began beside the rest of a scenario"
    measured.release()
    other.release()
    assert alone.wait(5)


def test_only_a_measured_part_is_shared_again(tmp_path: Path) -> None:
    turn = MachineTurn(tmp_path)
    assert turn.share_again() == 0.0 and turn.held == NONE
    turn.share()
    assert turn.share_again() == 0.0 and turn.held == SHARED
    turn.release()


def test_the_machine_is_not_given_back_while_the_watch_measures(monkeypatch: pytest.MonkeyPatch) -> None:
    watch = Watch(cast(ServiceCluster, None))
    watch.monitor = cast(InvariantMonitor, object())     # started, never stopped
    monkeypatch.setitem(fixtures.OPEN, "watch", watch)
    with pytest.raises(AssertionError, match="not over"):
        fixtures.measured_part_over(cast(pytest.Config, None))


def test_a_turn_counts_what_it_waited_and_what_it_held_alone(tmp_path: Path) -> None:
    other, measured = MachineTurn(tmp_path), MachineTurn(tmp_path)
    other.share()
    measured.new_account()
    measured.share()
    timer = threading.Timer(WAIT_S, other.release)
    timer.start()
    measured.alone()                        # waits for the other's scenario to end
    threading.Event().wait(WAIT_S)          # holds the machine alone meanwhile
    measured.share_again()
    threading.Event().wait(WAIT_S)          # shared: not counted as alone
    measured.release()
    timer.join()
    assert WAIT_S * 0.8 <= measured.waited_s < WAIT_S * 3
    assert WAIT_S * 0.8 <= measured.alone_s < WAIT_S * 3
    measured.new_account()
    assert (measured.waited_s, measured.alone_s) == (0.0, 0.0)


def test_a_scenario_shares_the_machine_again_for_its_teardown(monkeypatch: pytest.MonkeyPatch,
                                                             tmp_path: Path) -> None:
    turn = MachineTurn(tmp_path)
    monkeypatch.setattr(fixtures, "TURN", turn)
    monkeypatch.setattr(fixtures, "is_scenario", lambda item: True)
    item = cast(pytest.Item, SimpleNamespace(config=SimpleNamespace(getoption=lambda name: False)))
    turn.alone()
    _, shared = _in_thread(MachineTurn(tmp_path).share)
    assert not shared.wait(WAIT_S), "a scenario started beside a measured part"
    teardown = fixtures.pytest_runtest_teardown(item, None)
    next(teardown)                       # the teardown's fixtures would run here
    assert turn.held == SHARED and shared.wait(5), "the teardown kept the machine alone"
    turn.release()
