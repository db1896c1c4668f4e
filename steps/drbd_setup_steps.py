"""Steps of features/drbd: install, partition, configure, initialize (book 7.2 steps 1-6)."""

from __future__ import annotations

from pytest_bdd import given, then, when

from harness.clusters.drbd import DrbdPair
from harness.node import Result, on_each
from harness.ops import drbd as ops
from harness.ops import files as file_ops
from harness.ops import fs
from harness.probes import disk as disk_probe
from harness.probes import drbd, drbd_conf, files, host
from harness.report import attachments
from harness.scenario import Scenario
from harness.waiting import eventually

from . import book
from .drbd_common import attach_proc_drbd, book_command

PACKAGE_CONF = ('# You can find an example in  /usr/share/doc/drbd.../drbd.conf.example\n\n'
                'include "drbd.d/global_common.conf";\ninclude "drbd.d/*.res";\n')
NEW_MD = "New drbd meta data block successfully created."


# -- Givens: known states --------------------------------------------------------------------------
@given("/dev/sdb1 exists on each node and /etc/drbd.conf is still the package's own")
def _(pair: DrbdPair) -> None:
    pair.ensure_down()
    for name in pair.names:
        file_ops.write(pair.node(name), ops.CONF_PATH, PACKAGE_CONF)


@given("/dev/sdb on each node holds no partition table")
def _(pair: DrbdPair) -> None:
    pair.ensure_down()
    for name in pair.names:
        fs.wipe_signatures(pair.node(name), pair.disks[name])
        assert disk_probe.partition_table(pair.node(name), pair.disks[name]) is None


@given("the book's drbd.conf is on both nodes and the resource test is down")
def _(pair: DrbdPair) -> None:
    pair.ensure_down()


@given("/dev/sdb1 on each node holds neither a filesystem nor DRBD metadata")
def _(pair: DrbdPair) -> None:
    pair.ensure_blank()


@given("/dev/sdb1 on each node holds an ext3 filesystem")
def _(pair: DrbdPair) -> None:
    pair.ensure_blank()
    for name in pair.names:
        ops.mkfs(pair.node(name), pair.res.peer(name).disk, pair.fs)


@given("/dev/sdb1 on each node holds fresh DRBD metadata")
def _(pair: DrbdPair) -> None:
    pair.ensure_blank()
    for name in pair.names:
        ops.create_md(pair.node(name), pair.res, warn=False)


# -- 7.2 steps 1, 2, 4 -----------------------------------------------------------------------------
@then("the package drbd-utils is installed on each node")
def _(pair: DrbdPair) -> None:
    for name in pair.names:
        package = pair.node(name).host.package("drbd-utils")
        assert package.is_installed, f"drbd-utils is not installed on {name}"
        attachments.parameter(f"drbd-utils on {name}", package.version)


@then("drbdadm on each node talks to a DRBD 8.4 kernel module")
def _(pair: DrbdPair) -> None:
    for name in pair.names:
        node = pair.node(name)
        ops.load_module(node)
        version = drbd.utils_version(node)
        assert "DRBD_KERNEL_VERSION_CODE=0x0804" in version, f"{name}: drbdadm --version says:\n{version}"


@when("the names and cluster addresses of both hosts are written to /etc/hosts on each node")
def _(pair: DrbdPair) -> None:
    for name in pair.names:
        ops.write_hosts(pair.node(name), pair.res.peers)


@then("on each node every host name resolves to its cluster address")
def _(pair: DrbdPair) -> None:
    for name in pair.names:
        for peer in pair.res.peers:
            addresses = pair.node(name).host.addr(peer.name).ipv4_addresses
            assert addresses == [peer.address], f"on {name}, {peer.name} resolves to {addresses}"


@when(book.parse('"{command}" is run on each node'), target_fixture="results")
def _(pair: DrbdPair, command: str) -> dict[str, Result]:
    op = book_command(pair, command)
    return {name: op(pair.node(name)) for name in pair.names}


