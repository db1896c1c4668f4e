"""Names that become paths keep to one rule, and hadrill removes nothing outside its own folders."""

from __future__ import annotations

import re
from pathlib import Path

import audited
import pytest
import yaml

from harness.cli import main
from harness.lab.inventory import Host, Inventory, InventoryError, SshSettings
from harness.lab.inventory import load as load_inventory
from harness.lab.providers import labstate, netns
from harness.lab.providers.ssh import SshHosts
from harness.lab.sshconf import SshHost, render_config
from harness.node import NodeAccess
from harness.ops import pacemaker
from harness.paths import UnsafeName, UnsafePath, checked_name, remove_tree
from harness.plan.dryrun import PlanNode
from harness.report.transcript import Transcript

ROOT = Path(__file__).resolve().parent.parent

# Loopback addresses and a closed port: were a check to fail, nothing would leave this machine.
INVENTORY = """\
name: {name}
topology: drbd
ssh: {{user: root, port: 1, known_hosts: /dev/null}}
hosts:
  - {{name: vm01, address: 127.0.0.10, cluster_address: 192.168.8.22, disks: {{sdb: /dev/sdb}}}}
  - {{name: vm02, address: 127.0.0.11, cluster_address: 192.168.8.23, disks: {{sdb: /dev/sdb}}}}
"""


@pytest.fixture
def own_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """hadrill's state and cache folders inside tmp_path; a folder of someone else's beside them."""
    monkeypatch.setenv("HADRILL_STATE", str(tmp_path / "state"))
    monkeypatch.setenv("HADRILL_CACHE", str(tmp_path / "cache"))
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "keep.txt").write_text("not hadrill's\n")
    return theirs


