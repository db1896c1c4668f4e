"""Writing files on a node: the text goes to `cat`'s standard input, never onto a command line (drbd.conf
holds the shared secret); the transcript shows it as a here-document, redacted."""

from __future__ import annotations

import shlex

from harness import kinds
from harness.node import Node, Result
from harness.probes import files
from harness.probes.files import file_text


@kinds.change
def write(node: Node, path: str, text: str, mode: str = "644") -> Result:
    """Replace a file's content (made with the given mode before the text goes in)."""
    quoted = shlex.quote(path)
    return node.run(f"install -m {mode} /dev/null {quoted} && cat > {quoted}", stdin=file_text(text))


@kinds.change
def write_if_changed(node: Node, path: str, text: str, mode: str = "644") -> bool:
    """write() unless the file already holds exactly this text; True if it was written."""
    if files.holds(node, path, text):
        return False
    write(node, path, text, mode)
    return True


@kinds.change
def start_line_writer(node: Node, path: str, interval_s: float = 0.1) -> str:
    """A background loop appending "N <epoch time>" lines to a fresh file; returns its PID."""
    q = shlex.quote(path)
    loop = f'i=0; while :; do i=$((i+1)); echo "$i $(date +%s.%N)" >> {q}; sleep {interval_s}; done'
    return node.run(f"rm -f {q}; nohup sh -c {shlex.quote(loop)} >/dev/null 2>&1 & echo $!").stdout.strip()


@kinds.change
def stop_process(node: Node, pid: str) -> Result:
    """A process the harness started on the node, stopped by its PID."""
    return node.sh("kill", pid)


@kinds.change
def stop_line_writer(node: Node, pid: str, path: str) -> Result:
    """start_line_writer's loop stopped by its PID, if that PID is still the loop appending to `path` (a
    node rebooted since may have given the PID to another process); nothing otherwise."""
    number = int(pid)
    return node.run(f"if grep -qF -- {shlex.quote(path)} /proc/{number}/cmdline 2>/dev/null; "
                    f"then kill {number}; fi")


@kinds.change
def set_block(node: Node, path: str, name: str, lines: list[str]) -> Result:
    """Put lines in a marked block of a file (replacing the block if it is there): idempotent edits."""
    begin, end = f"# BEGIN hadrill {name}", f"# END hadrill {name}"
    block = "\n".join([begin, *lines, end])
    script = (f"f={shlex.quote(path)}; t=$(mktemp); "
              f"sed '/^{begin}$/,/^{end}$/d' \"$f\" > \"$t\" && "
              f"printf '%s\\n' {shlex.quote(block)} >> \"$t\" && cat \"$t\" > \"$f\" && rm -f \"$t\"")
    return node.run(script)


@kinds.change
def fill(node: Node, path: str, mib: int) -> Result:
    """A file of `mib` MiB of random bytes, written through to the disk (conv=fsync)."""
    return node.sh("dd", "if=/dev/urandom", f"of={path}", "bs=1M", f"count={mib}", "conv=fsync",
                   "status=none", timeout=300)
