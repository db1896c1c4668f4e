"""The guard: destructive steps refused on hosts not marked disposable, before any connection."""

from __future__ import annotations

from pathlib import Path

import audited
from inventory_files import UNREACHABLE

from harness.plan import guard

# Loopback addresses and a closed port: were the guard to fail, nothing would leave this machine.
INVENTORY = "name: protected\ntopology: drbd\n" + UNREACHABLE.replace("%s", "192.168.8.100") + """\
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
            "is run on each node: drbdadm create-md test (destructive)") in said
    assert "vm01: 7.2 (7) mkfs.ext3 on the primary only / When \"mkfs.ext3 /dev/drbd1\" is run on vm01: " \
           "mkfs.ext3 -q /dev/drbd1 (destructive)" in said
    assert "vm02:" not in said.split("refused:")[1]           # vm02 is disposable: not named
    assert not audited.connects(seen), audited.connects(seen)
    assert not [p for p in audited.programs(seen) if "ssh" in p.split("Popen")[1][:40]]


def test_the_guard_names_destructive_and_disruptive_commands_on_protected_hosts_only() -> None:
    planned = [{"name": "S", "steps": [
        {"keyword": "When", "text": "t", "commands": [
            {"node": "vm01", "kind": "change", "command": "mount /dev/drbd1 /data"},
            {"node": "vm01", "kind": "disruptive", "command": "drbdadm secondary test"},
            {"node": "vm01", "kind": "destructive", "command": "mkfs.ext3 -q /dev/drbd1"},
            {"node": "vm02", "kind": "destructive", "command": "mkfs.ext3 -q /dev/drbd1"}]}]}]
    assert guard.violations(planned, ["vm01"]) == ["vm01: S / When t: drbdadm secondary test (disruptive)"]
    assert guard.violations(planned, ["vm01"], ["vm01"]) == [
        "vm01: S / When t: mkfs.ext3 -q /dev/drbd1 (destructive)"]      # allowed to disrupt, never to destroy
    assert guard.violations(planned, []) == []


def test_a_plan_for_an_inventory_reaches_no_host(tmp_path: Path) -> None:
    inventory = tmp_path / "inventory.yaml"
    inventory.write_text(INVENTORY % "false")
    done, seen = audited.run(["plan", "drbd", "--inventory", str(inventory)], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "      vm02     DESTRUCTIVE drbdadm create-md test" in done.stdout
    assert "(skipped here: the ssh provider cannot cut a node's power)" in done.stdout   # no power: given
    assert not audited.connects(seen)


def test_an_inventory_the_dry_run_cannot_plan_is_refused_before_any_connection(tmp_path: Path) -> None:
    """No secrets entry: the dry run's fixtures fail and the plan is empty, which is not a safe one."""
    inventory = tmp_path / "inventory.yaml"
    inventory.write_text("\n".join(line for line in (INVENTORY % "false").splitlines()
                                   if not line.startswith(("secrets:", "  drbd_", "  mariadb_"))))
    done, seen = audited.run(["run", "drbd", "--provider", "ssh", "--inventory", str(inventory)], tmp_path)
    said = done.stdout + done.stderr
    assert done.returncode == 2, said
    assert "refused: the guard cannot tell what these scenarios would do on vm01" in said, said
    assert "no secret drbd_shared_secret" in said
    assert not audited.connects(seen), audited.connects(seen)


def test_a_host_whose_disk_the_features_do_not_know_is_refused_before_any_connection(tmp_path: Path) -> None:
    inventory = tmp_path / "inventory.yaml"
    inventory.write_text((INVENTORY % "false").replace("disks: {sdb: /dev/sdb}, disposable: false",
                                                       "disks: {sdc: /dev/sdc}, disposable: false"))
    done, seen = audited.run(["run", "drbd", "--provider", "ssh", "--inventory", str(inventory)], tmp_path)
    said = done.stdout + done.stderr
    assert done.returncode == 2, said
    assert "hosts[0].disks: no sdb (the site's DRBD disk, site.drbd.disk); did you mean 'sdc'?" in said, said
    assert not audited.connects(seen)


def test_allow_disruptive_names_hosts_of_the_inventory(tmp_path: Path) -> None:
    inventory = tmp_path / "inventory.yaml"
    inventory.write_text(INVENTORY % "false")
    done, seen = audited.run(["run", "drbd", "--provider", "ssh", "--inventory", str(inventory),
                              "--allow-disruptive", "vm1"], tmp_path)
    said = done.stdout + done.stderr
    assert done.returncode == 2, said
    assert "'vm1' is not a host of inventory 'protected'; did you mean 'vm01'?" in said, said
    assert not audited.connects(seen)