@pytest.mark.parametrize("bad", ["/etc", "..", "a/b", "THEIRS"])
@pytest.mark.parametrize("verb", ["run", "plan"])
def test_an_inventory_whose_name_is_a_path_is_refused(bad: str, verb: str, tmp_path: Path,
                                                      own_folders: Path) -> None:
    name = str(own_folders) if bad == "THEIRS" else bad
    inventory = tmp_path / "inv.yml"
    inventory.write_text(INVENTORY.format(name=f'"{name}"'))
    args = [verb, "drbd", "--inventory", str(inventory)] + (["--provider", "ssh"] if verb == "run" else [])
    done, seen = audited.run(args, tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"{inventory}: name: {name!r} is not a name hadrill can use" in done.stderr, done.stderr
    assert not audited.connects(seen)
    assert (own_folders / "keep.txt").read_text() == "not hadrill's\n"


def test_the_ssh_provider_never_makes_a_folder_of_an_unchecked_name(own_folders: Path) -> None:
    host = Host("vm01", "127.0.0.10", "192.168.8.22", {"sdb": "/dev/sdb"}, SshSettings())
    with pytest.raises(UnsafeName, match="inventory name"):
        SshHosts(Inventory(str(own_folders), "drbd", (host,)))
    assert (own_folders / "keep.txt").exists()


def test_remove_tree_refuses_what_is_not_hadrills(own_folders: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    (state / "labs" / "x").mkdir(parents=True)
    (state / "labs" / "escape").symlink_to(own_folders)
    for path in (own_folders, state, state / "labs" / "..", state / "labs" / "escape", Path("/")):
        with pytest.raises(UnsafePath, match="refused to remove"):
            remove_tree(path, ignore_errors=True)
    assert (own_folders / "keep.txt").exists() and state.is_dir()
    remove_tree(state / "labs" / "x")
    remove_tree(state / "labs" / "never-made")      # not there: nothing to do
    assert not (state / "labs" / "x").exists()


@pytest.mark.parametrize("bad", ["..", "/etc", "a/b", "Bad_Name!", "", "é", "x" * 21, "-lab", "lab\n"])
def test_the_name_rule(bad: str) -> None:
    with pytest.raises(UnsafeName, match="1-20 characters"):
        checked_name(bad, "lab name")
    with pytest.raises(UnsafeName):
        labstate.lab_dir(bad)
    with pytest.raises(UnsafeName):
        netns.ns_name(bad)
    assert checked_name("drbd-2", "lab name") == "drbd-2"


@pytest.mark.parametrize("args", [["lab", "down", "--name", ".."], ["lab", "status", "--name", "/etc"],
                                  ["lab", "up", "--name", "a/b"], ["run", "lab", "--name", ".."]])
def test_a_lab_name_on_the_command_line_is_checked_first(args: list[str], own_folders: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    assert "--name: " in capsys.readouterr().err
    assert (own_folders / "keep.txt").exists()


def test_no_folder_is_removed_but_through_the_helper() -> None:
    bare = re.compile(r"\brmtree\(|\.rmdir\(|os\.removedirs\(")
    found = [f"{p.relative_to(ROOT)}:{i}" for folder in ("harness", "steps", "checks", "bench", "tests")
             for p in (ROOT / folder).rglob("*.py") if p.name != "test_safe_names.py"
             for i, line in enumerate(p.read_text().splitlines(), 1)
             if bare.search(line) and not (p.name == "paths.py" and "shutil.rmtree(target" in line)]
    assert not found, f"remove folders with harness.paths.remove_tree: {found}"


@pytest.mark.parametrize(("field", "value", "said"), [
    ("name", "vm01; reboot", "is not a host name"),
    ("address", "db1 -oProxyCommand=x", "is neither an IP address nor a host name"),
    ("user", "root\n  ProxyCommand x", "is not a user name"),
    ("known_hosts", "/tmp/a b", "white space"),
    ("proxy_command", "nc %h %p\nHost *", "newline"),
    ("disks", {"sdb": "/dev/sdb; rm -rf /"}, "is not a device path"),
    ("disks", {"sdb": "/dev/../etc/passwd"}, "is not a device path"),
    ("link", {"interface": "eth0 -j ACCEPT"}, "is not an interface name"),
])
def test_host_values_that_reach_ssh_config_or_a_shell_are_refused(field: str, value: object, said: str,
                                                                  tmp_path: Path) -> None:
    data = yaml.safe_load(INVENTORY.format(name="staging"))
    data["hosts"][0][field] = value
    path = tmp_path / "inv.yml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(InventoryError) as err:
        load_inventory(path)
    problems = err.value.problems
    assert any(p.startswith(f"hosts[0].{field}") and said in p for p in problems), problems


def test_pcs_arguments_are_quoted(tmp_path: Path) -> None:
    access = NodeAccess("node1", tmp_path / "ssh_config", tmp_path / "known_hosts", "192.168.8.101", {})
    node = PlanNode(access, Transcript())
    member = pacemaker.Member("node2; reboot", "192.168.8.102", "192.168.8.202", "admin")
    pacemaker.create_fence_device(node, member)
    commands = [e.command for _, e in node.transcript.entries]
    assert commands[-1] == "pcs constraint location 'fence_node2; reboot' avoids 'node2; reboot'", commands


@pytest.mark.parametrize("host", [SshHost("vm01\nHost *", "127.0.0.1", ""), SshHost("vm01", "a b", ""),
                                  SshHost("vm01", "h", "", user="root\tx"),
                                  SshHost("vm01", "h", "", proxy_command="nc %h %p\n  User x")])
def test_ssh_config_carries_no_value_that_could_add_a_directive(host: SshHost, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not for ssh_config"):
        render_config([host], None, tmp_path / "known_hosts")


def test_two_state_folders_never_share_a_namespace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HADRILL_STATE", raising=False)
    monkeypatch.delenv("XDG_STATE_HOME", raising=False)
    assert netns.ns_name("lab1") == "hadrill-lab1"
    names = set()
    for folder in ("a", "b"):
        monkeypatch.setenv("HADRILL_STATE", str(tmp_path / folder))
        names.add(netns.ns_name("lab1"))
    assert len(names) == 2 and all(n.startswith("hadrill-lab1-") for n in names), names
