"""A writer on a node that appends numbered, fsync'ed records and streams each acknowledgement home.

The harness keeps every acknowledgement as it arrives (with its monotonic time), so the record of what
the node confirmed survives the node: after a power cut, what the peer lacks of it was lost.
"""

from __future__ import annotations

import shlex
import threading
import time

import paramiko

from harness.node import Node
from harness.report.transcript import Entry
from harness.workloads.acks import AckLog

RECORD = "%08d\n"
SCRIPT = """
import os, sys
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
n = 0
while True:
    n += 1
    os.write(fd, b"%08d\\n" % n)
    os.fsync(fd)
    sys.stdout.write("%d\\n" % n)
    sys.stdout.flush()
"""


class AckWriter:
    """python3 on the node appending to `path`; start(), wait_for(), then stop() (or cut the power)."""

    def __init__(self, node: Node, path: str):
        self.node = node
        self.path = path
        self.command = f"python3 -u -c {shlex.quote(SCRIPT)} {shlex.quote(path)}"
        self.acks = AckLog()
        self._channel: paramiko.Channel | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._started = 0.0

    def start(self) -> None:
        transport = self.node.conn.client.get_transport()
        if transport is None:
            raise RuntimeError(f"no SSH transport to {self.node.name}")
        self._channel = transport.open_session()
        self._channel.settimeout(0.2)
        self._channel.exec_command(self.command)
        self._started = time.monotonic()
        self._thread = threading.Thread(target=self._read, name=f"acks-{self.node.name}", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        assert self._channel is not None
        pending = b""
        while not self._stop.is_set():
            try:
                chunk = self._channel.recv(65536)
            except TimeoutError:
                continue
            except (OSError, EOFError, paramiko.SSHException):
                break
            if not chunk:
                break
            now = time.monotonic()
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                if line.strip().isdigit():
                    self.acks.add({"n": int(line), "t": now})

    @property
    def running(self) -> bool:
        """Started and not yet stopped by the harness (its node may have lost its power meanwhile)."""
        return self._channel is not None and not self._stop.is_set()

    def wait_for(self, count: int, timeout: float) -> int:
        """Block until count records are acknowledged (or timeout); returns how many are."""
        return self.acks.wait_for(count, timeout, lambda: self._thread is None or self._thread.is_alive())

    def stop(self) -> AckLog:
        """Stop reading and close the channel (the remote writer dies with it, or with its node)."""
        self._stop.set()
        if self._channel is not None:
            self._channel.close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.node.transcript.add(Entry(
            self.node.name, self.command, None, time.monotonic() - self._started,
            f"{len(self.acks.acked)} records acknowledged (last {self.acks.last})\n",
            "(stopped by the harness)"))
        return self.acks


def parse_records(text: str) -> list[int]:
    """The record numbers in a records file, in the file's order, repeats kept (a torn last line is not a
    record)."""
    return [int(line) for line in text.splitlines() if len(line) == 8 and line.isdigit()]
