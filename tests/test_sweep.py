"""The sweep of a stale lab and the guard against PID reuse (real processes and namespaces)."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.lab.providers import labstate, netns, procs
from harness.lab.providers.labstate import LabRecord, NodeRecord
from harness.lab.providers.uml import UmlLab

SLEEP = os.path.realpath("/bin/sleep")


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("HADRILL_STATE", str(tmp_path / "state"))
    yield tmp_path / "state"


def _dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def _start_group() -> procs.Started:
    proc = subprocess.Popen([SLEEP, "300"], start_new_session=True)
    return procs.record(proc.pid, SLEEP)


def test_stale_lab_is_swept(state: Path) -> None:
    name = f"tsweep{uuid.uuid4().hex[:6]}"
    ns = netns.ns_name(name)
    started = _start_group()
    rec = LabRecord(name, "drbd", ns, "/nonexistent.img", SLEEP, phase="booting", owner_pid=_dead_pid())
    rec.nodes = {"vm01": NodeRecord("0" * 32, started.to_json())}
    labstate.save(rec)
    netns.create(ns, {"mgmt": ["10.254.0.1/24"]})
    netns.add_tap(ns, "vm01", "mgmt")
    try:
        assert procs.members(started) and netns.exists(ns)
        assert UmlLab.sweep_stale() == [name]
        assert procs.members(started) == []
        assert not netns.exists(ns)
        assert labstate.load(name) is None
    finally:
        procs.kill_group(started)
        netns.delete(ns)


def test_a_lab_whose_maker_lives_is_not_swept(state: Path) -> None:
    rec = LabRecord("tbusy", "drbd", "hadrill-tbusy", "/x.img", SLEEP, phase="booting", owner_pid=os.getpid())
    labstate.save(rec)
    assert UmlLab.sweep_stale() == []
    assert labstate.load("tbusy") is not None


def test_a_reused_process_group_is_not_touched() -> None:
    started = _start_group()
    try:
        assert procs.members(started) == [started.pid]
        newer = procs.Started(started.pid, started.start_ticks + 10_000_000, SLEEP)  # a later start time
        assert procs.members(newer) == []
        other_program = procs.Started(started.pid, started.start_ticks, "/usr/bin/linux.uml")
        assert procs.members(other_program) == []
        assert procs.signal_group(other_program, 9) == []
        assert procs.alive(started.pid)
    finally:
        procs.kill_group(started)
    assert not procs.alive(started.pid)
