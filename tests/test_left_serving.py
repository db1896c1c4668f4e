"""When a run puts its cluster back to serving at its end: only on a lab that outlives it, and only after a
command that was not a read (a verify run issues none of its own there)."""

from __future__ import annotations

import pytest

from harness.clusters import left_serving
from harness.report.transcript import Entry


def _entry(node: str, kind: str) -> Entry:
    return Entry(node=node, command="true", exit_code=0, duration_s=0.01, stdout="", stderr="", kind=kind)


def test_the_changed_nodes_are_those_with_a_command_other_than_a_read() -> None:
    entries = [_entry("alpha", "read"), _entry("bravo", "change"), _entry("alpha", "destructive"),
               _entry("bravo", "disruptive"), _entry("charlie", "read")]
    assert left_serving.changed(entries) == ["bravo", "alpha"]


@pytest.mark.parametrize(("stays", "kinds", "put_back"), [
    (True, ["read", "change"], ["alpha"]),
    (True, ["read", "read"], []),         # a verify run: nothing of its own at the end
    (False, ["change"], []),              # a lab the run brought up and takes down
    (True, [], []),
])
def test_a_run_leaves_serving_only_a_lab_that_stays_and_that_it_changed(stays: bool, kinds: list[str],
                                                                         put_back: list[str]) -> None:
    assert left_serving.to_put_back(stays, [_entry("alpha", kind) for kind in kinds]) == put_back
