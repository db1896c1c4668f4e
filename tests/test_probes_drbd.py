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


def test_standalone_line_has_a_blank_protocol_field() -> None:
    r = parse((DATA / "proc_drbd_standalone_primary_splitbrain.txt").read_text()).minor(1)
    assert r.state == "cs:StandAlone ro:Primary/Unknown ds:UpToDate/DUnknown"
    assert r.protocol == ""
    assert r.counters["oos"] == 64
    victim = parse((DATA / "proc_drbd_victim_waiting_after_discard.txt").read_text()).minor(1)
    assert victim.state == "cs:WFConnection ro:Secondary/Unknown ds:UpToDate/DUnknown"


def test_connected_pair_counters_as_the_book_prints_them() -> None:
    primary = parse((DATA / "proc_drbd_connected_primary.txt").read_text()).minor(1)
    standby = parse((DATA / "proc_drbd_connected_secondary_uptodate.txt").read_text()).minor(1)
    assert primary.state == "cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate"
    assert standby.state == "cs:Connected ro:Secondary/Primary ds:UpToDate/UpToDate"
    sent, received = primary.counters, standby.counters
    assert sent["ns"] == sent["dr"] == received["nr"] == received["dw"]
    assert primary.counters["nr"] == primary.counters["dw"] == standby.counters["ns"] == 0


def test_waiting_for_the_peer() -> None:
    r = parse((DATA / "proc_drbd_wfconnection.txt").read_text()).minor(1)
    assert r.connection == "WFConnection" and r.peer_role == "Unknown" and r.protocol == "C"


@pytest.mark.parametrize("name, resyncing", [
    ("proc_drbd_syncsource_slow.txt", True), ("proc_drbd_synctarget.txt", True),
    ("proc_drbd_synctarget_slow.txt", True), ("proc_drbd_connected_primary.txt", False),
    ("proc_drbd_standalone_primary_splitbrain.txt", False), ("proc_drbd_wfconnection.txt", False),
])
def test_a_resync_under_way_is_told_from_the_other_states(name: str, resyncing: bool) -> None:
    resource = next(iter(parse((DATA / name).read_text()).resources.values()))
    assert resource.resyncing is resyncing
