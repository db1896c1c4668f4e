"""The ssh provider on hosts it did not make: an embedded lab taken as an inventory (`hadrill lab inventory`).

Each bad input is refused before anything runs on the host, saying what is wrong and what there is.
"""

from __future__ import annotations

import copy
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.lab import lab_inventory, preflight
from harness.lab.inventory import parse
from harness.lab.preflight import PreflightError
from harness.lab.providers.ssh import SshHosts
from harness.lab.providers.uml import UmlLab
from harness.node import Node

pytestmark = pytest.mark.lab


@pytest.fixture(scope="module")
def lab() -> Iterator[UmlLab]:
    lab = UmlLab("drbd", "tssh")
    lab.up()
    yield lab
    lab.down()


@pytest.fixture
def data(lab: UmlLab) -> dict[str, Any]:
    return copy.deepcopy(lab_inventory.inventory(lab))


def _check(data: dict[str, Any], host: int = 0) -> None:
    preflight.check(parse(data, "inventory").hosts[host])


def _address(data: dict[str, Any], host: int) -> str:
    return str(data["hosts"][host]["address"])


def test_a_lab_as_an_inventory_passes_every_check(data: dict[str, Any]) -> None:
    hosts = SshHosts(parse(data, "inventory"))
    hosts.up()
    try:
        node = Node(hosts.node("vm02"))
        assert node.run("uname -n").stdout.strip() == "vm02"
        node.close()
        assert hosts.secrets()["drbd_shared_secret"] == "FooFunFactory"   # read from the file it names
    finally:
        hosts.down()


def test_a_wrong_key_is_an_authentication_failure(data: dict[str, Any], tmp_path: Path) -> None:
    key = tmp_path / "other_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    data["ssh"]["key"] = str(key)
    with pytest.raises(PreflightError, match=rf"^vm01: authentication failed for root@{_address(data, 0)} "
                                             rf"with {key} "):
        _check(data)


def test_an_unknown_host_key_is_refused_with_its_fingerprint(data: dict[str, Any], tmp_path: Path) -> None:
    (tmp_path / "known_hosts").write_text("")
    data["ssh"]["known_hosts"] = str(tmp_path / "known_hosts")
    with pytest.raises(PreflightError, match=rf"^vm01: unknown host key: {_address(data, 0)} offers "
                                             r"ssh-ed25519 SHA256:[A-Za-z0-9+/]{43}, and "):
        _check(data)


def test_a_changed_host_key_is_refused_with_both_fingerprints(data: dict[str, Any], tmp_path: Path,
                                                              lab: UmlLab) -> None:
    vm02_line = next(ln for ln in lab.known_hosts.read_text().splitlines() if ln.startswith("vm02,"))
    vm02_key = vm02_line.split(None, 1)[1]
    (tmp_path / "known_hosts").write_text(f"vm01,{_address(data, 0)} {vm02_key}\n")
    data["ssh"]["known_hosts"] = str(tmp_path / "known_hosts")
    with pytest.raises(PreflightError) as err:
        _check(data)
    said = str(err.value)
    assert said.startswith("vm01: host key changed: ") and said.count("ssh-ed25519 SHA256:") == 2, said


def test_a_host_that_calls_itself_otherwise_is_refused(data: dict[str, Any]) -> None:
    data["hosts"][0]["address"] = _address(data, 1)    # vm01's entry points at vm02
    data["hosts"][1]["address"] = "10.254.0.99"
    with pytest.raises(PreflightError, match=rf"^vm01: the host at {_address(data, 0)} calls itself 'vm02'"):
        _check(data)


def test_a_wrong_disk_path_lists_the_disks_there_are(data: dict[str, Any]) -> None:
    data["hosts"][0]["disks"] = {"sdb": "/dev/sdz"}
    missing = r"^vm01: disk sdb: /dev/sdz does not exist; its disks: .*/dev/ubdb \(/dev/sdb\)"
    with pytest.raises(PreflightError, match=missing):
        _check(data)


def test_the_root_filesystem_s_disk_is_refused(data: dict[str, Any]) -> None:
    data["hosts"][0]["disks"] = {"sdb": "/dev/ubda"}
    with pytest.raises(PreflightError, match=r"^vm01: disk sdb: /dev/ubda(.*)? holds the root filesystem"):
        _check(data)


def test_a_mounted_disk_is_refused(data: dict[str, Any], lab: UmlLab) -> None:
    node = Node(lab.node("vm01"))
    node.run("mkfs.ext4 -q -F /dev/sdb && mkdir -p /mnt/t && mount /dev/sdb /mnt/t")
    try:
        mounted = r"^vm01: disk sdb: /dev/ubdb \(/dev/sdb\) is mounted on /mnt/t; refused"
        with pytest.raises(PreflightError, match=mounted):
            _check(data)
    finally:
        node.run("umount /mnt/t && wipefs -a /dev/sdb")
        node.close()
