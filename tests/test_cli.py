"""The hadrill command's answers to bad input (no lab is started by these)."""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from harness.areas import run_groups
from harness.cli import EPILOG, examples, main, parser, targets, workdir
from harness.lab import fence_entry, inventory, owner
from harness.lab.providers.base import ProviderError
from harness.lab.providers.uml import UmlLab

ROOT = Path(__file__).resolve().parent.parent


def test_unknown_topology_is_a_clear_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["lab", "up", "--lab", str(tmp_path / "nope.yaml"), "--name", "tcli"]) == 2
    said = capsys.readouterr().err
    assert "no such file, and not a shipped topology (drbd, drbdpcmk, renamed, rhcs)" in said


def test_bad_lab_name_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lab", "up", "--name", "Bad_Name!"]) == 2
    assert "--name: 'Bad_Name!' is not a name hadrill can use" in capsys.readouterr().err


def test_unknown_area_lists_the_areas(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "nosucharea"]) == 2
    assert "no area 'nosucharea'; areas: drbd, drbd_pacemaker, heartbeat, lab" in capsys.readouterr().err


def test_down_of_an_unknown_lab_does_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lab", "down", "--name", "neverwas"]) == 0
    assert "no lab named neverwas" in capsys.readouterr().out


@pytest.fixture
def lab_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """A lab named drbd taken as up (its record says topology drbd): nothing is started."""
    monkeypatch.setattr(UmlLab, "recorded_topology", classmethod(lambda cls, name: "drbd"))


def test_ssh_to_an_unknown_node_names_the_nodes(capsys: pytest.CaptureFixture[str], lab_up: None) -> None:
    assert main(["lab", "ssh", "--name", "drbd", "vm09", "true"]) == 2
    assert "no node 'vm09'" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["status"], ["ssh", "vm01", "true"], ["reset"]])
def test_a_lab_name_that_is_not_up_is_said_not_taken_as_a_topology(
        command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lab", command[0], "--name", "neverwas", *command[1:]]) == 2
    said = capsys.readouterr().err
    assert "no uml lab named 'neverwas' is up" in said and "not a shipped topology" not in said, said


def test_a_plan_that_cannot_be_made_exits_2_with_the_reason(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "lab", "--lab", "bogus"]) == 2
    assert "scenarios could not be planned" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--", "ls", "-l"], ["ls", "-l"]])
def test_ssh_runs_the_command_given_after_the_node(argv: list[str], monkeypatch: pytest.MonkeyPatch,
                                                    lab_up: None) -> None:
    started: list[list[str]] = []
    monkeypatch.setattr(os, "execvp", lambda program, args: started.append(args))
    main(["lab", "ssh", "--name", "drbd", "vm01", *argv])
    assert started and started[0][-3:] == ["vm01", "ls", "-l"], started


def test_areas_run_on_the_lab_their_module_names(tmp_path: Path) -> None:
    steps = tmp_path / "steps"
    steps.mkdir()
    (steps / "test_lab.py").write_text("")
    (steps / "test_drbd.py").write_text("")
    (steps / "test_rhcs.py").write_text("")
    groups = run_groups(tmp_path, [], None)
    assert [(lab, [m.name for m in mods]) for lab, mods in groups] == [
        ("drbd", ["test_lab.py", "test_drbd.py"]), ("rhcs", ["test_rhcs.py"])]
    assert [lab for lab, _ in run_groups(tmp_path, ["rhcs"], "drbd")] == ["drbd"]


def test_an_areas_module_on_another_topology_runs_on_its_lab(tmp_path: Path) -> None:
    steps = tmp_path / "steps"
    steps.mkdir()
    for name in ("test_verify.py", "test_verify_on_rhcs.py", "test_drbd.py", "test_rhcs.py"):
        (steps / name).write_text("")
    groups = run_groups(tmp_path, ["verify"], None)
    assert [(lab, [m.name for m in mods]) for lab, mods in groups] == [
        ("drbd", ["test_verify.py"]), ("rhcs", ["test_verify_on_rhcs.py"])]
    assert [m.name for _, mods in run_groups(tmp_path, ["verify"], "renamed") for m in mods] == [
        "test_verify.py"]     # a lab of another topology (renamed plays drbd) runs the area's own module only
    assert [m.name for _, mods in run_groups(tmp_path, ["verify"], "rhcs") for m in mods] == [
        "test_verify.py", "test_verify_on_rhcs.py"]
    site = inventory.Inventory("site", "drbd", ())
    assert [m.name for m in targets.for_the_inventory(groups, site, forced=False)] == ["test_verify.py"]
    with pytest.raises(ProviderError, match=r"a drbd topology; these areas need another: rhcs$"):
        targets.for_the_inventory(run_groups(tmp_path, ["rhcs", "drbd"], None), site, forced=False)


