"""What a node holds, read from outputs captured on the lab; the invariants over both nodes."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from harness.probes import holdings_stream
from harness.probes.errors import ParseError
from harness.probes.holdings import Holdings, parse
from harness.workloads.invariants import STALE_S, UNKNOWN, UNREAD_BOUND_S, Away, Reading, broken, judge
from harness.workloads.monitor import InvariantMonitor

DATA = Path(__file__).parent / "data"
VIP = "192.168.8.100"


def _held(role: str = "Secondary", vip: bool = False, mounted: bool = False,
          mysqld: bool = False) -> Holdings:
    return Holdings(mysqld=mysqld, vip=vip, mounted=mounted, role=role, heartbeat=True)


def test_the_active_node_holds_the_whole_group() -> None:
    h = parse((DATA / "holdings_active_whole_group.txt").read_text(), VIP)
    assert h == Holdings(mysqld=True, vip=True, mounted=True, role="Primary", heartbeat=True)
    assert h.summary() == "Primary mysqld VIP mounted"


def test_the_standby_holds_nothing() -> None:
    h = parse((DATA / "holdings_standby_secondary.txt").read_text(), VIP)
    assert h == Holdings(mysqld=False, vip=False, mounted=False, role="Secondary", heartbeat=True)


@pytest.mark.parametrize(("capture", "held"), [
    ("holdings_active_single_walk.txt", Holdings(mysqld=True, vip=True, mounted=True, role="Primary",
                                                 heartbeat=True)),
    ("holdings_standby_single_walk.txt", Holdings(mysqld=False, vip=False, mounted=False, role="Secondary",
                                                  heartbeat=True))])
def test_the_single_walk_probe_reads_what_the_pidof_one_did(capture: str, held: Holdings) -> None:
    assert parse((DATA / capture).read_text(), VIP) == held


def test_an_address_that_only_starts_like_the_vip_is_not_the_vip() -> None:
    text = (DATA / "holdings_active_whole_group.txt").read_text()
    assert not parse(text, "192.168.8.10").vip


def test_no_drbd_line_reads_unconfigured_and_garbage_is_refused() -> None:
    text = "mysqld: \nheartbeat: \nmounted: no\n"
    assert parse(text, VIP).summary() == "(no cluster manager)"
    with pytest.raises(ParseError):
        parse("Connection closed by remote host\n", VIP)


def test_the_invariants_hold_for_one_active_node() -> None:
    assert broken({"vm01": _held("Primary", True, True, True), "vm02": _held()}) == []


def test_each_invariant_is_named_when_broken() -> None:
    both = {"vm01": _held("Primary", True, True, True), "vm02": _held("Primary", True, True, True)}
    assert broken(both) == ["the VIP on vm01 and vm02", "DRBD Primary on vm01 and vm02"]
    assert broken({"vm01": _held("Secondary", mounted=True)}) == [
        "the filesystem mounted on vm01, which is Secondary"]
    assert broken({"vm01": _held("Primary", mysqld=True)}) == [
        "mysqld on vm01 without its filesystem mounted"]


ACTIVE = _held("Primary", True, True, True)
STANDBY = _held()


def _every(start: float, stop: float, held: Holdings, step: float = 0.1) -> list[Reading]:
    """Readings of one node, 10 a second, from start up to (not including) stop."""
    return [Reading(round(start + i * step, 3), held) for i in range(round((stop - start) / step))]


def test_a_300_ms_double_vip_is_one_episode_of_its_length() -> None:
    vm02 = _every(0, 2, STANDBY) + _every(2, 2.3, _held(vip=True)) + _every(2.3, 5, STANDBY)
    found = judge({"vm01": _every(0, 5, ACTIVE), "vm02": vm02}, {}, 0, 5)
    assert [(e.what, e.first, e.last) for e in found.episodes] == [("the VIP on vm01 and vm02", 2.0, 2.2)]
    assert found.episodes[0].render(origin=1.0) == "+1.0 s to +1.2 s: the VIP on vm01 and vm02"
    assert found.state_at(found.episodes[0].first) == "vm01: Primary mysqld VIP mounted; vm02: Secondary VIP"
    assert found.state_at(-1) == "nothing read yet"
    assert found.coverage == 1.0 and found.unread_beyond() == {}


def test_a_handover_between_two_readings_is_no_overlap() -> None:
    """vm01's last reading with the VIP comes before vm02's first: nothing proves both held it at once."""
    vm01 = _every(0, 1.0, ACTIVE) + _every(1.0, 3, STANDBY)
    vm02 = _every(0, 1.0, STANDBY) + _every(1.0, 3, ACTIVE)
    assert judge({"vm01": vm01, "vm02": vm02}, {}, 0, 3).episodes == []


def test_a_double_primary_is_caught_apart_from_the_vip() -> None:
    vm02 = _every(0, 1, STANDBY) + _every(1, 1.5, _held("Primary")) + _every(1.5, 3, STANDBY)
    found = judge({"vm01": _every(0, 3, ACTIVE), "vm02": vm02}, {}, 0, 3)
    assert [e.what for e in found.episodes] == ["DRBD Primary on vm01 and vm02"]


def test_a_nodes_own_invariant_needs_two_readings_in_a_row() -> None:
    """One reading of mysqld without /data may be a stop caught between its reads; two are not."""
    torn = _held("Primary", mysqld=True)
    once = [*_every(0, 1, ACTIVE), Reading(1.0, torn), *_every(1.1, 2, ACTIVE)]
    twice = [*_every(0, 1, ACTIVE), Reading(1.0, torn), Reading(1.1, torn), *_every(1.2, 2, ACTIVE)]
    assert judge({"vm01": once}, {}, 0, 2).episodes == []
    assert [(e.what, e.first, e.last) for e in judge({"vm01": twice}, {}, 0, 2).episodes] == [
        ("mysqld on vm01 without its filesystem mounted", 1.0, 1.1)]


def test_processes_carried_from_an_earlier_walk_judge_nothing() -> None:
    """mysqld as last walked beside /data gone since: only readings that walked /proc judge mysqld."""
    gone = _held("Primary", mysqld=True)
    carried = [Reading(1.0 + i / 10, gone, processes_read=False) for i in range(4)]
    walked = [Reading(1.0, gone), *carried[1:4], Reading(1.4, gone)]
    assert judge({"vm01": [*_every(0, 1, ACTIVE), *carried]}, {}, 0, 2).episodes == []
    assert [e.what for e in judge({"vm01": [*_every(0, 1, ACTIVE), *walked]}, {}, 0, 2).episodes] == [
        "mysqld on vm01 without its filesystem mounted"]


def test_a_node_not_read_is_unknown_and_judged_against_the_bound() -> None:
    vm02 = _every(0, 1, STANDBY) + _every(7, 8, _held("Primary", vip=True))
    found = judge({"vm01": _every(0, 8, ACTIVE), "vm02": vm02}, {}, 0, 8)
    unread = found.unread["vm02"]
    assert unread == [(round(0.9 + STALE_S, 3), 7.0)]
    assert found.unread_beyond(UNREAD_BOUND_S) == {"vm02": 5.6}
    assert found.unread_beyond(6.0) == {}
    assert found.coverage == round(1 - 5.6 / 8, 4)
    assert UNKNOWN in [held["vm02"] for _, held in found.timeline]
    # nothing is judged of a node not read: the VIP it shows from 7 s on overlaps vm01's, the gap does not
    assert [(e.first, e.last) for e in found.episodes if e.what.startswith("the VIP")] == [(7.0, 7.9)]


def test_a_node_powered_off_then_booting_is_away_not_unread() -> None:
    vm02 = _every(0, 1, STANDBY) + _every(4, 5, STANDBY)
    away = {"vm02": [Away(1.2, 3.0, "off"), Away(3.0, None, "booting")]}
    found = judge({"vm01": _every(0, 5, ACTIVE), "vm02": vm02}, away, 0, 5)
    assert found.unread == {"vm01": [], "vm02": []} and found.coverage == 1.0
    assert [held["vm02"] for _, held in found.timeline] == ["Secondary", "off", "booting", "Secondary"]


class _LabSays:
    """The lab's answers to the monitor's polls, one after the other (what `hadrill lab status` says)."""

    def __init__(self, *answers: dict[str, tuple[str, int | None]]):
        self.answers = list(answers)

    def status(self) -> dict[str, object]:
        said = self.answers.pop(0)
        return {"nodes": {n: {"state": state, "pid": pid} for n, (state, pid) in said.items()}}


def _poller(lab: _LabSays) -> InvariantMonitor:
    """The monitor's lab poll alone (no node is streamed)."""
    monitor = InvariantMonitor.__new__(InvariantMonitor)
    monitor.lab, monitor.lab_errors = lab, []   # type: ignore[assignment]
    monitor.away, monitor._kernels, monitor._polled_at = {"vm01": []}, {}, None
    return monitor


