"""A node as the harness sees it: one Fabric connection, a testinfra host over it, and a transcript."""

from __future__ import annotations

import contextlib
import io
import logging
import shlex
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import fabric
import paramiko
import testinfra.host
from invoke.exceptions import CommandTimedOut
from testinfra.backend.base import BaseBackend, CommandResult

from harness import kinds, waiting
from harness.report.transcript import TRANSCRIPT, Entry, Transcript

T = TypeVar("T")

DEFAULT_TIMEOUT = 300.0
STDIN_MARK = "HADRILL_STDIN"     # how the transcript shows what went to a command's standard input
KEEPALIVE_S = 2
# Opening a channel on a live node takes milliseconds. On a connection whose node has died, paramiko waits
# for the answer an hour by default (its keepalives expect none, and the proxy's pipe never fails).
CHANNEL_OPEN_TIMEOUT_S = 30.0
# A node powered off, fenced or cut away fails each connection its readers open; paramiko's transport thread
# logs every such failure at ERROR (the banner not read, a broken pipe), and pytest prints those beside
# the test's own failure. The Node that opened the connection raises or retries, and the monitor keeps the
# errors it met, so the thread's own lines say nothing more.
logging.getLogger("paramiko.transport").setLevel(logging.CRITICAL)


@dataclass(frozen=True)
class NodeAccess:
    """How the harness reaches one node: an alias in the provider's ssh_config and known_hosts."""

    name: str
    ssh_config: Path
    known_hosts: Path
    cluster_address: str
    disks: dict[str, str] = field(default_factory=dict)   # book name -> device path on the node
    protected: bool = False               # not disposable: the guard refuses destructive commands here
    disruptive_allowed: bool = False      # ... and disruptive ones unless the run allows them here


def as_shown(command: str, stdin: str | None) -> str:
    """A command as the transcript and the plan show it: what goes to its stdin as a here-document."""
    return command if stdin is None else f"{command} <<'{STDIN_MARK}'\n{stdin}{STDIN_MARK}"


class _AllAtOnce(io.StringIO):
    """Text for a command's stdin, handed over whole: invoke reads a stream that is not a terminal one byte
    at a time with a 10 ms nap between reads (100 bytes a second: 1.8 s for a drbd.conf, seen in a run)."""

    def read(self, size: int | None = -1) -> str:
        return super().read()


class GuardRefused(RuntimeError):
    """A command the guard does not let run on this host (harness.kinds); it was not sent."""


class CommandFailed(RuntimeError):
    """A command exited non-zero (or did not finish); the message quotes what it printed, and what was
    read on the node afterwards to show why (if anything was)."""

    def __init__(self, entry: Entry, afterwards: str = ""):
        self.entry = entry
        why = f"\n--- read on {entry.node} afterwards\n{afterwards.rstrip()}" if afterwards.strip() else ""
        super().__init__(f"command failed on {entry.node}:\n{entry.render()}{why}")

    @property
    def unfinished(self) -> bool:
        """The command did not end: it timed out, or the connection was lost (no exit code)."""
        return self.entry.exit_code is None


@dataclass(frozen=True)
class Result:
    node: str
    command: str
    exit_code: int
    stdout: str
    stderr: str
    duration_s: float

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


