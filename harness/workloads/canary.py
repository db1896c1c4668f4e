"""The harness's side of the canary writer: a client on the cluster LAN whose acknowledgements are kept.

The writer (harness/workload.py) runs in the lab's namespace through the provider; each line it prints
is read here as it comes, so the record of acknowledged rows does not depend on any node surviving.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

from harness.lab.providers.base import Provider
from harness.workloads.acks import AckLog


class Canary:
    """`python -m harness.workloads.canary_client` in the lab's namespace; stop() ends it (by its PID) and
    returns the log."""

    def __init__(self, lab: Provider, host: str, password: str, table: str, interval_s: float = 0.1):
        self.table = table
        self.argv = [*lab.client_prefix(), sys.executable, "-m", "harness.workloads.canary_client",
                     "--host", host, "--table", table, "--interval", str(interval_s)]
        self.password = password
        self.log = AckLog()
        self._proc: subprocess.Popen[str] | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        env = {**os.environ, "HADRILL_CANARY_PASSWORD": self.password}
        self._proc = subprocess.Popen(self.argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                      env=env, start_new_session=True)
        self._thread = threading.Thread(target=self._read, name="canary", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        for line in self._proc.stdout:
            if line.startswith("{"):
                self.log.add(json.loads(line))

    def wait_for(self, count: int, timeout: float) -> int:
        """Wait until count rows are acknowledged (or the writer ended, or timeout); returns how many are."""
        return self.log.wait_for(count, timeout, lambda: self._proc is None or self._proc.poll() is None)

    def stderr(self) -> str:
        """What the writer printed on stderr (once it has ended)."""
        if self._proc is None or self._proc.poll() is None or self._proc.stderr is None:
            return ""
        return self._proc.stderr.read()

    def stop(self) -> AckLog:
        if self._proc is not None and self._proc.poll() is None:
            os.killpg(self._proc.pid, signal.SIGTERM)   # its own session: the process we started, only
            self._proc.wait(timeout=10)
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self.log.ended_at is None:
            self.log.ended_at = time.monotonic()
        return self.log