def test_a_node_powered_off_and_on_between_two_polls_is_off_then_booting() -> None:
    """Found on the rhcs lab: both members' power cut, node1's turned on at once; the poll never saw node1
    off, so the monitor counted it unread (9.8 s) while it was off and booting. Its kernel's PID changed."""
    monitor = _poller(_LabSays({"vm01": ("running", 100)}, {"vm01": ("running", 200)},
                               {"vm01": ("running", 200)}))
    for _ in range(3):
        monitor._poll_once()
    spans = monitor.away["vm01"]
    assert [(a.why, a.end is None) for a in spans] == [("off", False), ("booting", True)]
    assert spans[0].end == spans[1].start


def test_a_vm_paused_on_its_way_up_is_booting_after_but_a_frozen_one_let_go_is_not() -> None:
    """Found on Vagrant VMs: libvirt starts a domain paused (the lab says frozen for half a second) before
    it runs; the booting span was lost and vm02 counted unread for the 37 s of its boot."""
    monitor = _poller(_LabSays({"vm01": ("off", None)}, {"vm01": ("frozen", None)}, {"vm01": ("running", 7)},
                               {"vm01": ("frozen", 7)}, {"vm01": ("running", 7)}))
    for _ in range(5):
        monitor._poll_once()
    assert [a.why for a in monitor.away["vm01"]] == ["off", "frozen", "booting", "frozen"]


