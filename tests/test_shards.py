"""A run in shards: `--shard I/N` read and checked, and the shards' reports gathered into one folder."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import pytest

from harness.cli import main
from harness.cli.runs import _lab_names, _parts, _session, _split, durations_file, shard
from harness.cli.session_plan import Part, expected_seconds, parts, shares
from harness.cli.sessions import Session, combined, default_jobs, run_all
from harness.report.merge import MergeError, merge


def test_a_shard_is_i_of_n() -> None:
    assert shard("1/2") == (1, 2)
    assert shard("3/3") == (3, 3)
    for bad in ("0/2", "3/2", "1", "a/b", "1/0", "-1/2"):
        with pytest.raises(argparse.ArgumentTypeError, match="is not a shard I/N"):
            shard(bad)


def test_a_bad_shard_is_refused_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["run", "lab", "--shard", "3/2"])
    assert exit_.value.code == 2
    assert "'3/2' is not a shard I/N" in capsys.readouterr().err


def test_the_last_runs_durations_come_first(tmp_path: Path) -> None:
    root, reports = tmp_path / "project", tmp_path / "reports"
    reports.mkdir()
    assert durations_file(root, reports, "rhcs") == root / ".test_durations" / "rhcs.json"
    (reports / "durations-rhcs.json").write_text("{}")
    assert durations_file(root, reports, "rhcs") == reports / "durations-rhcs.json"


def _shard_reports(folder: Path, n: int) -> Path:
    (folder / "allure-results").mkdir(parents=True)
    (folder / "allure-results" / f"uuid{n}-result.json").write_text(f'{{"name": "scenario {n}"}}')
    (folder / "junit-drbd.xml").write_text(f"<testsuites>{n}</testsuites>")
    (folder / "transcript.jsonl").write_text(f'{{"shard": {n}}}\n')
    return folder


def test_the_shards_reports_are_gathered_into_one(tmp_path: Path) -> None:
    one, two = _shard_reports(tmp_path / "s1", 1), _shard_reports(tmp_path / "s2", 2)
    into = tmp_path / "reports"
    (into / "allure-results").mkdir(parents=True)
    (into / "allure-results" / "stale-result.json").write_text("{}")
    assert merge([one, two], into) == [str(one), str(two)]
    assert sorted(p.name for p in (into / "allure-results").iterdir()) == ["uuid1-result.json",
                                                                             "uuid2-result.json"]
    junits = sorted(p.name for p in into.glob("junit-*.xml"))
    assert junits == ["junit-drbd.shard1.xml", "junit-drbd.shard2.xml"]
    assert (into / "transcript.jsonl").read_text() == '{"shard": 1}\n{"shard": 2}\n'


def test_a_folder_that_is_not_a_runs_reports_is_refused(tmp_path: Path) -> None:
    with pytest.raises(MergeError, match="holds no allure-results"):
        merge([tmp_path / "nothing"], tmp_path / "reports")


def test_sessions_side_by_side_print_whole_and_give_the_worst_status(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    slow = Session("one", [sys.executable, "-c", "import time; time.sleep(1); print('one done')"])
    failing = Session("two", [sys.executable, "-c", "print('two done'); raise SystemExit(3)"])
    started = time.monotonic()
    assert run_all([slow, failing], jobs=2, logs=tmp_path) == 3
    assert time.monotonic() - started < 4       # side by side, not one after the other
    out = capsys.readouterr().out
    assert "one done" in out and "two done" in out
    assert out.index("two done") < out.index("one done")    # each printed whole as it ends
    assert (tmp_path / "pytest-one.log").read_text() == "one done\n"


def test_as_many_sessions_at_once_as_cores_and_memory_allow() -> None:
    assert 1 <= default_jobs() <= (os.cpu_count() or 1)


def test_the_longest_topology_is_split_while_more_sessions_may_run() -> None:
    expected = {"drbd": 1400.0, "rhcs": 1200.0}
    assert shares(expected, 1) == {"drbd": 1, "rhcs": 1}     # never fewer than one session each
    assert shares(expected, 2) == {"drbd": 1, "rhcs": 1}
    assert shares(expected, 3) == {"drbd": 2, "rhcs": 1}     # 700 s a part against 1200
    assert shares(expected, 4) == {"drbd": 2, "rhcs": 2}
    assert shares({"drbd": 0.0, "rhcs": 0.0}, 4) == {"drbd": 1, "rhcs": 1}   # nothing recorded to split by


def test_a_split_topologys_parts_are_sessions_with_labs_of_their_own() -> None:
    drbd, rhcs = [Path("steps/test_lab.py"), Path("steps/test_drbd.py")], [Path("steps/test_rhcs.py")]
    plan = parts([("drbd", drbd), ("rhcs", rhcs)], {"drbd": 1400.0, "rhcs": 1200.0}, 3)
    assert plan == [Part("drbd", drbd, (1, 2)), Part("drbd", drbd, (2, 2)), Part("rhcs", rhcs)]
    labels = [p.label(p.topology) for p in plan]
    assert labels == ["drbd-1", "drbd-2", "rhcs"]
    whole = [p.part is None for p in plan]
    assert _lab_names(None, labels, whole) == ["drbd-1", "drbd-2", None]
    assert _lab_names("ci", labels, whole) == ["ci-drbd-1", "ci-drbd-2", "ci-rhcs"]
    assert _lab_names("ci", ["drbd"], [True]) == ["ci"]


def test_a_parts_session_splits_by_the_recorded_durations_and_stores_none(tmp_path: Path) -> None:
    args = argparse.Namespace(shard=None)
    whole = _split(args, tmp_path, tmp_path / "reports", "drbd", None)
    assert whole == ["--store-durations", f"--durations-path={tmp_path / 'reports' / 'durations-drbd.json'}"]
    part = _split(args, tmp_path, tmp_path / "reports", "drbd", (2, 3))
    assert part[:3] == ["--splits=3", "--group=2", "--splitting-algorithm=least_duration"]
    assert "--store-durations" not in part


def test_the_expected_time_is_the_modules_recorded_durations(tmp_path: Path) -> None:
    durations = tmp_path / "d.json"
    durations.write_text('{"steps/test_lab.py::test_a": 2.0, "steps/test_drbd.py::test_b": 3.5, '
                         '"steps/test_heartbeat.py::test_c": 100}')
    assert expected_seconds(durations, [Path("/x/steps/test_lab.py"), Path("/x/steps/test_drbd.py")]) == 5.5
    assert expected_seconds(tmp_path / "none.json", [Path("steps/test_lab.py")]) == 0.0


def test_an_inventorys_hosts_and_a_shard_are_never_split_into_parts(tmp_path: Path) -> None:
    (tmp_path / ".test_durations").mkdir()
    (tmp_path / ".test_durations" / "drbd.json").write_text('{"steps/test_drbd.py::test_a": 600}')
    groups = [("drbd", [Path("steps/test_drbd.py")])]
    whole = argparse.Namespace(shard=None)
    assert len(_parts(whole, tmp_path, tmp_path / "reports", groups, 2, own_labs=True)) == 2
    assert len(_parts(whole, tmp_path, tmp_path / "reports", groups, 2, own_labs=False)) == 1
    sharded = argparse.Namespace(shard=(1, 2))
    assert len(_parts(sharded, tmp_path, tmp_path / "reports", groups, 2, own_labs=True)) == 1


def test_a_topology_given_as_a_file_names_the_sessions_files_by_its_name(tmp_path: Path) -> None:
    args = argparse.Namespace(shard=None, keep_lab=False, secrets=None, strict_claims=False,
                              no_snapshots=False, pytest_args=[])
    topology = str(Path(__file__).parent / "data" / "topologies" / "drbd-small.yaml")
    session = _session(args, tmp_path, tmp_path / "r", Part(topology, [Path("steps/test_drbd.py")]), [], None)
    assert session.label == "drbd"
    assert f"--durations-path={tmp_path / 'r' / 'durations-drbd.json'}" in session.argv


def test_no_snapshots_reaches_each_session(tmp_path: Path) -> None:
    args = argparse.Namespace(shard=None, keep_lab=False, secrets=None, strict_claims=False,
                              no_snapshots=True, pytest_args=[])
    session = _session(args, tmp_path, tmp_path / "r", Part("drbd", [Path("steps/test_drbd.py")]), [], None)
    assert "--hadrill-no-snapshots" in session.argv
    args.no_snapshots = False
    session = _session(args, tmp_path, tmp_path / "r", Part("drbd", [Path("steps/test_drbd.py")]), [], None)
    assert "--hadrill-no-snapshots" not in session.argv


def test_a_session_that_selected_nothing_fails_the_run_only_if_every_one_did(tmp_path: Path) -> None:
    """`hadrill run -- -k split_brain`: the drbd session runs it, the rhcs one selects nothing (exit 5)."""
    ran = Session("drbd", [sys.executable, "-c", "raise SystemExit(0)"])
    nothing = Session("rhcs", [sys.executable, "-c", "raise SystemExit(5)"])
    failed = Session("drbd", [sys.executable, "-c", "raise SystemExit(1)"])
    assert run_all([ran, nothing], jobs=2, logs=tmp_path) == 0
    assert run_all([nothing, failed], jobs=1, logs=tmp_path) == 1
    assert run_all([nothing, nothing], jobs=2, logs=tmp_path) == 5
    assert combined([]) == 0
