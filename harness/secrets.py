"""Secret values known to the run, and their redaction from every text the harness keeps."""

from __future__ import annotations

MASK = "***"


class Redactor:
    """Replaces each registered secret value with *** (longest first, so no part of one is left)."""

    def __init__(self) -> None:
        self._values: set[str] = set()

    def register(self, value: str) -> None:
        if value and len(value) >= 3:  # shorter values would mask ordinary words
            self._values.add(value)

    def redact(self, text: str) -> str:
        for value in sorted(self._values, key=len, reverse=True):
            text = text.replace(value, MASK)
        return text


REDACTOR = Redactor()