def test_a_node_running_the_same_kernel_is_never_away() -> None:
    monitor = _poller(_LabSays({"vm01": ("running", 100)}, {"vm01": ("running", 100)},
                               {"vm01": ("off", None)}, {"vm01": ("running", 300)}))
    for _ in range(4):
        monitor._poll_once()
    assert [a.why for a in monitor.away["vm01"]] == ["off", "booting"]   # seen off: once, as before


def test_no_reading_at_all_is_unread_throughout() -> None:
    found = judge({"vm01": _every(0, 3, ACTIVE), "vm02": []}, {}, 0, 3)
    assert found.unread["vm02"] == [(0.0, 3.0)] and found.coverage == 0.0 and found.samples == 30


def test_the_stream_reads_the_holder_and_the_standby_ten_times_a_second() -> None:
    """Outputs of the holdings stream captured on the lab: vm01 Primary with /data and the VIP, vm02
    Secondary with nothing; then vm02 with mysqld running and /data not mounted."""
    holder = [holdings_stream.parse_line(line) for line in _lines("holdings_stream_vm01.txt")]
    standby = [holdings_stream.parse_line(line) for line in _lines("holdings_stream_vm02.txt")]
    assert {s.held.summary() for s in holder} == {"Primary VIP mounted (no cluster manager)"}
    assert {s.held.summary() for s in standby} == {"Secondary (no cluster manager)"}
    gaps = [b.at - a.at for a, b in itertools.pairwise(holder)]
    assert len(holder) >= 10 and all(0.09 < g < 0.12 for g in gaps), gaps
    assert [s.processes_read for s in holder[:6]] == [True, False, False, False, False, True]
    torn = [holdings_stream.parse_line(line) for line in _lines("holdings_stream_vm02_mysqld_unmounted.txt")]
    assert broken({"vm02": torn[0].held}) == ["mysqld on vm02 without its filesystem mounted"]


def test_a_stream_goes_on_across_a_step_of_the_nodes_wall_clock() -> None:
    """Captured on the rhcs lab's node1 with its wall clock set 120 s back 1.2 s into the capture: the
    stamps (time since boot) and the loop's sleeps do not move; before, the loop slept out the 120 s."""
    lines = _lines("holdings_stream_node1_clock_stepped_back.txt")
    samples = [holdings_stream.parse_line(line) for line in lines]
    gaps = [b.at - a.at for a, b in itertools.pairwise(samples)]
    assert len(samples) >= 20 and all(0.09 < g < 0.12 for g in gaps), gaps


def test_a_stream_line_cut_short_is_refused() -> None:
    with pytest.raises(ParseError):
        holdings_stream.parse_line("1796225948.573875 procs=1 mysqld=0 heartb")
    with pytest.raises(ParseError):
        holdings_stream.parse_line("bash: line 1: mapfile: not found")


def _lines(name: str) -> list[str]:
    return (DATA / name).read_text().splitlines()
