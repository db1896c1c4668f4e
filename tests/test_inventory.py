"""Inventories of existing hosts: every problem named by its path, before anything connects."""

from __future__ import annotations

from pathlib import Path

import inventory_files
import pytest

from harness.lab.inventory import Inventory, InventoryError, load
from harness.lab.providers.ssh import SshHosts

GOOD = """\
name: staging
topology: drbd
ssh: {user: root, key: /root/.ssh/id_ed25519}
cluster: {vip: 192.168.8.100}
secrets:
  drbd_shared_secret: {env: DRBD_SECRET}
hosts:
  - name: vm01
    address: db1.example.org
    cluster_address: 192.168.8.22
    disks: {sdb: /dev/vdb}
    disposable: true
  - name: vm02
    address: db2.example.org
    cluster_address: 192.168.8.23
    disks: {sdb: /dev/vdb}
    port: 2222
"""




def test_a_good_inventory(tmp_path: Path) -> None:
    path = tmp_path / "i.yaml"
    path.write_text(GOOD)
    inv = load(path)
    assert inv.names == ["vm01", "vm02"] and inv.topology == "drbd" and inv.vip == "192.168.8.100"
    vm01, vm02 = inv.hosts
    assert vm01.disposable and not vm02.disposable      # not disposable unless it says so
    assert (vm02.ssh.port, vm02.ssh.user, vm02.ssh.key) == (2222, "root", "/root/.ssh/id_ed25519")
    assert vm01.disks == {"sdb": "/dev/vdb"}
    assert inv.secret_refs == {"drbd_shared_secret": {"env": "DRBD_SECRET"}}


def test_a_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(InventoryError) as err:
        inventory_files.loaded(tmp_path, "name: x\nhosts:\n  - name: [vm01\n")
    assert str(err.value).startswith(f"{tmp_path / 'inventory.yaml'}:4:1: not valid YAML")


def test_an_unknown_key_gets_a_did_you_mean(tmp_path: Path) -> None:
    second = "    cluster_address: 192.168.8.23"
    text = GOOD.replace(second, f"    adress: x\n{second}")
    problems = inventory_files.problems(tmp_path, text)
    assert problems == ["hosts[1].adress: unknown key; did you mean 'address'?"]


def test_every_problem_is_listed_with_its_path(tmp_path: Path) -> None:
    text = (GOOD.replace("topology: drbd\n", "")
            .replace("cluster_address: 192.168.8.23", "cluster_address: vm02-cluster")
            .replace("disks: {sdb: /dev/vdb}\n    port: 2222", "disks: {sdb: vdb}\n    port: 99999")
            .replace("    disposable: true", "    disposable: yes please"))
    assert inventory_files.problems(tmp_path, text) == [
        "hosts[0].disposable: expected true or false, got 'yes please'",
        "hosts[1].disks.sdb: 'vdb' is not a device path (/dev/...)",
        "hosts[1].cluster_address: 'vm02-cluster' is not an IP address",
        "hosts[1].port: 99999 is not a TCP port",
        "topology: required"]


def test_duplicate_names_and_addresses_are_refused(tmp_path: Path) -> None:
    text = GOOD.replace("name: vm02", "name: vm01").replace("db2.example.org", "db1.example.org")
    assert inventory_files.problems(tmp_path, text) == ["hosts[1].name: 'vm01' is also hosts[0]'s",
                                         "hosts[1].address: 'db1.example.org' is also hosts[0]'s",
                                         "site.nodes.vm02: no host plays the book's vm02 (name one: site: "
                                         "{nodes: {vm02: HOST}}; hosts: vm01, vm01)"]


def test_a_secret_is_a_reference_never_a_value(tmp_path: Path) -> None:
    problems = inventory_files.problems(tmp_path, GOOD.replace("{env: DRBD_SECRET}", "FooFunFactory"))
    assert problems[0] == "secrets.drbd_shared_secret: expected a mapping, got str"
    assert problems[1].endswith(": give one of env: VARIABLE or file: PATH (never the value)")
    assert "FooFunFactory" not in " ".join(problems)


def test_no_hosts(tmp_path: Path) -> None:
    assert inventory_files.problems(tmp_path, "name: x\ntopology: drbd\n") == [
        "hosts: required, a list of hosts"]


def test_power_on_and_off_are_read_as_written(tmp_path: Path) -> None:
    """YAML 1.1 would make `on` and `off` booleans; an inventory is read with YAML 1.2's booleans."""
    text = GOOD.replace("    disposable: true\n",
                        "    disposable: true\n    power: {off: fence_x -o off, on: fence_x -o on}\n", 1)
    inv = inventory_files.loaded(tmp_path, text)
    assert isinstance(inv, Inventory)
    assert inv.hosts[0].power == {"off": "fence_x -o off", "on": "fence_x -o on"}
    text = GOOD.replace("    disposable: true\n", "    disposable: yes\n", 1)
    problems = inventory_files.problems(tmp_path, text)
    assert problems == ["hosts[0].disposable: expected true or false, got 'yes'"], problems


def test_disks_are_required_but_on_a_shared_storage_clusters_members(tmp_path: Path) -> None:
    """A DRBD host keeps its data on its own disk; a 7.3 member's disks are the storage host's LUNs (an
    rhcs lab's own inventory, `hadrill lab inventory`, lists none for node1 and node2)."""
    bare = GOOD.replace("    disks: {sdb: /dev/vdb}\n    port: 2222\n", "    port: 2222\n")
    assert inventory_files.problems(tmp_path, bare) == [
        "hosts[1].disks: required (the book's disk names and this host's devices)"]
    members = bare.replace("topology: drbd", "topology: rhcs").replace("    disks: {sdb: /dev/vdb}\n", "")
    for book, member in (("vm01", "node1"), ("vm02", "node2")):
        members = members.replace(f"  - name: {book}", f"  - name: {member}")
    members += ("  - name: storage\n    address: st.example.org\n    cluster_address: 192.168.8.110\n"
                "    disks: {sdb: /dev/sdb, sdc: /dev/sdc}\n")
    assert inventory_files.loaded(tmp_path, members).names == ["node1", "node2", "storage"]


def test_a_hosts_fence_device_is_read_and_checked(tmp_path: Path) -> None:
    """The Pacemaker part of a site: each member's BMC, its password only a reference under secrets."""
    fence = "    fence: {agent: fence_ipmilan, ip: 192.0.2.21, username: ops-admin}\n"
    text = GOOD.replace("    disposable: true\n", "    disposable: true\n" + fence, 1)
    inv = inventory_files.loaded(tmp_path, text)
    device = inv.hosts[0].fence
    assert device is not None and (device.agent, device.ip, device.username) == (
        "fence_ipmilan", "192.0.2.21", "ops-admin")
    assert inv.hosts[1].fence is None
    assert SshHosts(inv).fence_devices() == {"vm01": device}
    assert SshHosts(inv).bmcs() == {"vm01": "192.0.2.21"}
    bad = text.replace("agent: fence_ipmilan, ip: 192.0.2.21, username: ops-admin",
                       "agent: fence_ipmilanplus, ip: 192.0.2.321, pasword: x")
    assert inventory_files.problems(tmp_path, bad) == [
        "hosts[0].fence.pasword: unknown key; known keys: agent, ip, username",
        "hosts[0].fence.agent: 'fence_ipmilanplus' is not an agent hadrill configures; did you mean "
        "'fence_ipmilan'?",
        "hosts[0].fence.ip: '192.0.2.321' is not an IP address",
        "hosts[0].fence.username: required"]
