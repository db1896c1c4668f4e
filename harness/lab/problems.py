"""An input file found wrong in several places at once: every problem listed, each with its place; the
checks that find them (an unknown key gets a "did you mean")."""

from __future__ import annotations

import difflib
import ipaddress
import re
from typing import Any

from harness.paths import NAME_RULE, valid_name


class ProblemsError(ValueError):
    """The message lists every problem as SOURCE: place: reason, one a line."""

    def __init__(self, source: str, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(f"{source}: {p}" for p in problems))


def did_you_mean(name: str, known: list[str], what: str) -> str:
    """The closest known name as a hint, or the known ones listed (`what` names them)."""
    close = difflib.get_close_matches(name, known, n=1)
    return f"; did you mean {close[0]!r}?" if close else f"; {what}: {', '.join(known)}"


def _unknown(where: str, data: dict[str, Any], known: set[str]) -> list[str]:
    return [f"{where}{key}: unknown key{did_you_mean(key, sorted(known), 'known keys')}"
            for key in sorted(set(map(str, data)) - known)]


class Checker:
    """Collects every problem of one input file, each with its path (`hosts[0].ssh.user`)."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def mapping(self, where: str, value: Any, known: set[str]) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problems.append(f"{where.rstrip('.')}: expected a mapping, got {type(value).__name__}")
            return {}
        self.problems += _unknown(where, value, known)
        return value

    def text(self, where: str, value: Any, required: bool = True) -> str:
        if value is None or value == "":
            if required:
                self.problems.append(f"{where}: required")
            return ""
        if not isinstance(value, str | int) or isinstance(value, bool):
            self.problems.append(f"{where}: expected text, got {type(value).__name__}")
            return ""
        return str(value)

    def matching(self, where: str, value: Any, pattern: re.Pattern[str], rule: str,
                 required: bool = True) -> str:
        """Text that matches the pattern whole; anything else is a problem that states the rule."""
        text = self.text(where, value, required)
        if text and not pattern.fullmatch(text):
            self.problems.append(f"{where}: {text!r} is not {rule}")
            return ""
        return text

    def name(self, where: str, value: Any) -> str:
        """A name that becomes part of a path (the name rule)."""
        text = self.text(where, value)
        if text and not valid_name(text):
            self.problems.append(f"{where}: {text!r} is not a name hadrill can use ({NAME_RULE})")
            return ""
        return text

    def line(self, where: str, value: Any, required: bool = True) -> str:
        """One line of text: no newline or other control character (ssh_config, a command)."""
        text = self.text(where, value, required)
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
            self.problems.append(f"{where}: a newline or control character is not allowed here")
            return ""
        return text

    def path(self, where: str, value: Any, required: bool = True) -> str:
        """A file's path as ssh_config carries it: no white space, quotes or control characters."""
        text = self.text(where, value, required)
        if any(ch.isspace() or ch in "\"'\\" or ord(ch) < 32 for ch in text):
            self.problems.append(f"{where}: {text!r} has white space, a quote or a backslash, which "
                                 "ssh_config cannot carry safely")
            return ""
        return text

    def ip(self, where: str, value: Any, required: bool = True) -> str:
        text = self.text(where, value, required)
        if text:
            try:
                ipaddress.ip_address(text)
            except ValueError:
                self.problems.append(f"{where}: {text!r} is not an IP address")
        return text