@when(book.parse('"{command}" is run on both nodes at once'), target_fixture="results")
def _(pair: DrbdPair, command: str) -> dict[str, Result]:
    op = book_command(pair, command)
    return dict(zip(pair.names, on_each([pair.node(n) for n in pair.names], op), strict=True))


# -- 7.2 step 3 ------------------------------------------------------------------------------------
@when("fdisk /dev/sdb is answered n, p, 1, default start, default end, w on each node")
def _(pair: DrbdPair) -> None:
    for name in pair.names:
        ops.partition(pair.node(name), pair.disks[name])


@then("/dev/sdb on each node has exactly one partition, /dev/sdb1, of type 83")
def _(pair: DrbdPair) -> None:
    for name in pair.names:
        table = disk_probe.partition_table(pair.node(name), pair.disks[name])
        assert table is not None, f"{name}: {pair.disks[name]} has no partition table"
        found = [(p.node, p.type) for p in table.partitions]
        assert found == [(pair.res.peer(name).disk, "83")], f"{name}: partitions {found}"


@then("/dev/sdb1 reaches from the first usable sector to the end of /dev/sdb")
def _(pair: DrbdPair) -> None:
    for name in pair.names:
        table = disk_probe.partition_table(pair.node(name), pair.disks[name])
        assert table is not None
        part = table.partitions[0]
        total = host.block_size_bytes(pair.node(name), pair.disks[name]) // table.sector_size
        assert part.start == 2048 and part.start + part.size == total, (
            f"{name}: {part.node} spans sectors {part.start}-{part.start + part.size} of {total}")
        attachments.parameter(f"{part.node} on {name}", f"{part.size * 512 // 1_000_000} MB")


# -- 7.2 step 5 ------------------------------------------------------------------------------------
@when("the book's drbd.conf for resource test is written to /etc/drbd.conf on each node")
def _(pair: DrbdPair) -> None:
    attachments.attach_text("drbd.conf (rendered)", ops.render_conf(pair.res))
    for name in pair.names:
        ops.write_conf(pair.node(name), pair.res)


@then("/etc/drbd.conf has the same checksum on both nodes")
def _(pair: DrbdPair) -> None:
    sums = {name: files.checksum(pair.node(name), ops.CONF_PATH) for name in pair.names}
    assert len(set(sums.values())) == 1 and "" not in sums.values(), f"md5sum of /etc/drbd.conf: {sums}"


@then("drbdadm on each node reads resource test with protocol C, port 7789, /dev/drbd1 on /dev/sdb1")
def _(pair: DrbdPair) -> None:
    for name in pair.names:
        conf = drbd_conf.read(pair.node(name), pair.res.name)
        assert conf.options.get("protocol") == "C", f"{name}: drbdadm read protocol {conf.options}"
        for peer in pair.res.peers:
            block = conf.hosts.get(peer.name)
            res, address = pair.res, f"{peer.address}:{pair.res.port}"
            want = drbd_conf.HostBlock(res.device, res.minor, peer.disk, address, "internal")
            assert block == want, f"{name}: drbdadm read for {peer.name}: {block}"


@then("the configuration says usage-count no, cram-hmac-alg sha1, meta-disk internal and syncer rate 100M")
def _(pair: DrbdPair) -> None:
    for name in pair.names:
        text = files.read(pair.node(name), ops.CONF_PATH)
        for needle in ("usage-count no;", "cram-hmac-alg sha1;", "meta-disk internal;", "rate 100M;"):
            assert needle in text, f"{name}: /etc/drbd.conf lacks {needle!r}"


