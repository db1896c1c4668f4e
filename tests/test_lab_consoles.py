"""A kept lab's consoles and BMC logs stay where the run that made it put them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.lab.providers import labstate
from harness.lab.providers.labstate import LabRecord


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HADRILL_STATE", str(tmp_path / "state"))
    return tmp_path


def test_a_later_run_with_other_reports_reads_the_makers_consoles(state: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HADRILL_REPORTS", str(state / "first"))
    labstate.save(LabRecord("kept", "rhcs", "hadrill-kept", "img", "kernel"))
    monkeypatch.setenv("HADRILL_REPORTS", str(state / "second"))
    assert labstate.console("kept", "node2") == state / "first" / "consoles" / "kept" / "node2.log"


def test_a_lab_not_made_yet_has_its_consoles_under_the_current_reports(
        state: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HADRILL_REPORTS", str(state / "now"))
    assert labstate.console("fresh", "node1") == state / "now" / "consoles" / "fresh" / "node1.log"


def test_a_record_written_before_consoles_were_recorded_gets_the_current_reports(
        state: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HADRILL_REPORTS", str(state / "now"))
    folder = labstate.lab_dir("old")
    folder.mkdir(parents=True)
    (folder / "lab.json").write_text(json.dumps(
        {"name": "old", "topology": "drbd", "netns": "hadrill-old", "image": "i", "kernel": "k"}))
    assert labstate.console("old", "vm01") == state / "now" / "consoles" / "old" / "vm01.log"
