"""The kernel's own failure reports, picked out of a kernel log."""

from __future__ import annotations

from harness.verdicts.kernel_audit import reports

# from a lab node's dmesg during the split-brain scenario
CLEAN = """[   13.130000] drbd test/0 drbd1: new current UUID C905916BB026763B:32DACC8A25EB74E3
[   13.130000] drbd test: ack_receiver terminated
[   13.130000] drbd test: Connection closed
[   13.130000] drbd test: conn( Disconnecting -> StandAlone )"""


def test_a_clean_log_has_no_report() -> None:
    assert reports(CLEAN) == []


def test_each_kind_of_report_is_picked_out() -> None:
    bad = ["[  1.0] BUG: unable to handle page fault for address: 0000000000001000",
           "[  1.1] Oops: 0000 [#1] PREEMPT SMP",
           "[  1.2] traps: mysqld[812] general protection fault ip:7f0 sp:7ff error:0"]
    assert reports("\n".join([CLEAN, *bad])) == bad
