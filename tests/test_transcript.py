"""The transcript: grouped by step, secrets redacted, written as JSON lines."""

from __future__ import annotations

import json
from pathlib import Path

from harness.report.secrets import REDACTOR, Redactor
from harness.report.transcript import Entry, Transcript


def test_entries_are_grouped_by_section_and_written(tmp_path: Path) -> None:
    t = Transcript(tmp_path / "t.jsonl")
    t.begin("step one")
    t.add(Entry("vm01", "uname -n", 0, 0.012, "vm01\n", ""))
    assert [e.command for e in t.current()] == ["uname -n"]
    t.begin("step two")
    t.add(Entry("vm02", "false", 1, 0.003, "", "oops\n"))
    assert [e.node for e in t.current()] == ["vm02"]
    lines = [json.loads(x) for x in (tmp_path / "t.jsonl").read_text().splitlines()]
    assert [(x["section"], x["exit_code"]) for x in lines] == [("step one", 0), ("step two", 1)]


def test_a_section_begun_again_starts_empty() -> None:
    t = Transcript()
    t.begin("Outline / Then it holds (line 9)")
    t.add(Entry("vm01", "first example", 0, 0.1, "", ""))
    t.begin("Outline / Then it holds (line 9)")  # the next example of the same outline
    t.add(Entry("vm01", "second example", 0, 0.1, "", ""))
    assert [e.command for e in t.current()] == ["second example"]
    assert [s for s, _ in t.entries] == ["Outline / Then it holds (line 9)"] * 2


def test_render_shows_command_exit_duration_and_output() -> None:
    text = Entry("vm01", "cat /proc/drbd", 0, 0.0123, "version: 8.4.11\n", "").render()
    assert text.splitlines() == ["[vm01] $ cat /proc/drbd", "  exit 0 in 12 ms", "  --- stdout",
                                 "  version: 8.4.11"]
    assert "timeout/lost" in Entry("vm01", "sleep 9", None, 5.0, "", "").render()


def test_secrets_are_redacted_everywhere() -> None:
    REDACTOR.register("FooFunFactory")
    try:
        t = Transcript()
        entry = Entry("vm01", "echo FooFunFactory", 0, 0.1, "shared-secret FooFunFactory;", "FooFunFactory")
        safe = t.add(entry)
        assert "FooFunFactory" not in safe.command + safe.stdout + safe.stderr
        assert safe.stdout == "shared-secret ***;"
    finally:
        REDACTOR._values.discard("FooFunFactory")


def test_redactor_masks_longest_first_and_ignores_tiny_values() -> None:
    r = Redactor()
    r.register("abc")
    r.register("abcdef")
    r.register("x")
    assert r.redact("abcdef abc x") == "*** *** x"
