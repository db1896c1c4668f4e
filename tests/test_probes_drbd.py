"""/proc/drbd of the 8.4 module, on outputs captured from the embedded lab (tests/data/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.probes.drbd import parse
from harness.probes.errors import ParseError

DATA = Path(__file__).parent / "data"


def test_loaded_module_without_resources() -> None:
    proc = parse((DATA / "proc_drbd_8.4_loaded.txt").read_text())
    assert proc.version.version == "8.4.11" and proc.resources == {}
    with pytest.raises(KeyError, match="no minor 1"):
        proc.minor(1)


def test_connected_secondaries_after_create_md_and_up() -> None:
    r = parse((DATA / "proc_drbd_connected_secondary_inconsistent.txt").read_text()).minor(1)
    assert r.state == "cs:Connected ro:Secondary/Secondary ds:Inconsistent/Inconsistent"
    assert r.protocol == "C" and r.counters["oos"] == 1047484 and r.counters["ns"] == 0


def test_sync_source_and_target_lines_with_progress() -> None:
    src = parse((DATA / "proc_drbd_syncsource_slow.txt").read_text()).minor(1)
    dst = parse((DATA / "proc_drbd_synctarget_slow.txt").read_text()).minor(1)
    early = parse((DATA / "proc_drbd_synctarget.txt").read_text()).minor(1)
    assert early.connection == "SyncTarget" and early.counters["oos"] == 1047228
    assert src.state == "cs:SyncSource ro:Primary/Secondary ds:UpToDate/Inconsistent"
    assert dst.state == "cs:SyncTarget ro:Secondary/Primary ds:Inconsistent/UpToDate"
    assert src.counters["ns"] > 0 and dst.counters["nr"] > 0 and dst.counters["dw"] == dst.counters["nr"]


def test_a_resource_line_it_cannot_read_fails_loudly() -> None:
    with pytest.raises(ParseError, match="cs:Weird"):
        parse("version: 8.4.11 (api:1/proto:86-101)\n 1: cs:Weird ro:?\n")
