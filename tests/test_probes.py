"""Parsers, on outputs captured from the embedded lab (tests/data/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.probes.drbd import parse_version
from harness.probes.errors import ParseError
from harness.probes.host import module_loaded, parse_initiator

DATA = Path(__file__).parent / "data"


def test_proc_drbd_version_line() -> None:
    v = parse_version((DATA / "proc_drbd_8.4_loaded.txt").read_text())
    assert (v.version, v.api, v.protocols, v.major_minor) == ("8.4.11", 1, "86-101", "8.4")


@pytest.mark.parametrize("raw", ["", "drbd: not loaded\n", "version: 9.2.0 (api:2/proto:86-122)x\n"])
def test_proc_drbd_junk_fails_loudly_with_raw_text(raw: str) -> None:
    with pytest.raises(ParseError) as err:
        parse_version(raw)
    assert "cannot parse /proc/drbd" in str(err.value)
    assert (raw.strip() or "(empty)") in str(err.value)


def test_lsmod_lists_drbd_but_not_a_prefix() -> None:
    text = (DATA / "lsmod_drbd.txt").read_text()
    assert module_loaded(text, "drbd") and module_loaded(text, "lru_cache")
    assert not module_loaded(text, "drb") and not module_loaded(text, "Module")


def test_initiator_name() -> None:
    assert parse_initiator((DATA / "initiatorname.iscsi").read_text()) == "iqn.2026-11.io.hadrill:drbd.vm01"
    with pytest.raises(ParseError):
        parse_initiator("## empty\n")
