"""The vagrant provider's parts that need no VM: what vagrant prints, parsed; libvirtd's private set-up;
the box recipe's hash; the DROP rules of a cut cable; the disks the features are told of."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from harness.lab.image import box
from harness.lab.providers import libvirtd, link_cut, vagrant
from harness.lab.providers.base import ProviderError
from harness.lab.providers.vagrant import VagrantLab
from harness.lab.providers.vagrantcli import Vagrant, VagrantError, parse_box_list, parse_ssh_config
from harness.paths import UnsafeName

DATA = Path(__file__).parent / "data"


def test_ssh_config_of_a_real_vagrant_lab_is_read_per_host() -> None:
    entries = parse_ssh_config((DATA / "vagrant_ssh_config_drbd.txt").read_text())
    assert [e.name for e in entries] == ["vm01", "vm02"]
    assert all(e.user == "vagrant" and e.port == 22 and e.address.startswith("192.168.121.") for e in entries)
    assert entries[0].identity.endswith("/machines/vm01/libvirt/private_key")


def test_ssh_config_without_a_host_or_a_key_is_refused_with_the_text() -> None:
    with pytest.raises(VagrantError, match="printed no Host block"):
        parse_ssh_config("==> vm01: not created\n")
    with pytest.raises(VagrantError, match="vm01 lacks identityfile"):
        parse_ssh_config("Host vm01\n  HostName 192.168.121.5\n  User vagrant\n")


def test_box_list_names() -> None:
    assert parse_box_list("There are no installed boxes! Use `vagrant box add` to add some.\n") == []
    listed = "hadrill/bookworm-0123 (libvirt, 0)\ndebian/bookworm64 (libvirt, 12.20240503.1)\n"
    assert parse_box_list(listed) == ["hadrill/bookworm-0123", "debian/bookworm64"]


def test_libvirtd_gets_its_own_config_and_accounts_once(tmp_path: Path) -> None:
    libvirtd.write_config(tmp_path)
    libvirtd.write_config(tmp_path)   # again: the accounts are not added twice
    assert 'security_driver = "none"' in (tmp_path / "etc" / "qemu.conf").read_text()
    assert (tmp_path / "passwd").read_text().count("libvirt-qemu:") == 1
    assert Path("/etc/passwd").read_text() in (tmp_path / "passwd").read_text()
    assert libvirtd.uri(tmp_path) == f"qemu+unix:///system?socket={tmp_path}/run/libvirt-sock"


def test_libvirtd_mounts_are_made_inside_its_namespace_then_it_execs() -> None:
    script = libvirtd._script(Path("/state/lab x/libvirt"))
    assert "mount --bind '/state/lab x/libvirt/run' /run/libvirt" in script
    assert script.endswith("exec /usr/sbin/libvirtd --config /etc/libvirt/libvirtd.conf")


def test_a_cut_link_drops_every_packet_both_ways_on_the_interface_only() -> None:
    cut = link_cut.cut_command("eth1")
    assert cut.count("u32 match u32 0 0 action drop") == 2 and "parent 1:" in cut and "parent ffff:" in cut
    assert "dev eth1 " in cut and "eth0" not in cut
    restore = link_cut.restore_command("eth1")
    assert restore.startswith("tc qdisc del dev eth1 ingress; tc qdisc del dev eth1 root")


def test_box_digest_follows_its_files_and_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    base = box.digest("deb http://mirror.example/debian bookworm main")
    assert base == box.digest("deb http://mirror.example/debian bookworm main")
    assert base != box.digest("deb http://other.example/debian bookworm main")
    files = box.box_files()
    monkeypatch.setattr(box, "box_files", lambda: {**files, "Vagrantfile": b"changed"})
    assert base != box.digest("deb http://mirror.example/debian bookworm main")
    monkeypatch.setattr(box, "EXTRA_PACKAGES", (*box.EXTRA_PACKAGES, "vim"))
    assert len({base, box.digest("deb http://mirror.example/debian bookworm main")}) == 2


def test_the_books_disks_are_virtio_on_libvirt_in_their_order(tmp_path: Path) -> None:
    topology = tmp_path / "two.yaml"
    text = (DATA / "topologies" / "drbd-small.yaml").read_text()
    topology.write_text(text.replace("- {name: sdb, size_mib: 128}",
                                     "- {name: sdb, size_mib: 128}\n      - {name: sdc, size_mib: 64}", 1))
    disks = {a.name: a.disks for a in VagrantLab(str(topology), "tunit").nodes()}
    assert disks == {"vm01": {"sdb": "/dev/vdb", "sdc": "/dev/vdc"}, "vm02": {"sdb": "/dev/vdb"}}


GREETING = '{"QMP": {"version": {}, "capabilities": []}}'


@pytest.mark.parametrize(("after_greeting", "works"), [
    ('echo \'{"return": {}}\'; echo \'{"return": {"status": "prelaunch", "running": false}}\'', True),
    ("echo 'error: failed to set MSR 0x10a' >&2; exit 134", False),   # aborted resetting the vCPU
])
def test_the_accelerator_works_only_if_qemu_answers_after_the_vcpu_reset(
        after_greeting: str, works: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    qemu = tmp_path / "qemu-system-x86_64"       # a stand-in qemu: its greeting, then what it does next
    qemu.write_text(f"#!/bin/sh\necho '{GREETING}'\n{after_greeting}\n")
    qemu.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    assert libvirtd.accel_works("kvm", "host") is works


def test_the_driver_is_the_users_when_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HADRILL_LIBVIRT_DRIVER", "kvm")
    assert libvirtd.driver() == "kvm"


def test_a_lab_name_that_cannot_name_a_namespace_is_refused() -> None:
    with pytest.raises(UnsafeName, match="1-20 characters"):
        VagrantLab("drbd", "Not/A name")


def test_a_recorded_lab_is_taken_with_its_own_topology(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HADRILL_STATE", str(tmp_path))
    VagrantLab("rhcs", "trecorded")._save(vagrant.VagrantRecord("trecorded", "rhcs", "hadrill/bookworm-0"))
    status = VagrantLab.existing("trecorded").status()
    assert sorted(status["nodes"]) == ["node1", "node2", "storage"]   # type: ignore[call-overload]
    assert VagrantLab.names() == ["trecorded"]
    with pytest.raises(ProviderError, match="no vagrant lab 'other'; labs: trecorded"):
        VagrantLab.existing("other")


def test_vagrant_log_folder_is_made_when_missing(tmp_path: Path) -> None:
    # a lab brought up by a run with its own reports folder, taken down from the default one
    log = tmp_path / "reports" / "consoles" / "vhb" / "vagrant.log"
    said = Vagrant("unused", tmp_path / "dot", {}, log).run("--version", in_ns=False, timeout=60)
    assert "Vagrant" in said and log.read_text().startswith("$ vagrant --version")