class Node:
    """One node: run() goes over a persistent SSH connection whose host key is pinned."""

    def __init__(self, access: NodeAccess, transcript: Transcript = TRANSCRIPT,
                 connect_timeout: float | None = None):
        self.access = access
        self.connect_timeout = connect_timeout   # None: paramiko's own (long) connect and banner waits
        self.name = access.name
        self.transcript = transcript
        self._conn: fabric.Connection | None = None
        self._host: testinfra.host.Host | None = None

    def __repr__(self) -> str:
        return f"Node({self.name})"

    @property
    def conn(self) -> fabric.Connection:
        """The Fabric connection, opened on first use; unknown or changed host keys are refused."""
        if self._conn is None or not self._conn.is_connected:
            config = fabric.Config(runtime_ssh_path=str(self.access.ssh_config))
            limits: dict[str, Any] = {}
            if self.connect_timeout is not None:
                t = self.connect_timeout
                limits = {"connect_timeout": t, "connect_kwargs": {"banner_timeout": t, "auth_timeout": t}}
            conn = fabric.Connection(self.name, config=config, **limits)
            conn.client.set_missing_host_key_policy(paramiko.RejectPolicy())
            conn.client.load_host_keys(str(self.access.known_hosts))
            conn.open()
            conn.transport.set_keepalive(KEEPALIVE_S)
            conn.transport.channel_timeout = self.connect_timeout or CHANNEL_OPEN_TIMEOUT_S
            self._conn = conn
        return self._conn

    @property
    def host(self) -> testinfra.host.Host:
        """A testinfra host whose commands run over this node's connection (and transcript)."""
        if self._host is None:
            self._host = testinfra.host.Host(_NodeBackend(self))
        return self._host

    def permit(self, what: str) -> None:
        """Raise GuardRefused, with the refusal in the transcript, where the guard does not let the kind
        of the op running now act on this host (what: the command or the provider's action)."""
        kind = kinds.current()
        why = kinds.refusal(kind, self.name, self.access.protected, self.access.disruptive_allowed)
        if why:
            self.transcript.add(Entry(self.name, what, None, 0.0, "", f"(refused by the guard: {why})",
                                      time.time(), kind.value))
            raise GuardRefused(f"refused by the guard on {self.name}: {what}: {why}")

    def run(self, command: str, *, warn: bool = False, timeout: float = DEFAULT_TIMEOUT,
            stdin: str | None = None) -> Result:
        """Run a shell command; raise CommandFailed on a non-zero exit unless warn=True. `stdin` goes to
        the command's standard input, never onto a command line (where the node's `ps` would show it);
        the transcript shows it as a here-document after the command (secrets redacted there)."""
        shown = as_shown(command, stdin)
        self.permit(shown)
        timeout = waiting.command_limit(timeout)
        start, started_at = time.monotonic(), time.time()
        code: int | None
        feed = _AllAtOnce(stdin) if stdin is not None else False
        try:
            res = self.conn.run(command, hide=True, warn=True, timeout=timeout, in_stream=feed)
            code, out, err = res.exited, res.stdout, res.stderr
        except (paramiko.BadHostKeyException, paramiko.AuthenticationException):
            self.close()
            raise  # not a passing fault: the node is not the one pinned, or refuses our key
        except CommandTimedOut as exc:
            code, out, err = None, exc.result.stdout, exc.result.stderr + f"\n(timed out after {timeout} s)"
        except (OSError, paramiko.SSHException, EOFError) as exc:
            self.close()
            code, out, err = None, "", f"(connection lost: {type(exc).__name__}: {exc})"
        entry = self.transcript.add(Entry(self.name, shown, code, time.monotonic() - start,
                                          out, err, started_at, kinds.current().value))
        if code != 0 and (not warn or code is None):
            raise CommandFailed(entry)
        return Result(self.name, shown, code if code is not None else -1, out, err, entry.duration_s)

    def sh(self, *argv: str, warn: bool = False, timeout: float = DEFAULT_TIMEOUT) -> Result:
        """Run a command given as words, each quoted for the shell."""
        return self.run(shlex.join(argv), warn=warn, timeout=timeout)

    def close(self) -> None:
        """Drop the connection (after a power cut, say); the next run() opens a new one."""
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.close()
            self._conn = None


class _NodeBackend(BaseBackend):  # type: ignore[misc]
    """testinfra's view of a Node: its commands go through Node.run (warn=True: testinfra checks)."""

    NAME = "hadrill"

    def __init__(self, node: Node, **kwargs: Any):
        self.node = node
        super().__init__(node.name, **kwargs)

    def run(self, command: str, *args: str, **kwargs: Any) -> CommandResult:
        cmd = self.get_command(command, *args)
        try:
            res = self.node.run(cmd, warn=True)
        except CommandFailed as exc:  # did not finish: testinfra sees a failed command
            return self.result(255, self.encode(cmd), exc.entry.stdout, exc.entry.stderr)
        return self.result(res.exit_code, self.encode(cmd), res.stdout, res.stderr)


def on_each(nodes: Sequence[Node], action: Callable[[Node], T]) -> list[T]:
    """Run action on every node at the same time (as an operator with a terminal per node would)."""
    with ThreadPoolExecutor(max_workers=max(1, len(nodes))) as pool:
        return list(pool.map(action, nodes))