def test_all_areas_on_an_inventory_leave_out_those_of_another_topology(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    steps = tmp_path / "steps"
    steps.mkdir()
    for name in ("test_drbd.py", "test_rhcs.py", "test_verify.py", "test_verify_on_rhcs.py"):
        (steps / name).write_text("")
    site = inventory.Inventory("site", "drbd", ())
    every = run_groups(tmp_path, [], None)
    assert [m.name for m in targets.for_the_inventory(every, site, forced=False, named=False)] == [
        "test_drbd.py", "test_verify.py"]
    assert "these areas need another: rhcs: left out" in capsys.readouterr().err


def _drbd_site(fenced: bool) -> inventory.Inventory:
    """A drbd site of two hosts, each naming its BMC as its fence device, or neither."""
    fence = fence_entry.FenceDevice(fence_entry.IPMI_AGENT, "192.0.2.21", "admin") if fenced else None
    hosts = tuple(inventory.Host(name, "192.0.2.1", "192.0.2.1", {"sdb": "/dev/sdb"}, inventory.SshSettings(),
                                 fence=fence) for name in ("vm01", "vm02"))
    return inventory.Inventory("site", "drbd", hosts)


def test_drbd_pacemaker_runs_on_a_drbd_site_whose_hosts_name_their_fence_devices(tmp_path: Path) -> None:
    steps = tmp_path / "steps"
    steps.mkdir()
    for name in ("test_drbd.py", "test_drbd_pacemaker.py", "test_rhcs.py"):
        (steps / name).write_text("")
    groups = run_groups(tmp_path, ["drbd", "drbd_pacemaker"], None)
    assert [m.name for m in targets.for_the_inventory(groups, _drbd_site(True), forced=False)] == [
        "test_drbd.py", "test_drbd_pacemaker.py"]
    with pytest.raises(ProviderError, match=r"need another: drbd_pacemaker \(a fence device on each host "
                                            r"\(hosts\[\]\.fence\), none on vm01, vm02\)$"):
        targets.for_the_inventory(groups, _drbd_site(False), forced=False)
    every = run_groups(tmp_path, [], None)     # all areas: those that need BMCs or another topology left out
    fits = targets.for_the_inventory(every, _drbd_site(False), forced=False, named=False)
    assert [m.name for m in fits] == ["test_drbd.py"]


def test_reports_go_to_the_folder_reports_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HADRILL_REPORTS", str(tmp_path / "not-this-one"))   # restored after the test
    assert main(["docs", "--reports", str(tmp_path / "mine"), "lab"]) == 0
    assert (tmp_path / "mine" / "runbook" / "index.html").exists()
    assert not (tmp_path / "not-this-one").exists()


def test_a_lab_in_use_by_a_run_is_not_taken_down(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HADRILL_STATE", str(tmp_path))
    hold = owner.Ownership("uml", "inuse")
    hold.take()
    hold.record(brought_up=True)
    try:
        assert main(["lab", "down", "--name", "inuse", "--provider", "uml"]) == 2
    finally:
        hold.release()
    assert f"lab inuse is in use by hadrill run PID {os.getpid()}" in capsys.readouterr().err


def test_version_is_the_installed_one(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"hadrill {metadata.version('hadrill')}"


@pytest.mark.parametrize(("line", "offered"), [("hadrill r", {"run", "report"}),
                                               ("hadrill run dr", {"drbd", "drbd_pacemaker"}),
                                               ("hadrill lab d", {"down"})])
def test_the_shell_completes_commands_and_areas(tmp_path: Path, line: str, offered: set[str]) -> None:
    out = tmp_path / "completions"
    env = {**os.environ, "COMP_LINE": line, "COMP_POINT": str(len(line)), "_ARGCOMPLETE": "1",
           "_ARGCOMPLETE_STDOUT_FILENAME": str(out)}
    subprocess.run([sys.executable, "-m", "harness.cli"], env=env, cwd=ROOT, check=True, timeout=60)
    assert {w.strip() for w in out.read_text().split("\v") if w.strip()} == offered


# Variables hadrill sets for its own children (a node's loop, the canary, a BMC, a session), not the user's.
INTERNAL_VARIABLES = {"HADRILL_BMC_PASSWORD", "HADRILL_CANARY_PASSWORD", "HADRILL_CONSOLE_DIR", "HADRILL_IQN",
                      "HADRILL_LINKS", "HADRILL_RUN_PID", "HADRILL_STDIN", "HADRILL_LIBVIRT_URI"}


def test_the_help_names_every_variable_and_area() -> None:
    code = "\n".join(p.read_text() for p in (ROOT / "harness").rglob("*.py"))
    read = set(re.findall(r"HADRILL_[A-Z_]+", code)) - INTERNAL_VARIABLES
    unnamed = sorted(v for v in read if v not in EPILOG)
    assert unnamed == [], f"not in `hadrill --help`: {unnamed}"
    areas = [p.name for p in (ROOT / "features").iterdir() if p.is_dir()]
    listed = EPILOG.split("areas: the folders of features/ (", 1)[1].split(")", 1)[0].split(", ")
    assert sorted(listed) == sorted(areas)


def _project(tmp_path: Path) -> tuple[Path, Path]:
    """A project's shape (features/ and steps/) and a folder two levels below its top."""
    for folder in ("features/drbd", "steps"):
        (tmp_path / "proj" / folder).mkdir(parents=True)
    return tmp_path / "proj", tmp_path / "proj" / "features" / "drbd"


def test_the_project_is_found_from_a_folder_below_it_and_typed_paths_read_from_there(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    top, below = _project(tmp_path)
    (below / "mine.yaml").write_text("")
    monkeypatch.chdir(below)
    monkeypatch.setenv("HADRILL_REPORTS", "runs/today")
    args = argparse.Namespace(reports=Path("out"), inventory="site.yaml", merge=["a", "/b"], secrets=None,
                              topology="mine.yaml")
    assert workdir.enter_project(args) == top and Path.cwd() == top
    assert (args.reports, args.inventory, args.merge) == (below / "out", str(below / "site.yaml"),
                                                          [str(below / "a"), "/b"])
    assert args.topology == str(below / "mine.yaml") and args.secrets is None
    assert os.environ["HADRILL_REPORTS"] == str(below / "runs/today")


def test_a_topology_that_is_no_file_here_stays_a_name(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    _, below = _project(tmp_path)
    monkeypatch.chdir(below)
    args = argparse.Namespace(topology="rhcs")
    workdir.enter_project(args)
    assert args.topology == "rhcs"


def test_outside_a_project_run_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["run", "lab"]) == 2
    assert f"no features/ and steps/ folders in {tmp_path} or above it" in capsys.readouterr().err


def test_plan_from_a_folder_of_features(tmp_path: Path) -> None:
    """The whole command from features/lab: the lab area's plan, as from the top folder."""
    here = ROOT / "features" / "lab"
    done = subprocess.run([sys.executable, "-m", "harness.cli", "plan", "lab", "--json"], cwd=here,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) and not any(p.name == "reports" for p in here.iterdir())


def _commands(p: argparse.ArgumentParser, path: str = "") -> dict[str, argparse.ArgumentParser]:
    """Every command of the parser by its words after `hadrill` ("" for hadrill itself)."""
    found = {path: p}
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found |= _commands(sub, f"{path} {name}".strip())
    return found


def test_every_command_has_examples_and_every_argument_help() -> None:
    commands = _commands(parser())
    assert sorted(c for c in commands if c) == sorted(examples.EXAMPLES)
    unexplained = [(c, a.dest) for c, p in commands.items() for a in p._actions
                   if not a.help and not isinstance(a, argparse._SubParsersAction)]
    assert unexplained == []


@pytest.mark.parametrize("line", [line for lines in examples.EXAMPLES.values() for line, _ in lines])
def test_each_example_is_a_command_hadrill_takes(line: str) -> None:
    words = shlex.split(line.split(" > ")[0])[1:]
    words = words[:words.index("--")] if "--" in words else words
    args = parser().parse_args(words)
    assert args.func
