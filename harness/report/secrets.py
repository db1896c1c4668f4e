"""Secret values known to the run, and their redaction from every text the harness keeps."""

from __future__ import annotations

import shlex
import stat
from pathlib import Path

import yaml

from harness.lab import yamlfile

MASK = "***"


class Redactor:
    """Replaces each registered secret value with *** (longest first, so no part of one is left)."""

    def __init__(self) -> None:
        self._values: set[str] = set()

    def register(self, value: str) -> None:
        """The value, and the forms the shell's quoting gives it (a `'` inside: split by shlex.quote)."""
        if value and len(value) >= 3:  # shorter values would mask ordinary words
            self._values |= {value, shlex.quote(value), value.replace("'", "'\"'\"'")}

    def redact(self, text: str) -> str:
        for value in sorted(self._values, key=len, reverse=True):
            text = text.replace(value, MASK)
        return text


REDACTOR = Redactor()


class SecretsError(ValueError):
    """A secrets file is unreadable, malformed, or open to other users; the message says which."""


def load_file(path: Path) -> dict[str, str]:
    """A secrets file: a YAML mapping of names to values, readable by its owner only."""
    try:
        mode = path.stat().st_mode
        text = path.read_text()
    except OSError as exc:
        raise SecretsError(f"{path}: cannot read the secrets file ({exc.strerror})") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SecretsError(f"{path}: other users may read it (mode {stat.S_IMODE(mode):o}); chmod 600 it")
    try:
        data = yamlfile.load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        raise SecretsError(f"{path}: {where}not valid YAML") from None  # never echo the text
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise SecretsError(f"{path}: expected a mapping of secret names to text values")
    return {str(k): v for k, v in data.items()}


def resolve(defaults: dict[str, str], file: Path | None) -> dict[str, str]:
    """The run's secrets: the lab's defaults overridden by the secrets file; all registered for redaction."""
    values = {**defaults, **(load_file(file) if file else {})}
    for value in values.values():
        REDACTOR.register(value)
    return values