@then("the shared secret in /etc/drbd.conf is the lab's secret, and the file is readable by root only")
def _(pair: DrbdPair) -> None:
    for name in pair.names:
        conf = pair.node(name).host.file(ops.CONF_PATH)
        assert conf.mode == 0o600 and conf.user == "root", f"{name}: mode {conf.mode:o}, owner {conf.user}"
        same = f'shared-secret "{pair.res.shared_secret}";' in conf.content_string  # no secret in the message
        assert same, f"{name}: /etc/drbd.conf holds another shared secret than the lab's"


# -- 7.2 step 6 ------------------------------------------------------------------------------------
@then(book.parse('it succeeded on each node and reported "{message}"'))
def _(results: dict[str, Result], message: str) -> None:
    for name, res in results.items():
        assert res.ok and message in res.stdout + res.stderr, f"{name}: exit {res.exit_code}: {res.stderr}"


@then("it was refused on each node, saying it found an ext3 filesystem")
def _(results: dict[str, Result]) -> None:
    for name, res in results.items():
        text = res.stdout + res.stderr
        assert not res.ok, f"{name}: create-md over a filesystem succeeded:\n{text}"
        # drbdmeta names every ext filesystem with a journal "ext3" (seen on ext4 too)
        assert "Found ext3 filesystem" in text and "Operation refused" in text, f"{name}:\n{text}"


@then(book.parse('/proc/drbd on {name} reads "{state}"'))
def _(pair: DrbdPair, name: str, state: str) -> None:
    seen = pair.await_state(name, state, timeout=30)
    attach_proc_drbd(pair, name)
    assert seen.state.startswith(state)


@when(book.parse('{name} is made Primary with the book\'s "drbdsetup /dev/drbd1 primary -o"'))
def _(pair: DrbdPair, name: str, scenario: Scenario) -> None:
    node = pair.node(name)
    book = ops.promote_book_83(node, pair.res)
    if book.ok:
        scenario.promoted_by = "drbdsetup /dev/drbd1 primary -o"
    else:
        ops.promote(node, pair.res, force=True)
        scenario.promoted_by = f"drbdadm primary --force {pair.res.name}"
        attachments.attach_text("the book's 8.3 spelling was refused",
                              f"`drbdsetup {pair.res.device} primary -o` exited {book.exit_code}: "
                              f"{book.stderr.strip().splitlines()[-1] if book.stderr.strip() else ''}\n"
                              f"DRBD 8.4's `drbdadm primary --force {pair.res.name}` was run instead.")
    attachments.parameter("promoted with", scenario.promoted_by)


@then(book.parse("/proc/drbd on {name} shows the initial sync running as SyncSource"))
def _(pair: DrbdPair, name: str) -> None:
    seen = pair.await_state(name, "cs:SyncSource ro:Primary/Secondary ds:UpToDate/Inconsistent", timeout=30)
    attach_proc_drbd(pair, name, f"/proc/drbd on {name} during the sync")
    assert seen.counters.get("oos", 0) > 0


@then(book.parse('within {seconds:d} seconds /proc/drbd on {name} reads "{state}"'))
def _(pair: DrbdPair, name: str, seconds: int, state: str) -> None:
    eventually(lambda: pair.state(name), lambda r: r.state.startswith(state), timeout=seconds,
               interval=2.0, describe=f"{state} on {name}")
    attach_proc_drbd(pair, name)


@then("the counters read as the book prints them: vm01 sent (ns) and read (dr) the whole disk, "
      "vm02 received (nr) and wrote (dw) it")
def _(pair: DrbdPair) -> None:
    primary, standby = pair.state(book.host("vm01")).counters, pair.state(book.host("vm02")).counters
    size_kib = host.block_size_bytes(pair.node(book.host("vm01")), pair.res.device) // 1024
    attachments.parameter("synced KiB", size_kib)
    assert primary["ns"] == primary["dr"] == size_kib and primary["nr"] == 0 and primary["dw"] == 0, primary
    assert standby["nr"] == standby["dw"] == size_kib and standby["ns"] == 0 and standby["dr"] == 0, standby


