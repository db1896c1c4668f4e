"""An existing iSCSI target in a site's profile (site.storage), or its shared LUNs named by WWN, stand in for
the book's storage node of 7.3: read with its portal and name (its WWNs), checked with every problem by its
path, never beside a storage host."""

from __future__ import annotations

from pathlib import Path

import yaml
from inventory_files import loaded, problems

from harness.lab.site import as_section
from harness.node import Result
from harness.probes import iscsi, scsi

DATA = Path(__file__).parent / "data"

RHCS_SITE = """\
name: staging-db
topology: rhcs
hosts:
  - {name: node1, address: 10.0.0.1, cluster_address: 10.77.5.11}
  - {name: node2, address: 10.0.0.2, cluster_address: 10.77.5.12}
site:
  storage: {portal: 10.77.5.50, iqn: "iqn.2004-01.com.example.san:db.shared"}
"""
STORAGE_HOST = "  - {name: storage, address: 10.0.0.3, cluster_address: 10.77.5.13, disks: {sdb: /dev/sdb}}\n"


def test_an_existing_target_stands_in_for_the_storage_node(tmp_path: Path) -> None:
    site = loaded(tmp_path, RHCS_SITE).site
    assert site.existing_target
    assert (site.storage_portal, site.storage_iqn) == ("10.77.5.50", "iqn.2004-01.com.example.san:db.shared")
    text = RHCS_SITE.split("site:")[0] + yaml.safe_dump({"site": as_section(site)})
    assert loaded(tmp_path, text).site == site


def test_without_a_target_the_storage_node_must_be_played(tmp_path: Path) -> None:
    text = RHCS_SITE.split("site:")[0]
    assert problems(tmp_path, text) == [
        "site.nodes.storage: no host plays the book's storage (name one: site: {nodes: {storage: HOST}}; "
        "hosts: node1, node2)"]
    assert not loaded(tmp_path, text.replace("hosts:\n", "hosts:\n" + STORAGE_HOST)).site.existing_target


def test_a_target_and_a_storage_host_both_are_refused(tmp_path: Path) -> None:
    text = RHCS_SITE.replace("hosts:\n", "hosts:\n" + STORAGE_HOST)
    assert problems(tmp_path, text) == [
        "site.storage: the site's own storage stands in for the book's storage node, and host storage "
        "plays it too: give one of them"]


def test_every_problem_of_a_target_is_named_by_its_path(tmp_path: Path) -> None:
    half = RHCS_SITE.replace(', iqn: "iqn.2004-01.com.example.san:db.shared"', "")
    assert problems(tmp_path, half) == [
        "site.storage: give both portal and iqn (the existing target's address and name)",
        "site.nodes.storage: no host plays the book's storage (name one: site: {nodes: {storage: HOST}}; "
        "hosts: node1, node2)"]
    bad = (RHCS_SITE.replace("portal: 10.77.5.50", "portal: san01;reboot")
           .replace("iqn.2004-01.com.example.san:db.shared", "iqn.2004-01.com.example san:$(id)")
           .replace("iqn:", "iqm:"))
    assert problems(tmp_path, bad) == [
        "site.storage.iqm: unknown key; did you mean 'iqn'?",
        "site.storage: give both portal and iqn (the existing target's address and name)",
        "site.storage.portal: 'san01;reboot' is not an IP address",
        "site.nodes.storage: no host plays the book's storage (name one: site: {nodes: {storage: HOST}}; "
        "hosts: node1, node2)"]
    wrong_name = RHCS_SITE.replace("iqn.2004-01.com.example.san:db.shared", "db shared")
    assert "site.storage.iqn: 'db shared' is not an iSCSI name (iqn.YYYY-MM.domain:name, eui.HEX or " \
           "naa.HEX)" in problems(tmp_path, wrong_name)


def test_a_discovery_and_a_members_session_read_as_the_lab_printed_them() -> None:
    text = (DATA / "iscsiadm_discovery_site_target.txt").read_text()
    said = Result("node1", "iscsiadm -m discovery -t sendtargets", 0, text, "", 0.1)
    assert iscsi.discovered(said) == ["iqn.2004-01.test.site:san.db"]
    details = (DATA / "iscsiadm_session_P3_node1.txt").read_text()
    assert iscsi.parse_session_details(details) == {
        "iqn.2004-01.test.site:san.db": "iqn.2026-11.io.hadrill:rhcs.node1"}
    assert iscsi.parse_session_details("iSCSI Transport Class version 2.0-870\nversion 2.1.8\n") == {}


LUNS_SITE = RHCS_SITE.replace('storage: {portal: 10.77.5.50, iqn: "iqn.2004-01.com.example.san:db.shared"}',
                              'storage: {luns: [0x60000000000000000e00000000010001, "0x6001405F3B2C4D5E"]}')


def test_luns_named_by_wwn_stand_in_for_the_storage_node(tmp_path: Path) -> None:
    site = loaded(tmp_path, LUNS_SITE).site
    # YAML reads an unquoted 0x... as a number: given back as lsblk prints it, as is the quoted one
    assert site.storage_luns == ("0x60000000000000000e00000000010001", "0x6001405f3b2c4d5e")
    assert site.existing_storage and not site.existing_target
    text = LUNS_SITE.split("site:")[0] + yaml.safe_dump({"site": as_section(site)})
    assert loaded(tmp_path, text).site == site
    both = LUNS_SITE.replace("{luns:", '{portal: 10.77.5.50, iqn: "iqn.2004-01.com.example.san:db", luns:')
    assert loaded(tmp_path, both).site.existing_target


def test_every_problem_of_the_luns_is_named_by_its_path(tmp_path: Path) -> None:
    def said(luns: str) -> list[str]:
        return problems(tmp_path, LUNS_SITE.replace(
            '[0x60000000000000000e00000000010001, "0x6001405F3B2C4D5E"]', luns))
    assert said("[]")[0] == ("site.storage.luns: expected a list of one or two WWNs (the service's "
                             "filesystem, then GFS2), got []")
    assert said("[0x1, 0x2, 0x3]")[0].startswith("site.storage.luns: expected a list of one or two WWNs")
    assert said('["wwn-0x6001405f3b2c4d5e"]')[0] == (
        "site.storage.luns[0]: 'wwn-0x6001405f3b2c4d5e' is not a WWN as lsblk shows it (0x and 16 or 32 hex "
        "digits)")
    assert said('["0x6001405f3b2c4d5e", 0x6001405f3b2c4d5e]')[0] == (
        "site.storage.luns: given twice: 0x6001405f3b2c4d5e (each LUN once)")


def test_the_disks_with_a_wwn_whatever_their_transport() -> None:
    text = (DATA / "lsblk_json_node2_iscsi.json").read_text()
    assert [(d.name, d.wwn) for d in scsi.parse(text, transport=None)] == [
        ("sda", "0x60000000000000000e00000000010001"), ("sdb", "0x60000000000000000e00000000010002")]
    assert scsi.parse(text) == scsi.parse(text, transport=None)   # here every disk with a WWN is iSCSI
