"""A site's own names in an inventory or a topology: the book's values where it says nothing, each problem
named by its path, the roles of the book's nodes filled."""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from inventory_files import loaded, problems

from harness.lab import site, topology
from harness.lab.site import BOOK, Site, as_section
from steps import book

SITE_INVENTORY = """\
name: staging
topology: drbd
hosts:
  - {name: alpha, address: 10.0.0.1, cluster_address: 10.77.5.11, disks: {sdc: /dev/vdc}}
  - {name: bravo, address: 10.0.0.2, cluster_address: 10.77.5.12, disks: {sdc: /dev/vdc}}
site:
  nodes: {vm01: alpha, vm02: bravo}
  drbd: {resource: r0, minor: 0, disk: sdc, port: 7790}
  filesystem: {mountpoint: /srv/db, type: ext4}
  network: {interface: ens4, prefix: 26}
"""




def test_a_site_gives_its_own_names_for_the_books() -> None:
    assert Site(nodes={}, resource="test", minor=1, disk="sdb", port=7789, mountpoint="/data",
                        filesystem="ext3", interface="eth0", prefix=24) == BOOK
    assert BOOK.device == "/dev/drbd1" and BOOK.host("vm01") == "vm01"


def test_an_inventory_reads_the_site_and_maps_the_books_nodes(tmp_path: Path) -> None:
    site = loaded(tmp_path, SITE_INVENTORY).site
    assert (site.resource, site.device, site.disk, site.port) == ("r0", "/dev/drbd0", "sdc", 7790)
    assert (site.mountpoint, site.filesystem, site.interface, site.prefix) == ("/srv/db", "ext4", "ens4", 26)
    assert (site.host("vm01"), site.host("vm02"), site.book_name("bravo")) == ("alpha", "bravo", "vm02")


def test_an_inventory_without_a_site_is_the_books(tmp_path: Path) -> None:
    text = SITE_INVENTORY.split("site:")[0].replace("alpha", "vm01").replace("bravo", "vm02")
    assert loaded(tmp_path, text.replace("sdc:", "sdb:")).site == BOOK


def test_every_problem_of_a_site_is_named_by_its_path(tmp_path: Path) -> None:
    text = (SITE_INVENTORY.replace("vm02: bravo", "vm02: brovo").replace("resource: r0", "resorce: r0")
            .replace("port: 7790", "port: 70000").replace("type: ext4", "type: zfs")
            .replace("interface: ens4", "interface: 'eth 0'"))
    assert problems(tmp_path, text) == [
        "site.drbd.resorce: unknown key; did you mean 'resource'?",
        "site.nodes.vm02: 'brovo' is not a host here; did you mean 'bravo'?",
        "site.drbd.port: expected a whole number from 1 to 65535, got 70000",
        "site.filesystem.type: 'zfs' is not one hadrill formats and checks (ext3, ext4)",
        "site.network.interface: 'eth 0' is not an interface name",
        "site.nodes.vm02: no host plays the book's vm02 (name one: site: {nodes: {vm02: HOST}}; "
        "hosts: alpha, bravo)"]


def test_the_sites_drbd_disk_must_be_on_every_host(tmp_path: Path) -> None:
    text = SITE_INVENTORY.replace("disk: sdc", "disk: sdd")
    assert problems(tmp_path, text) == [
        "hosts[0].disks: no sdd (the site's DRBD disk, site.drbd.disk); did you mean 'sdc'?",
        "hosts[1].disks: no sdd (the site's DRBD disk, site.drbd.disk); did you mean 'sdc'?"]


def test_a_host_named_like_another_of_the_books_nodes_may_not_play_it(tmp_path: Path) -> None:
    text = (SITE_INVENTORY.replace("name: alpha", "name: vm02").replace("vm01: alpha", "vm01: vm02")
            .replace("vm02: bravo", "vm02: bravo"))
    assert "site.nodes.vm01: vm02 is one of the book's own names; it may play only vm02, or a feature's " \
           "vm02 would name two hosts" in problems(tmp_path, text)


