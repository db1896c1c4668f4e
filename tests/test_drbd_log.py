"""The DRBD lines of the kernel log, captured from a split brain and its repair in the embedded lab."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.probes.drbd_log import parse
from harness.probes.errors import ParseError

DATA = Path(__file__).parent / "data"
SURVIVOR = (DATA / "dmesg_drbd_splitbrain_survivor.txt").read_text()
VICTIM = (DATA / "dmesg_drbd_splitbrain_victim.txt").read_text()


def test_the_whole_log_has_the_initial_full_sync_and_the_split_brain() -> None:
    log = parse(VICTIM)
    assert log.full_sync and log.split_brain_detected
    assert log.resyncs[0].role == "SyncTarget" and log.resyncs[0].kib == 1047484


def _after(text: str, pattern: str) -> str:
    """The log from the line holding pattern on, with a mark line put before it."""
    lines = text.splitlines()
    at = max(i for i, ln in enumerate(lines) if pattern in ln)
    return "\n".join([*lines[:at], "[ 99.0] hadrill-mark repair 1234", *lines[at:]])


def test_after_the_repair_only_a_bitmap_resync_of_the_victim() -> None:
    log = parse(_after(VICTIM, "conn( StandAlone -> Unconnected )"), "hadrill-mark repair 1234")
    assert not log.full_sync and not log.split_brain_detected
    assert log.split_brain_solved_from == "peer"
    assert [(r.role, r.kib, r.bits) for r in log.resyncs] == [("SyncTarget", 64, 16)]


def test_the_survivor_solves_from_itself() -> None:
    log = parse(_after(SURVIVOR, "Split-Brain detected, manually solved"), "hadrill-mark repair 1234")
    assert log.split_brain_solved_from == "this"
    assert log.resyncs[0].role == "SyncSource" and log.resyncs[0].kib == 64


def test_a_mark_that_is_gone_fails_loudly() -> None:
    with pytest.raises(ParseError, match="hadrill-mark x"):
        parse(VICTIM, "hadrill-mark x")


def test_a_primary_whose_disk_failed_went_diskless_then_resynced_what_its_bitmap_marked() -> None:
    """vm01's kernel log when every data write to its backing disk failed (the module's fault injection):
    the write error, the detach to Diskless; once healed and attached, a resync of the 44 MiB its on-disk
    bitmap marked (the peer had 19 bits), not a full sync."""
    log = parse((DATA / "dmesg_drbd_primary_disk_failed_then_attached.txt").read_text())
    assert "local WRITE IO error" in log.quote("IO error")
    assert log.quote("Diskless") and "Detaching" in log.quote("Local IO failed")
    assert [(r.role, r.kib) for r in log.resyncs] == [("SyncTarget", 45056)]
    assert not log.full_sync and not log.split_brain_detected


def test_an_older_kernels_lines_are_read_alike() -> None:
    """A Debian 12 VM's kernel (6.1) names the device `block drbd1:`, not `drbd test/0 drbd1:`: the victim's
    log after the book's repair, captured on the Vagrant provider."""
    log = parse((DATA / "dmesg_drbd_splitbrain_victim_debian12.txt").read_text())
    assert log.split_brain_solved_from == "peer" and not log.full_sync
    assert [(r.device, r.role, r.kib, r.bits) for r in log.resyncs] == [("drbd1", "SyncTarget", 18356, 4589)]
