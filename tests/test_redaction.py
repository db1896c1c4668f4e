"""A secret in a failure message, a captured output or a log line is written nowhere by pytest or logging."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

from harness.report.secrets import REDACTOR

ROOT = Path(__file__).resolve().parent.parent
SECRET = "s3cr3t-never-written"

FAILING = f"""
import logging
from harness.report.secrets import REDACTOR

def test_it_fails_saying_the_secret() -> None:
    REDACTOR.register("{SECRET}")
    logging.getLogger("paramiko").warning("auth with %s", "{SECRET}")
    print("the password is {SECRET}")
    assert "{SECRET}" == "other", "the password {SECRET} was refused"
"""


def test_junit_and_the_terminal_show_no_secret(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["harness.plugin"]\n')
    (tmp_path / "test_failing.py").write_text(FAILING)
    junit = tmp_path / "junit.xml"
    options = ["-p", "no:cacheprovider", f"--junitxml={junit}", "-o", "log_level=WARNING",
               "-o", "junit_logging=all"]
    done = subprocess.run([sys.executable, "-m", "pytest", *options, str(tmp_path / "test_failing.py")],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 1, done.stdout + done.stderr         # it ran, and failed as it should
    written = junit.read_text()
    assert "the password *** was refused" in written and "auth with ***" in written
    assert "the password is ***" in written
    assert SECRET not in written
    assert SECRET not in done.stdout + done.stderr


def test_a_secret_with_a_quote_is_masked_as_the_shell_quoting_splits_it() -> None:
    secret = "it's-a-s3cret"
    REDACTOR.register(secret)
    quoted = shlex.quote(secret)     # 'it'"'"'s-a-s3cret'
    for text in (f"pcs stonith create fence1 password={quoted}", f"x={quoted}; echo \"$x\""):
        assert "s3cret" not in REDACTOR.redact(text), text
