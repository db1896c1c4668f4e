"""The error every parser raises: it names what it expected and quotes the raw text."""

from __future__ import annotations


class ParseError(ValueError):
    def __init__(self, what: str, expected: str, raw: str):
        self.raw = raw
        super().__init__(f"cannot parse {what}: expected {expected}; got:\n{raw.rstrip() or '(empty)'}")
