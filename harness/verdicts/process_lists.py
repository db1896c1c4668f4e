"""Secrets never on a command line: every node's process list, and this machine's, sampled through a run,
each command line checked for every form of every secret the run registered (report/secrets.py).

On a node, a loop of the shell's builtins walks /proc once a second (no program started per sample) and
prints each process's command line, then `--` after each walk; here, this machine's /proc is walked alike.
A process that lives less than a second may be missed: the sampling shows what `ps` would have shown.
"""

from __future__ import annotations

import json
import shlex
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path

from harness.node import Node, NodeAccess
from harness.probes.line_stream import CONNECT_TIMEOUT_S, LineStream
from harness.report.secrets import REDACTOR
from harness.report.transcript import Transcript

INTERVAL_S = 1.0
RETRY_S = 5.0     # a node that does not answer (powered off) is tried again this often, not more
THIS_MACHINE = "(this machine)"
END_OF_WALK = "--"

LOOP = r"""
f=$(mktemp -u) && mkfifo "$f" && exec 3<>"$f" && rm -f "$f" || exit 97
while :; do
  for d in /proc/[0-9]*; do
    mapfile -d '' a < "$d/cmdline" 2>/dev/null || continue
    (( ${#a[@]} )) && printf '%s\t%s\n' "${d#/proc/}" "${a[*]}"
  done
  echo --
  read -r -t INTERVAL -u 3
done
"""


@dataclass
class Found:
    where: str       # a node's name, or THIS_MACHINE
    pid: str
    args: str        # the command line, its secrets masked


@dataclass
class Watched:
    walks: dict[str, int] = field(default_factory=dict)     # where -> process lists read whole
    found: list[Found] = field(default_factory=list)

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"walks": self.walks, "found": [asdict(f) for f in self.found]}, indent=1))


def command(interval_s: float = INTERVAL_S) -> str:
    return "exec bash -c " + shlex.quote(LOOP.replace("INTERVAL", f"{interval_s:g}"))


def check(where: str, line: str, watched: Watched) -> None:
    """One line of a walk: a secret in it is a finding (kept masked); `--` ends a walk."""
    if line == END_OF_WALK:
        watched.walks[where] = watched.walks.get(where, 0) + 1
        return
    masked = REDACTOR.redact(line)
    if masked != line:
        pid, _, args = masked.partition("\t")
        watched.found.append(Found(where, pid, args))


def walk_here(watched: Watched, proc: Path = Path("/proc")) -> None:
    """This machine's process list, once."""
    for d in proc.glob("[0-9]*"):
        try:
            raw = (d / "cmdline").read_bytes()
        except OSError:
            continue
        args = raw.rstrip(b"\0").replace(b"\0", b" ").decode(errors="replace")
        if args:
            check(THIS_MACHINE, f"{d.name}\t{args}", watched)
    check(THIS_MACHINE, END_OF_WALK, watched)


class ProcessListWatch:
    """The nodes' and this machine's process lists, sampled until stop()."""

    def __init__(self, nodes: list[NodeAccess], interval_s: float = INTERVAL_S):
        self.watched = Watched()
        self._stop = threading.Event()
        self._interval_s = interval_s
        self._streams = [self._stream(access) for access in nodes]
        self._here = threading.Thread(target=self._walk_here, name="process lists here", daemon=True)

    def _stream(self, access: NodeAccess) -> LineStream:
        node = Node(access, Transcript(), connect_timeout=CONNECT_TIMEOUT_S)
        return LineStream(node, command(self._interval_s), self._stop,
                          lambda line, _arrived: check(access.name, line, self.watched),
                          silent_after_s=self._interval_s * 5, retry_s=RETRY_S)

    def start(self) -> None:
        for stream in self._streams:
            stream.thread.start()
        self._here.start()

    def _walk_here(self) -> None:
        while not self._stop.wait(self._interval_s):
            walk_here(self.watched)

    def stop(self) -> Watched:
        self._stop.set()
        for stream in self._streams:
            stream.close()
        for thread in [*(s.thread for s in self._streams), self._here]:
            thread.join(timeout=CONNECT_TIMEOUT_S * 3)
        return self.watched
