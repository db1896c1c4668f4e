"""What a node holds, read from outputs captured on the lab; the invariants over both nodes."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.probes.errors import ParseError
from harness.probes.holdings import Holdings, parse
from harness.workloads.monitor import Episode, Findings, broken

DATA = Path(__file__).parent / "data"
VIP = "192.168.8.100"


def _held(role: str = "Secondary", vip: bool = False, mounted: bool = False,
          mysqld: bool = False) -> Holdings:
    return Holdings(mysqld=mysqld, vip=vip, mounted=mounted, role=role, heartbeat=True)


def test_the_active_node_holds_the_whole_group() -> None:
    h = parse((DATA / "holdings_active_whole_group.txt").read_text(), VIP)
    assert h == Holdings(mysqld=True, vip=True, mounted=True, role="Primary", heartbeat=True)
    assert h.summary() == "Primary mysqld VIP /data"


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
    assert broken({"vm01": _held("Secondary", mounted=True)}) == ["/data mounted on vm01, which is Secondary"]
    assert broken({"vm01": _held("Primary", mysqld=True)}) == ["mysqld on vm01 without /data"]


def test_an_invariant_broken_over_several_samples_is_one_episode() -> None:
    ok = {"vm01": _held("Primary", True, True, True), "vm02": _held()}
    split = {"vm01": _held("Primary", True, True, True), "vm02": _held("Primary", True, True, True)}
    findings, open_ = Findings(), dict[str, Episode]()
    for at, held in enumerate([ok, split, split, split, ok, split]):
        open_ = findings.note(float(at), held, open_)
    vip = [e for e in findings.episodes if e.what.startswith("the VIP")]
    assert [(e.first, e.last) for e in vip] == [(1.0, 3.0), (5.0, 5.0)]
    assert findings.samples == 6 and len(findings.timeline) == 4
    assert vip[0].render(origin=1.0) == "+0.0 s to +2.0 s: the VIP on vm01 and vm02"


def test_a_node_not_read_is_unknown_never_holding_nothing() -> None:
    ok: dict[str, Holdings | None] = {"vm01": _held("Primary", True, True, True), "vm02": _held()}
    unread: dict[str, Holdings | None] = {"vm01": _held("Primary", True, True, True), "vm02": None}
    findings, open_ = Findings(), dict[str, Episode]()
    for at, held in enumerate([ok, unread, unread, ok]):
        open_ = findings.note(float(at), held, open_)
    assert [summary["vm02"] for _, summary in findings.timeline] == ["Secondary", "unknown", "Secondary"]
    assert (findings.samples, findings.complete, findings.unread) == (4, 2, {"vm02": 2})
    assert findings.episodes == []     # nothing is judged of a node not read
