"""Files on a node as the steps check them: their text, names in a folder, checksums of a tree."""

from __future__ import annotations

import hashlib
from shlex import quote

from harness.node import Node


def read(node: Node, path: str, warn: bool = False) -> str:
    """The file's text ("" with warn=True when it cannot be read)."""
    return node.sh("cat", path, warn=warn).stdout


def exists(node: Node, path: str) -> bool:
    return node.sh("test", "-e", path, warn=True).ok


def names(node: Node, folder: str) -> list[str]:
    """What `ls` shows in the folder."""
    return node.run(f"ls {quote(folder)}").stdout.split()


def line_count(node: Node, path: str) -> int:
    return int(node.run(f"wc -l < {quote(path)}").stdout.strip() or 0)


def checksums(node: Node, folder: str) -> dict[str, str]:
    """Every file under the folder (lost+found aside), by its path relative to it, with its md5sum."""
    out = node.run(f"cd {quote(folder)} && find . -path ./lost+found -prune -o -type f -print0 "
                   "| sort -z | xargs -0 -r md5sum").stdout
    pairs = (line.split(None, 1) for line in out.splitlines())
    return {path.removeprefix("./"): digest for digest, path in pairs}


def file_text(text: str) -> str:
    """A file's content as hadrill writes it: the text, ending with a newline."""
    return text if text.endswith("\n") else text + "\n"


def checksum(node: Node, path: str) -> str:
    """The file's md5sum (only the sum); "" if there is no such file."""
    res = node.sh("md5sum", path, warn=True)
    return res.stdout.split()[0] if res.ok else ""


def holds(node: Node, path: str, text: str) -> bool:
    """True if the file holds exactly this text (as hadrill writes it)."""
    return checksum(node, path) == hashlib.md5(file_text(text).encode()).hexdigest()