def test_a_topology_reads_its_site_and_checks_its_disk() -> None:
    text = topology.load("drbd")
    assert text.site == BOOK
    source = (Path(topology.__file__).parent / "topologies" / "drbd.yaml").read_text()
    with pytest.raises(topology.TopologyError, match=r"nodes.vm01.disks: no disk sdc"):
        topology.parse(source + "site: {drbd: {disk: sdc}}\n", "t.yaml")


BOOK_VALUES = re.compile(r"\bvm0[12]\b|/dev/drbd1\b|(?<![\w/])/data\b|\beth0\b|\b7789\b|\bsdb1?\b"
                         r"|192\.168\.8\.")
# Where the book's values may stand in code: the book's own defaults, a hint about a disk's name, and
# the book's printed commands that the runbook quotes beside what ran.
BOOK_VALUES_LIVE_IN = {"harness/lab/site.py", "harness/lab/topology.py", "harness/report/book_steps.py"}


def _strings_of_code(path: Path) -> list[tuple[int, str]]:
    """Every text constant of a module that is not a docstring, with its line."""
    tree = ast.parse(path.read_text())
    docs = {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef) and node.body
            and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs]


def test_nothing_in_the_harness_names_the_books_lab() -> None:
    """The book's host names, resource device, mount point, interface, port, disk and addresses come from
    the site (whose defaults are the book's), never from a constant in harness/."""
    root = Path(__file__).parent.parent
    found = [f"{path.relative_to(root)}:{line}: {text[:60]!r}"
             for path in sorted((root / "harness").rglob("*.py"))
             if str(path.relative_to(root)) not in BOOK_VALUES_LIVE_IN
             for line, text in _strings_of_code(path) if BOOK_VALUES.search(text)]
    assert not found, "\n".join(found)


def test_the_scan_sees_a_book_value_in_code(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text('"""Docstrings may say /data."""\nMOUNT = "/data"\nNIC = f"dev eth0 {1}"\n')
    found = [text for _, text in _strings_of_code(module) if BOOK_VALUES.search(text)]
    assert found == ["/data", "dev eth0 "]


def test_a_site_written_as_a_section_reads_back_the_same(tmp_path: Path) -> None:
    site = loaded(tmp_path, SITE_INVENTORY).site
    assert as_section(BOOK) == {}
    text = SITE_INVENTORY.split("site:")[0] + yaml.safe_dump({"site": as_section(site)})
    assert loaded(tmp_path, text).site == site


def test_a_steps_book_node_names_are_the_sites_hosts(tmp_path: Path) -> None:
    site.activate(loaded(tmp_path, SITE_INVENTORY).site)
    try:
        assert book.parse("{name} is made Primary, then {other}").parse_arguments(
            "vm02 is made Primary, then vm01") == {"name": "bravo", "other": "alpha"}
        assert book.re(r"(?P<a>\w+) and (?P<n>\d+)").parse_arguments("storage and 3") == {"a": "storage",
                                                                                           "n": "3"}
        assert (book.host("vm01"), book.disk()) == ("alpha", "sdc")
    finally:
        site.activate(BOOK)


def test_a_line_the_book_prints_reads_with_the_sites_values(tmp_path: Path) -> None:
    line = "vm01 drbddisk::test Filesystem::/dev/drbd1::/data::ext3 192.168.8.100 mysql"
    assert book.on_site(line, "192.168.8.100") == line
    assert book.on_site("/data/mysql", "") == "/data/mysql"
    site.activate(loaded(tmp_path, SITE_INVENTORY).site)
    try:
        # on another interface than the book's, Heartbeat's IPaddr is told it (its default is the book's)
        assert book.on_site(line, "10.77.5.50") == \
            "alpha drbddisk::r0 Filesystem::/dev/drbd0::/srv/db::ext4 IPaddr::10.77.5.50/26/ens4 mysql"
        assert book.on_site("/data/mysql", "") == "/srv/db/mysql"
        site.activate(replace(site.active(), interface=BOOK.interface))
        assert book.on_site(line, "10.77.5.50") == \
            "alpha drbddisk::r0 Filesystem::/dev/drbd0::/srv/db::ext4 10.77.5.50 mysql"
    finally:
        site.activate(BOOK)
