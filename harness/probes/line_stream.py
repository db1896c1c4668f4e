"""A loop on a node whose lines are read as they come, over an SSH connection of its own (not the steps'),
opened again whenever it ends: the node was powered off, cut off or rebooted, or the loop went silent."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable

import paramiko

from harness.node import Node

CONNECT_TIMEOUT_S = 3.0
RETRY_S = 0.5             # between a stream that ended and the next try
RESTREAM_AFTER_S = 2.0    # a stream silent this long is opened again

# A line, and the harness's monotonic clock when it arrived.
OnLine = Callable[[str, float], None]


class LineStream:
    """`command`'s output lines on `node`, each given to on_line; on_open is called as each stream opens."""

    def __init__(self, node: Node, command: str, stop: threading.Event, on_line: OnLine,
                 on_open: Callable[[], None] | None = None, silent_after_s: float = RESTREAM_AFTER_S,
                 retry_s: float = RETRY_S):
        self.node = node
        self.command = command
        self.errors: list[str] = []
        self._stop = stop
        self._on_line, self._on_open = on_line, on_open
        self._silent_after_s, self._retry_s = silent_after_s, retry_s
        self._channel: paramiko.Channel | None = None
        self.thread = threading.Thread(target=self._run, name=f"stream {node.name}", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._read()
            except Exception as exc:   # the node is down or hung: unread until it answers again
                self.errors.append(f"{self.node.name}: {type(exc).__name__}: {exc}")
            self.node.close()
            self._stop.wait(self._retry_s)

    def _read(self) -> None:
        transport = self.node.conn.client.get_transport()
        if transport is None:
            raise RuntimeError("no SSH transport")
        self._channel = channel = transport.open_session(timeout=CONNECT_TIMEOUT_S)
        channel.settimeout(1.0)
        channel.exec_command(self.command)
        if self._on_open is not None:
            self._on_open()
        pending, last = b"", time.monotonic()
        while not self._stop.is_set():
            try:
                chunk = channel.recv(65536)
            except TimeoutError:
                if time.monotonic() - last > self._silent_after_s:
                    return
                continue
            if not chunk:
                return
            arrived = time.monotonic()
            last = arrived
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                self._on_line(line.decode(errors="replace"), arrived)

    def close(self) -> None:
        if self._channel is not None:
            with contextlib.suppress(Exception):
                self._channel.close()
        self.node.close()
