"""The living runbook's assembly: the last run where a step ran, the plan where it did not."""

from __future__ import annotations

import json
from pathlib import Path

from harness.report import runbook, timeline

PLANNED = [{
    "feature": "features/drbd/initialize.feature", "feature_name": "Initialize (book 7.2 step 6)",
    "name": "7.2 (6) create-md on a blank partition", "description": "The book's step 6.", "tags": ["drbd"],
    "skipped": "",
    "steps": [
        {"keyword": "Given", "text": "a blank partition", "stopped": "",
         "commands": [{"node": "vm01", "kind": "read", "command": "blkid /dev/sdb1"}]},
        {"keyword": "When", "text": "create-md is run", "stopped": "",
         "commands": [{"node": "vm01", "kind": "destructive", "command": "drbdadm create-md test"}]},
    ]}]


def _transcript(tmp_path: Path) -> Path:
    path = tmp_path / "transcript.jsonl"
    entry = {"section": "7.2 (6) create-md on a blank partition / Given a blank partition (line 9)",
             "node": "vm02", "command": "wipefs -a /dev/sdb", "exit_code": 0, "duration_s": 0.1,
             "stdout": "", "stderr": "", "started": 0, "kind": "destructive"}
    path.write_text(json.dumps(entry) + "\n")
    return path


def _results(tmp_path: Path) -> Path:
    folder = tmp_path / "allure-results"
    folder.mkdir()
    result = {"name": "7.2 (6) create-md on a blank partition", "status": "failed", "stop": 1796098512337,
              "steps": [{"name": "Given a blank partition", "status": "passed"},
                        {"name": "When create-md is run", "status": "failed"}]}
    (folder / "x-result.json").write_text(json.dumps(result))
    return folder


def test_a_step_that_ran_shows_the_run_s_commands_and_result(tmp_path: Path) -> None:
    chapters = runbook.build(PLANNED, runbook.load_transcript(_transcript(tmp_path)),
                             runbook.load_results(_results(tmp_path)))
    assert [c.title for c in chapters] == [runbook.CHAPTERS["drbd"]]
    scenario = chapters[0].features[0].scenarios[0]
    assert (scenario.result, scenario.date) == ("failed", "2026-12-01 04:15 UTC")
    given, when = scenario.steps
    assert (given.source, given.result, [c.command for c in given.commands]) == (
        "last run", "passed", ["wipefs -a /dev/sdb"])
    assert given.destructive and when.destructive
    assert when.commands == []   # it ran, and the transcript holds nothing for it


def test_a_step_that_never_ran_shows_the_plan(tmp_path: Path) -> None:
    chapters = runbook.build(PLANNED, {}, {})
    given, when = chapters[0].features[0].scenarios[0].steps
    assert (when.source, when.result, when.destructive) == ("plan", "not run", True)
    assert not given.destructive
    md = runbook.to_markdown(chapters)
    assert "1. **When** create-md is run — not run (plan) ⚠ destructive" in md
    assert "    - `vm01` **(destructive)**: `drbdadm create-md test`" in md
    html = runbook.to_html(chapters, "now")
    assert '<span class="badge">destructive</span>' in html
    assert "[vm01] (destructive) $ drbdadm create-md" in html


def test_the_timeline_draws_each_phase_in_order() -> None:
    svg = timeline.svg({"mysql": 16.4, "dead": 9.4, "Filesystem": 12.4})
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert svg.index(">dead<") < svg.index(">Filesystem<") < svg.index(">mysql<")
    assert ">16.4 s<" in svg


def test_a_poll_is_one_line_with_its_count() -> None:
    poll = [runbook.Command("vm01", "read", "cat /proc/drbd", 0)] * 3
    got = runbook.collapsed([*poll, runbook.Command("vm01", "change", "drbdadm up test", 0), poll[0]])
    assert [(c.command, c.times) for c in got] == [("cat /proc/drbd", 3), ("drbdadm up test", 1),
                                                   ("cat /proc/drbd", 1)]


def test_a_claim_of_the_book_shows_with_its_verdict_under_its_scenario() -> None:
    name = str(PLANNED[0]["name"])
    verdicts = [{"scenario": "test_create_md", "title": name, "claim": "the VIP moves", "verdict": "not held",
                 "evidence": "the VIP stayed on vm01"},
                {"scenario": "test_other", "title": "another scenario", "claim": "elsewhere",
                 "verdict": "held", "evidence": "-"}]
    chapters = runbook.build(PLANNED, {}, {}, verdicts)
    assert chapters[0].features[0].scenarios[0].claims == verdicts[:1]
    md = runbook.to_markdown(chapters)
    assert '> The book\'s claim "the VIP moves": **not held** (the VIP stayed on vm01)' in md
    assert "elsewhere" not in md
    html = runbook.to_html(chapters, "now")
    assert '<span class="result not-held">not held</span>' in html
