"""The step parsers the features' words go through: pytest-bdd's `parse` and `re`, with each of the book's
node names among a step's arguments (vm01, node1, storage) given as the host that plays it on the run's
site."""

from __future__ import annotations

from typing import Any

from pytest_bdd import parsers

from harness.lab import site


def _played(arguments: dict[str, Any] | None) -> dict[str, Any]:
    played = site.active()
    return {key: played.host(value) if isinstance(value, str) else value
            for key, value in (arguments or {}).items()}


class parse(parsers.parse):
    def parse_arguments(self, name: str) -> dict[str, Any]:
        return _played(super().parse_arguments(name))


class re(parsers.re):
    def parse_arguments(self, name: str) -> dict[str, Any]:
        return _played(super().parse_arguments(name))


def host(book_name: str) -> str:
    """The host that plays one of the book's nodes on the run's site (for a node a step names in its
    words, not in an argument)."""
    return site.active().host(book_name)


def disk() -> str:
    """The site's name for the book's disk /dev/sdb (a key of each host's disks)."""
    return site.active().disk
