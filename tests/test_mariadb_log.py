"""MariaDB's start read from the node's journal, captured on the rhcs lab: node2 starting MariaDB on the
shared LUN after node1 was fenced mid-write (InnoDB's crash recovery)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from harness.probes import mariadb_log

DATA = Path(__file__).parent / "data"


def test_a_start_after_a_crash_recovers_innodb_and_says_when_it_was_ready() -> None:
    start = mariadb_log.last_start((DATA / "journal_mariadb_crash_recovery.txt").read_text(), 2026)
    assert start is not None
    assert start.started == datetime(2026, 12, 3, 14, 17, 34, 945199)
    assert start.crash_recovery and start.pages == 26
    assert start.ready == datetime(2026, 12, 3, 14, 17, 36, 42868)
    assert start.ready_after_s == 1.1


def test_the_same_start_read_before_it_was_ready_or_without_the_recovery() -> None:
    """The capture cut before "ready for connections" (the journal read while MariaDB starts), and with
    InnoDB's recovery lines taken out (what a clean start prints): neither figure is made up."""
    lines = (DATA / "journal_mariadb_crash_recovery.txt").read_text().splitlines()
    ready = next(i for i, line in enumerate(lines) if "ready for connections" in line)
    starting = mariadb_log.last_start("\n".join(lines[:ready]), 2026)
    assert starting is not None and starting.crash_recovery and starting.ready is None
    assert starting.ready_after_s is None
    clean = mariadb_log.last_start("\n".join(line for line in lines if "recover" not in line), 2026)
    assert clean is not None and not clean.crash_recovery and clean.pages is None
    assert clean.ready_after_s == 1.1
    assert mariadb_log.last_start("-- No entries --", 2026) is None
