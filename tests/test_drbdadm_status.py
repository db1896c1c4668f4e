"""`drbdadm status` (drbd-utils 9 over the 8.4 module), on outputs captured from the embedded lab."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.probes.drbdadm_status import parse
from harness.probes.errors import ParseError

DATA = Path(__file__).parent / "data"


def _status(name: str) -> str:
    return (DATA / f"drbdadm_status_{name}.txt").read_text()


def test_connected_primary_and_secondary() -> None:
    p, s = parse(_status("connected_primary")), parse(_status("connected_secondary"))
    assert (p.resource, p.role, p.disk) == ("test", "Primary", "UpToDate")
    assert p.peer is not None and (p.peer.role, p.peer.replication, p.peer.disk) == (
        "Secondary", "Established", "UpToDate")
    assert p.peer.connection == "Connected" and p.peer.done_percent is None
    assert s.role == "Secondary" and s.peer is not None and s.peer.role == "Primary"


def test_sync_shows_progress() -> None:
    src, dst = parse(_status("syncsource")), parse(_status("synctarget"))
    assert src.peer is not None and src.peer.replication == "SyncSource" and src.peer.done_percent == 17.21
    assert dst.disk == "Inconsistent" and dst.peer is not None and dst.peer.replication == "SyncTarget"


def test_waiting_for_the_peer_reads_connecting() -> None:
    st = parse(_status("connecting"))
    assert st.disk == "Inconsistent" and st.peer is not None
    assert (st.peer.connection, st.peer.role, st.peer.replication) == ("Connecting", "", "")


def test_standalone_has_no_peer_block() -> None:
    st = parse(_status("standalone_primary"))
    assert st.standalone and st.role == "Primary" and st.disk == "UpToDate"


@pytest.mark.parametrize("text", ["", "test: No such resource\n", "test role:Primary\n  nonsense\n"])
def test_unreadable_output_fails_loudly(text: str) -> None:
    with pytest.raises(ParseError, match="drbdadm status"):
        parse(text)
