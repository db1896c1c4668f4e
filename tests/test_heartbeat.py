"""Heartbeat's configuration as rendered; ha-log takeovers captured from the lab; the canary's log."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from harness.ops.heartbeat import (
    HaCluster,
    SecondChannel,
    render_authkeys,
    render_ha_cf,
    render_haresources,
    timing_problems,
)
from harness.ops.mariadb import render_cnf
from harness.probes.halog import (
    acquisition_ended_empty,
    events,
    packets_missed,
    phases_since,
    takeover_phases,
)
from harness.probes.mariadb import rows
from harness.workloads.acks import AckLog

DATA = Path(__file__).parent / "data"
BOOK = HaCluster((("vm01", "192.168.8.22"), ("vm02", "192.168.8.23")),
                 "drbddisk::test Filesystem::/dev/drbd1::/data::ext3 192.168.8.100 mysql")


def test_ha_cf_points_each_node_at_the_other() -> None:
    vm01 = render_ha_cf(BOOK, "vm01").splitlines()
    assert "ucast eth0 192.168.8.23" in vm01 and "ucast eth0 192.168.8.22" not in vm01
    assert "ucast eth0 192.168.8.22" in render_ha_cf(BOOK, "vm02")
    assert [ln for ln in vm01 if ln.startswith("node ")] == ["node vm01", "node vm02"]
    for line in ("logfile /var/log/ha-log", "warntime 4", "initdead 12", "udpport 694", "auto_failback off"):
        assert line in vm01
    with pytest.raises(ValueError, match="vm9 is not a node"):
        render_ha_cf(BOOK, "vm9")


def test_a_second_channel_adds_a_ucast_line_to_the_peer_on_its_interface() -> None:
    two = replace(BOOK, second=SecondChannel("eth1", (("vm01", "10.254.0.11"), ("vm02", "10.254.0.12"))))
    vm01 = render_ha_cf(two, "vm01").splitlines()
    ucast = [ln for ln in vm01 if ln.startswith("ucast ")]
    assert ucast == ["ucast eth0 192.168.8.23", "ucast eth1 10.254.0.12"]
    assert "ucast eth1 10.254.0.11" in render_ha_cf(two, "vm02")
    assert render_ha_cf(BOOK, "vm01").count("ucast ") == 1


def test_haresources_and_authkeys_as_in_the_book() -> None:
    assert render_haresources(BOOK) == ("vm01 drbddisk::test Filesystem::/dev/drbd1::/data::ext3 "
                                        "192.168.8.100 mysql\n")
    assert render_authkeys() == "auth 1\n1 crc\n"


def test_timings_are_checked_for_sense() -> None:
    assert timing_problems(BOOK) == []
    bad = replace(BOOK, keepalive_s=5, deadtime_s=8, initdead_s=6)
    problems = " / ".join(timing_problems(bad))
    assert "deadtime 8 s must exceed twice keepalive (10 s)" in problems
    assert "warntime 4 s must lie between keepalive and deadtime" in problems
    assert "initdead 6 s must be at least deadtime (8 s)" in problems


def test_takeover_phases_from_the_survivors_ha_log() -> None:
    evs = events((DATA / "ha-log_vm02_takeover_after_power_off.txt").read_text(), 2026)
    assert [e.subject for e in evs if e.what == "dead"] == ["vm01"]
    assert takeover_phases(evs) == {"drbddisk": 0.0, "Filesystem": 2.0, "IPaddr": 3.0, "mysql": 4.0,
                                    "complete": 5.0}


def test_no_death_no_phases() -> None:
    line = "Nov 30 22:15:37 vm01 heartbeat: [1]: info: Link vm02:eth0 up.\n"
    assert takeover_phases(events(line, 2026)) == {}


def test_canary_outage_spans_the_fault() -> None:
    log = AckLog()
    events_seen: list[dict[str, object]] = [{"n": 1, "t": 10.0}, {"n": 2, "t": 10.1},
                                            {"n": 3, "t": 10.2, "err": "refused"}, {"n": 3, "t": 24.9}]
    for event in events_seen:
        log.add(event)
    assert log.outage_s(fault_at=10.15) == pytest.approx(14.8)
    assert [n for n, _ in log.acked] == [1, 2, 3] and log.errors == [(3, 10.2, "refused")]
    assert log.outage_s(fault_at=30.0) is None


def test_the_outage_is_the_longest_gap_after_the_fault() -> None:
    log = AckLog()
    for n, t in enumerate([10.0, 10.1, 10.2, 10.3, 17.6, 17.7, 20.0], start=1):
        log.add({"n": n, "t": t})
    # a standby: the writes go on for a moment after the command, then stop for 7.3 s
    assert log.outage_s(fault_at=10.15) == pytest.approx(7.3)
    assert log.outage_s(fault_at=10.15, until=17.65) == pytest.approx(7.3)
    assert log.outage_s(fault_at=17.65) == pytest.approx(2.3)
    assert log.acked_between(10.15, 17.6) == [3, 4, 5]


def test_phases_are_counted_from_the_fault_on_the_nodes_clock() -> None:
    evs = events((DATA / "ha-log_vm02_takeover_after_power_off.txt").read_text(), 2026)
    dead = next(e.at for e in evs if e.what == "dead")
    origin = dead - timedelta(seconds=9.6)
    assert phases_since(evs, origin) == {"dead": 9.6, "drbddisk": 9.6, "Filesystem": 11.6, "IPaddr": 12.6,
                                         "mysql": 13.6, "complete": 14.6}
    assert phases_since(evs, dead + timedelta(hours=1)) == {}


def test_mariadb_settings_and_table_names() -> None:
    cnf = render_cnf("/data/mysql")
    for line in ("[mysqld]", "datadir = /data/mysql", "innodb_flush_log_at_trx_commit = 1",
                 "innodb_buffer_pool_size = 64M", "bind-address = 0.0.0.0", "skip-name-resolve"):
        assert line in cnf.splitlines()
    with pytest.raises(ValueError, match="not a canary table name"):
        rows(None, "canary; DROP TABLE x")  # type: ignore[arg-type]


def test_phases_of_a_standby_takeover_on_vm02() -> None:
    # hb_standby on vm01 at 23:30:18; its scripts' path has one slash here, two after a death
    evs = events((DATA / "ha-log_vm02_standby_takeover.txt").read_text(), 2026)
    assert phases_since(evs, datetime(2026, 11, 30, 23, 30, 18, 400000)) == {
        "drbddisk": 2.6, "Filesystem": 3.6, "IPaddr": 4.6, "mysql": 6.6, "complete": 7.6}


def test_phases_of_a_failback_on_vm01() -> None:
    # Heartbeat started by hand on the repaired vm01 at 23:29:14, auto_failback on
    evs = events((DATA / "ha-log_vm01_failback.txt").read_text(), 2026)
    assert phases_since(evs, datetime(2026, 11, 30, 23, 29, 14)) == {
        "drbddisk": 5.0, "Filesystem": 6.0, "IPaddr": 7.0, "mysql": 8.0, "complete": 9.0}


def test_writes_that_never_resumed_have_no_recovery_time() -> None:
    log = AckLog()
    for n, t in enumerate([10.0, 10.1, 10.2, 10.3], start=1):   # a clean stop lets a few rows through
        log.add({"n": n, "t": t})
    log.ended_at = 40.0                                          # the canary watched on for 30 s
    assert log.outage(fault_at=10.15) == (10.3, 40.0, False)
    assert log.outage_s(fault_at=10.15) is None


def test_waiting_for_acknowledgements_ends_when_the_writer_stops() -> None:
    log = AckLog()
    log.add({"n": 1, "t": 1.0})
    assert log.wait_for(5, timeout=30, running=lambda: False) == 1
    assert log.wait_for(1, timeout=30, running=lambda: True) == 1


def test_a_start_that_acquired_nothing_is_told_from_a_good_one() -> None:
    stuck = (DATA / "ha-log_vm01_start_acquired_nothing.txt").read_text()
    good = (DATA / "ha-log_vm01_start_acquired_group.txt").read_text()
    assert acquisition_ended_empty(stuck)
    assert not acquisition_ended_empty(good)
    before_the_end = good[:good.index("Local Resource acquisition completed")]
    assert not acquisition_ended_empty(before_the_end)   # still starting: nothing to judge yet


def test_the_packets_missed_from_a_peer_are_summed_from_its_gap_warnings() -> None:
    text = (DATA / "ha-log_lossy_link.txt").read_text()    # vm02's, 20 % of vm01's packets lost for 30 s
    assert packets_missed(text, "vm01") == 3
    assert packets_missed(text, "vm02") == 0
    assert packets_missed("", "vm01") == 0
