"""The DRBD audit's reading of /proc/drbd after a fault, on outputs captured from the lab's nodes."""

from __future__ import annotations

from pathlib import Path

from harness.lab.providers.base import ProviderError
from harness.probes import drbd as drbd_probe
from harness.verdicts.drbd_audit import DrbdAudit, _why_unread, not_whole, uses_drbd

DATA = Path(__file__).parent / "data"


def _proc(name: str) -> drbd_probe.ProcDrbd:
    return drbd_probe.parse((DATA / name).read_text())


def test_a_connected_pair_in_sync_is_whole() -> None:
    assert not_whole(_proc("proc_drbd_connected_primary.txt")) == []


def test_a_resync_under_way_is_not_whole_and_says_what_is_left() -> None:
    assert not_whole(_proc("proc_drbd_synctarget.txt")) == [
        "minor 1: cs:SyncTarget ro:Secondary/Primary ds:Inconsistent/UpToDate oos:1047228"]


def test_a_node_waiting_for_its_peer_or_standing_alone_is_not_whole() -> None:
    assert not_whole(_proc("proc_drbd_wfconnection.txt"))[0].startswith("minor 1: cs:WFConnection")
    standalone = not_whole(_proc("proc_drbd_standalone_primary_splitbrain.txt"))
    assert standalone[0].startswith("minor 1: cs:StandAlone")


def test_drbd_is_used_only_where_a_resource_is_configured() -> None:
    assert uses_drbd(_proc("proc_drbd_connected_secondary_uptodate.txt"))
    assert not uses_drbd(_proc("proc_drbd_8.4_loaded.txt"))
    assert not uses_drbd(None)


def test_a_node_off_leaves_every_node_not_read_never_whole() -> None:
    audit = DrbdAudit(used=True, unread={"vm01": "off", "vm02": "a peer is off"})
    assert audit.render() == "vm01: not read (off), vm02: not read (a peer is off)"
    assert audit.failures == {}


def test_a_node_that_is_not_whole_fails_the_audit() -> None:
    audit = DrbdAudit(used=True, found={"vm01": [], "vm02": ["minor 1: cs:WFConnection ro:Secondary/Unknown "
                                                              "ds:UpToDate/DUnknown oos:0"]})
    assert audit.failures == {"vm02": audit.found["vm02"]}
    assert audit.render().startswith("vm01: whole, vm02: minor 1: cs:WFConnection")


def test_a_node_that_cannot_be_brought_back_stays_off_and_says_why() -> None:
    def no_power(name: str) -> None:
        raise ProviderError(f"{name} has no power")

    audit = DrbdAudit(used=True)
    assert audit._bring_back(["vm01"], no_power) == ["vm01"]
    assert _why_unread("vm01", ["vm01"], audit.not_back) == \
        "off, not brought back: ProviderError: vm01 has no power"
    assert _why_unread("vm02", ["vm01"], audit.not_back) == "a peer is off"
