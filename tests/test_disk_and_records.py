"""sfdisk -J as the lab printed it; the records file of the acknowledging writer."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.probes import disk
from harness.probes.disk import Partition, parse_sfdisk_json
from harness.probes.errors import ParseError
from harness.workloads.ackwriter import parse_records

DATA = Path(__file__).parent / "data"


def test_the_book_partition() -> None:
    table = parse_sfdisk_json((DATA / "sfdisk_json_sdb.json").read_text())
    assert table.label == "dos" and table.sector_size == 512
    assert table.partitions == (Partition("/dev/sdb1", 2048, 2095104, "83"),)
    assert table.partitions[0].start + table.partitions[0].size == 2097152   # blockdev --getsz /dev/sdb


def test_not_a_table() -> None:
    with pytest.raises(ParseError, match="partitiontable"):
        parse_sfdisk_json("sfdisk: cannot open /dev/sdz")


def test_records_skip_a_torn_last_line() -> None:
    assert parse_records("00000001\n00000002\n0000000") == [1, 2]
    assert parse_records("") == []


def test_records_keep_their_order_and_repeats() -> None:
    assert parse_records("00000002\n00000001\n00000002\n") == [2, 1, 2]


def test_a_disk_whose_name_ends_in_a_digit_takes_a_p_before_its_partition_number() -> None:
    assert disk.first_partition("/dev/sdb") == "/dev/sdb1"
    assert disk.first_partition("/dev/nvme1n1") == "/dev/nvme1n1p1"
    assert disk.first_partition("/dev/mmcblk0") == "/dev/mmcblk0p1"
