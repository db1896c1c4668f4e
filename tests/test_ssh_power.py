"""The ssh provider's power-on after a power-off of its own: the inventory's command runs unless the host
answers already (a fence device rebooted it), and the transcript says which it was; a cut link is not
restored on a host powered off since (the cut went with its power). The power commands
are the inventory's own (here they write what they were asked to a file); whether the host answers is
the one look stubbed, as what is tested is the bookkeeping."""

from __future__ import annotations

from pathlib import Path

import inventory_files
import pytest
from test_inventory import GOOD

from harness.lab import faults
from harness.lab.providers import link_cut, ready
from harness.lab.providers.ssh import SshHosts
from harness.report.transcript import TRANSCRIPT


def _hosts(tmp_path: Path, answers: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[SshHosts, Path]:
    said = tmp_path / "power.log"
    power = (f"    power: {{off: 'sh -c \"echo off >> {said}\"', on: 'sh -c \"echo on >> {said}\"'}}\n"
             "    link: {interface: eth1}\n")
    inv = inventory_files.loaded(tmp_path, GOOD.replace("    disposable: true\n",
                                                        "    disposable: true\n" + power, 1))
    monkeypatch.setattr(ready, "answers", lambda config, node: answers)
    hosts = SshHosts(inv)
    monkeypatch.setattr(hosts, "_wait_ready", lambda node: None)
    return hosts, said


def test_a_host_found_answering_is_not_powered_on_again(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    hosts, said = _hosts(tmp_path, True, monkeypatch)
    hosts.power_off("vm01")
    assert hosts.power_on("vm01", wait=False) is False
    assert said.read_text() == "off\n" and hosts.powered_off() == []
    faults.power_on(hosts, {}, "vm01")            # not off any more: the command runs
    assert said.read_text() == "off\non\n"


def test_a_host_that_does_not_answer_is_powered_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hosts, said = _hosts(tmp_path, False, monkeypatch)
    hosts.power_off("vm01")
    assert hosts.power_on("vm01", wait=False) is True
    assert said.read_text() == "off\non\n"


def test_the_transcript_says_when_nothing_was_issued(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hosts, _ = _hosts(tmp_path, True, monkeypatch)
    hosts.power_off("vm01")
    before = len(TRANSCRIPT.entries)
    faults.power_on(hosts, {}, "vm01")
    said = [entry.command for _, entry in TRANSCRIPT.entries[before:]]
    assert said == ["(ssh provider) power on vm01" + faults.ON_ALREADY]


def test_a_cut_link_is_not_restored_on_a_host_powered_off_since(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The cut is the host's kernel state (tc): gone with its power, nothing to reach it for."""
    hosts, _ = _hosts(tmp_path, False, monkeypatch)
    applied: list[tuple[str, bool]] = []
    monkeypatch.setattr(link_cut, "apply", lambda config, node, interface, cut: applied.append((node, cut)))
    hosts.cut_link("vm01")
    hosts.power_off("vm01")
    hosts.restore_link("vm01")
    assert applied == [("vm01", True)]
    hosts.power_on("vm01", wait=False)
    hosts.cut_link("vm01")
    hosts.restore_link("vm01")
    assert applied == [("vm01", True), ("vm01", True), ("vm01", False)]
