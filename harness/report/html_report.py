"""The browsable report: reports/allure-results made into reports/html by Allure's own generator."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import tempfile
import time
from importlib import metadata
from pathlib import Path

from harness.report import allure_history

ALLURE_ENV = "HADRILL_ALLURE"
LOCAL_ALLURE = Path(".tools/node_modules/.bin/allure")   # where `make setup` installs it (npm)


class ReportError(RuntimeError):
    """The report could not be made; the message says why and what to do."""


def allure_command(root: Path) -> str:
    """Allure's command line: $HADRILL_ALLURE, else the project's own (make setup), else one on PATH."""
    given = os.environ.get(ALLURE_ENV)
    if given:
        return given
    local = root / LOCAL_ALLURE
    if local.exists():
        return str(local)
    found = shutil.which("allure")
    if found:
        return found
    raise ReportError("Allure's command line is not installed: run `make setup` (it installs the npm package "
                      f"allure-commandline in {LOCAL_ALLURE.parent.parent}), or set {ALLURE_ENV}")


def _labs(reports: Path) -> str:
    return ", ".join(sorted(p.stem.removeprefix("junit-") for p in reports.glob("junit-*.xml"))) or "-"


def _escaped(key: str) -> str:
    """A key of a .properties file: its spaces escaped."""
    return key.replace(" ", "\\ ")


def write_environment(results: Path, reports: Path) -> None:
    """The report's Environment panel: versions, the labs the run used, when the report was made."""
    lines = {"hadrill": metadata.version("hadrill"),
             "pytest-bdd": metadata.version("pytest-bdd"),
             "allure-pytest-bdd": metadata.version("allure-pytest-bdd"),
             "python": platform.python_version(),
             "labs": _labs(reports),
             "report made (UTC)": time.strftime("%Y-%m-%d %H:%M", time.gmtime())}
    text = "".join(f"{_escaped(k)}={v}\n" for k, v in lines.items())
    (results / "environment.properties").write_text(text)


def _allure_generate(root: Path, results: Path, out: Path, *options: str) -> None:
    cmd = [allure_command(root), "generate", *options, "--clean", "-o", str(out), str(results)]
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode != 0 or not (out / "index.html").exists():
        raise ReportError(f"allure generate failed (exit {run.returncode}):\n{run.stdout}{run.stderr}")


def generate(root: Path, reports: Path) -> Path:
    """reports/html/index.html (one self-contained file) from reports/allure-results, with the trends of
    the runs reported before (Allure's history); returns its path."""
    results, out = reports / "allure-results", reports / "html"
    if not results.is_dir() or not any(results.glob("*-result.json")):
        raise ReportError(f"no test results in {results}: run `hadrill run` first")
    write_environment(results, reports)
    allure_history.feed(reports, results)
    with tempfile.TemporaryDirectory(prefix="hadrill-allure-") as tmp:
        _allure_generate(root, results, Path(tmp) / "report")
        allure_history.keep(reports, results, Path(tmp) / "report")
    _allure_generate(root, results, out, "--single-file")
    return out / "index.html"
