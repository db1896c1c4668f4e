"""The guard: destructive steps refused on hosts not marked disposable, before any connection."""

from __future__ import annotations

from pathlib import Path

import audited

from harness.plan import guard

# Loopback addresses and a closed port: were the guard to fail, nothing would leave this machine.
INVENTORY = """\
name: protected
topology: drbd
ssh: {user: root, port: 1, known_hosts: /dev/null}
secrets: {drbd_shared_secret: {env: HADRILL_TEST_UNSET_SECRET}}
hosts:
  - {name: vm01, address: 127.0.0.10, cluster_address: 192.168.8.22, disks: {sdb: /dev/sdb}, disposable: %s}
  - {name: vm02, address: 127.0.0.11, cluster_address: 192.168.8.23, disks: {sdb: /dev/sdb}, disposable: true}
"""


def test_a_run_on_a_host_not_disposable_is_refused_before_any_connection(tmp_path: Path) -> None:
    inventory = tmp_path / "inventory.yaml"
    inventory.write_text(INVENTORY % "false")
    done, seen = audited.run(["run", "drbd", "--provider", "ssh", "--inventory", str(inventory)], tmp_path)
    assert done.returncode == 2
    assert not (tmp_path / "reports").exists()      # the last run's reports are left alone
    said = done.stdout + done.stderr
    assert "refused: these steps destroy data or disturb service on vm01" in said, said
    assert ("vm01: 7.2 (6) create-md on a blank partition succeeds at once / When \"drbdadm create-md test\" "
            "is run on each node: drbdadm create-md test") in said
    assert "vm01: 7.2 (7) mkfs.ext3 on the primary only / When \"mkfs.ext3 /dev/drbd1\" is run on vm01: " \
           "mkfs.ext3 -q /dev/drbd1" in said
    assert "vm02:" not in said.split("refused:")[1]           # vm02 is disposable: not named
    assert not audited.connects(seen), audited.connects(seen)
    assert not [p for p in audited.programs(seen) if "ssh" in p.split("Popen")[1][:40]]


def test_the_guard_names_only_destructive_commands_on_protected_hosts() -> None:
    planned = [{"name": "S", "steps": [
        {"keyword": "When", "text": "t", "commands": [
            {"node": "vm01", "kind": "destructive", "command": "mkfs.ext3 -q /dev/drbd1"},
            {"node": "vm01", "kind": "change", "command": "mount /dev/drbd1 /data"},
            {"node": "vm02", "kind": "destructive", "command": "mkfs.ext3 -q /dev/drbd1"}]}]}]
    assert guard.violations(planned, ["vm01"]) == ["vm01: S / When t: mkfs.ext3 -q /dev/drbd1"]
    assert guard.violations(planned, []) == []


def test_a_plan_for_an_inventory_reaches_no_host(tmp_path: Path) -> None:
    inventory = tmp_path / "inventory.yaml"
    inventory.write_text(INVENTORY % "false")
    done, seen = audited.run(["plan", "drbd", "--inventory", str(inventory)], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "      vm02     DESTRUCTIVE drbdadm create-md test" in done.stdout
    assert "(skipped here: the ssh provider cannot cut a node's power)" in done.stdout   # no power: given
    assert not audited.connects(seen)
