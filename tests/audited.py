"""Run hadrill in a child process watched by an audit hook: every connect() and every program started,
in it and in the Python processes it starts (the hook rides on PYTHONPATH's sitecustomize)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOOK = """
import os, sys
_log = os.environ["HADRILL_AUDIT_LOG"]
def _hook(event, args):
    if event == "socket.connect" or event == "subprocess.Popen":
        with open(_log, "a") as f:
            f.write(f"{event} {args!r}\\n")
sys.addaudithook(_hook)
"""


def run(args: list[str], tmp: Path) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """`hadrill ARGS` from the project's top folder; its result and the audit events seen."""
    (tmp / "sitecustomize.py").write_text(HOOK)
    log = tmp / "audit.log"
    env = {**os.environ, "PYTHONPATH": str(tmp), "HADRILL_AUDIT_LOG": str(log), "HADRILL_STATE": str(tmp),
           "HADRILL_REPORTS": str(tmp / "reports")}
    done = subprocess.run([sys.executable, "-m", "harness.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    return done, log.read_text().splitlines() if log.exists() else []


def connects(seen: list[str]) -> list[str]:
    return [e for e in seen if e.startswith("socket.connect")]


def programs(seen: list[str]) -> list[str]:
    return [e for e in seen if e.startswith("subprocess.Popen")]
