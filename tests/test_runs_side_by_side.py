"""Two `hadrill run` at once on one machine, each with its own lab (--name) and reports (--reports): both
pass, and neither wipes the other's reports."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytestmark = [pytest.mark.lab, pytest.mark.slow]
ROOT = Path(__file__).resolve().parent.parent


def _tests_passed(junit: Path) -> int:
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None
    assert suite.get("failures") == "0" and suite.get("errors") == "0", ET.tostring(suite)[:2000]
    return int(suite.get("tests", "0"))


def test_two_runs_at_once_with_their_own_names_and_reports_both_pass(tmp_path: Path) -> None:
    runs = {name: subprocess.Popen([sys.executable, "-m", "harness.cli", "run", "--name", name, "--reports",
                                    str(tmp_path / name), "lab"], cwd=ROOT, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                   env={k: v for k, v in os.environ.items() if k != "HADRILL_REPORTS"})
            for name in ("tsidea", "tsideb")}
    outs = {name: run.communicate(timeout=900)[0] for name, run in runs.items()}
    for name, run in runs.items():
        assert run.returncode == 0, outs[name][-3000:]
        assert _tests_passed(tmp_path / name / "junit-drbd.xml") == 6
        assert (tmp_path / name / "transcript.jsonl").stat().st_size > 0
