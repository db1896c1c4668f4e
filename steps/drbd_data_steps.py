"""Steps of features/drbd: format, mount, the manual switch-over (book 7.2 steps 7-9)."""

from __future__ import annotations

from pytest_bdd import given, then, when

from harness.clusters.drbd import DrbdPair
from harness.ops import fs
from harness.probes import disk, drbd, files
from harness.report import attachments
from harness.scenario import Scenario

from . import book
from .drbd_common import book_command

BOOK_DF_SIZE_MIB = 1004   # the book's df: /dev/drbd1 ext3 1004M 18M 936M /data


@given("the resource test is replicating with vm01 Primary, nothing mounted")
def _(pair: DrbdPair) -> None:
    pair.ensure_replicating(book.host("vm01"))


@given("the resource test is replicating with vm01 Primary and a fresh ext3 filesystem on /data on vm01")
def _(pair: DrbdPair) -> None:
    pair.ensure_replicating(book.host("vm01"), formatted=True, mounted=True, fresh_fs=True)


@given("/dev/drbd1 holds an ext3 filesystem")
def _(pair: DrbdPair) -> None:
    pair.ensure_replicating(book.host("vm01"), formatted=True)


@when(book.re(r'"(?P<command>[^"]+)" is run on (?P<name>[a-z][a-z0-9]*)$'))
def _(pair: DrbdPair, command: str, name: str) -> None:
    book_command(pair, command)(pair.node(name))


@then(book.parse("/dev/drbd1 holds an ext3 filesystem on {name}"))
def _(pair: DrbdPair, name: str) -> None:
    fs = pair.fs_type(name)
    assert fs == pair.fs, f"blkid says {pair.res.device} on {name} holds {fs!r}"


@then(book.parse("{name}, the Secondary, cannot open /dev/drbd1"))
def _(pair: DrbdPair, name: str) -> None:
    res = drbd.read_block(pair.node(name), pair.res.device)
    assert not res.ok, f"{name} read /dev/drbd1 although it is Secondary"
    assert "Wrong medium type" in res.stderr, f"{name}: {res.stderr}"


@then(book.parse("df on {name} shows /dev/drbd1 of type ext3 on /data, about 1004M as in the book"))
def _(pair: DrbdPair, name: str) -> None:
    row, out = disk.df(pair.node(name), pair.mountpoint)
    attachments.attach_text(f"df on {name}", out)
    assert (row.device, row.fstype, row.mounted_on) == (pair.res.device, pair.fs, pair.mountpoint), out
    attachments.parameter("df size", f"{row.size_mib}M (book: {BOOK_DF_SIZE_MIB}M)")
    assert abs(row.size_mib - BOOK_DF_SIZE_MIB) <= BOOK_DF_SIZE_MIB * 0.05, \
        f"df shows {row.size_mib}M, the book 1004M"


@then("the drbd service is not enabled at boot on either node")
def _(pair: DrbdPair) -> None:
    for name in pair.names:
        service = pair.node(name).host.service("drbd")
        assert not service.is_enabled, f"the drbd service is enabled at boot on {name}"


@when(book.parse("aa.txt is written to /data on {name} and its checksum recorded"))
def _(pair: DrbdPair, name: str, scenario: Scenario) -> None:
    node = pair.node(name)
    fs.write_dated_sample(node, f"{pair.mountpoint}/aa.txt")
    scenario.aa_md5 = files.checksum(node, f"{pair.mountpoint}/aa.txt")
    attachments.parameter("aa.txt md5", scenario.aa_md5)


@when(book.parse('on {name} "{first}" and "{second}" are run'))
def _(pair: DrbdPair, name: str, first: str, second: str) -> None:
    for words in (first, second):
        book_command(pair, words)(pair.node(name))


@then(book.parse('"ls /data" on {name} shows aa.txt and lost+found'))
def _(pair: DrbdPair, name: str) -> None:
    listing = files.names(pair.node(name), pair.mountpoint)
    assert sorted(listing) == ["aa.txt", "lost+found"], f"ls {pair.mountpoint} on {name}: {listing}"


@then(book.parse("aa.txt on {name} has the checksum recorded on {origin}"))
def _(pair: DrbdPair, name: str, origin: str, scenario: Scenario) -> None:
    seen = files.checksum(pair.node(name), f"{pair.mountpoint}/aa.txt")
    assert seen == scenario.aa_md5, f"aa.txt on {name}: md5 {seen}, on {origin} it was {scenario.aa_md5}"


