"""Persistent reservations as sg_persist printed them on the rhcs lab (LIO target, fence_scsi's keys), and the
fence devices a fencer ran, from its pacemaker.log."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.probes import host, pcmk_log, reservations
from harness.probes.errors import ParseError

DATA = Path(__file__).parent / "data"


def _text(name: str) -> str:
    return (DATA / name).read_text()


def test_both_members_registered_then_the_fenced_one_gone() -> None:
    both = reservations.parse_keys(_text("sg_persist_keys_both_registered.txt"))
    assert both == ["0xad190000", "0xad190001"]
    assert reservations.parse_keys(_text("sg_persist_keys_node2_fenced.txt")) == ["0xad190000"]


def test_no_key_registered() -> None:
    text = "  PR generation=0x0, there are NO registered reservation keys\n"
    assert reservations.parse_keys(text) == []
    assert reservations.parse_reservation("  PR generation=0x0, there is NO reservation held\n") == \
        reservations.Reservation(None, "")


def test_the_reservation_and_its_holder() -> None:
    held = reservations.parse_reservation(_text("sg_persist_reservation_node1_holds.txt"))
    assert held == reservations.Reservation("0xad190000", "Write Exclusive, registrants only")


@pytest.mark.parametrize("said", ["", "sg_persist: error opening file: /dev/sdz: No such file or directory"])
def test_what_is_not_sg_persists_listing_is_refused(said: str) -> None:
    with pytest.raises(ParseError):
        reservations.parse_keys(said)
    with pytest.raises(ParseError):
        reservations.parse_reservation(said)


def test_the_fencer_ran_fence_scsi_then_the_bmc() -> None:
    text = _text("pacemaker-log_node1_fenced_node2_lun_and_bmc.txt")
    assert pcmk_log.devices_ran(text, "node2") == [
        ("off", "fence_lun", True), ("off", "fence_node2", True), ("on", "fence_node2", True)]
    assert pcmk_log.devices_ran(text, "node1") == []


def test_the_interface_a_node_reaches_the_portal_through() -> None:
    said = "192.168.8.110 dev eth0 src 192.168.8.101 uid 0 \\    cache "   # ip -o route get, on node1
    assert host.route_interface(said) == "eth0"
    with pytest.raises(ParseError):
        host.route_interface("RTNETLINK answers: Network is unreachable")
