"""The living runbook's assembly: the last run where a step ran, the plan where it did not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.report import runbook, runbook_html, runbook_md, timeline

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
    md = runbook_md.to_markdown(chapters)
    assert "1. **When** create-md is run — not run (plan) ⚠ destructive" in md
    assert "    - `vm01` **(destructive)**: `drbdadm create-md test`" in md
    html = runbook_html.to_html(chapters, "now")
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
    md = runbook_md.to_markdown(chapters)
    assert '> The book\'s claim "the VIP moves": **not held** (the VIP stayed on vm01)' in md
    assert "elsewhere" not in md
    html = runbook_html.to_html(chapters, "now")
    assert '<span class="result not-held">not held</span>' in html


def _split_brain_plan() -> list[dict[str, object]]:
    steps = [{"keyword": kw, "text": text, "stopped": "", "commands": []}
             for kw, text in (("Given", "the resource test is replicating"),
                              ("When", "the split brain is repaired"))]
    return [{"feature": "features/drbd/split_brain.feature", "feature_name": "Repair a split brain",
             "name": "7.2 (10) split brain repaired", "description": "", "tags": [], "skipped": "",
             "known_state": 1, "steps": steps}]


def test_the_known_state_is_kept_apart_from_the_procedure() -> None:
    scenario = runbook.build(_split_brain_plan(), {}, {})[0].features[0].scenarios[0]
    assert [s.text for s in scenario.setup] == ["the resource test is replicating"]
    assert [s.text for s in scenario.procedure] == ["the split brain is repaired"]
    html = runbook_html.to_html(runbook.build(_split_brain_plan(), {}, {}), "now")
    known = html.index('<details class="known">')
    assert known < html.index("the resource test is replicating") < html.index("</details>") < html.index(
        "the split brain is repaired")
    md = runbook_md.to_markdown(runbook.build(_split_brain_plan(), {}, {}))
    assert md.index("Known state") < md.index("**Given**") < md.index("Procedure:") < md.index("**When**")


def test_the_book_s_printed_commands_stand_beside_the_scenario_that_cites_them() -> None:
    scenario = runbook.build(_split_brain_plan(), {}, {})[0].features[0].scenarios[0]
    assert [b.key for b in scenario.book] == ["7.2 step 10"]
    html = runbook_html.to_html(runbook.build(_split_brain_plan(), {}, {}), "now")
    assert "drbdadm -- --discard-my-data connect test" in html           # as the book prints it
    assert "<code>drbdadm connect --discard-my-data test</code>" in html  # today's, with its reason


def test_the_book_s_shared_secret_is_not_repeated() -> None:
    from harness.report.book_steps import STEPS
    conf = "\n".join(STEPS["7.2 step 5"].printed)
    assert "shared-secret \"********\"" in conf and "cram-hmac-alg sha1" in conf


def test_a_fault_s_figures_show_under_its_scenario_by_title(tmp_path: Path) -> None:
    measured = [{"title": "7.2 (10) split brain repaired", "scenario": "test_x", "stack": "drbd",
                 "fault": "power_off", "acked": 54, "lost": 0, "rto_s": 14.4, "coverage": 0.998,
                 "phases": {"dead": 9.4, "mysql": 16.4}},
                {"title": "another", "scenario": "test_y", "stack": "drbd", "fault": "x", "acked": 1,
                 "lost": 1}]
    scenario = runbook.build(_split_brain_plan(), {}, {}, [], measured)[0].features[0].scenarios[0]
    assert scenario.figures == measured[:1]
    html = runbook_html.to_html(runbook.build(_split_brain_plan(), {}, {}, [], measured), "now")
    assert "<td>outage: the longest time without a write after the fault</td><td>14.4 s</td>" in html
    assert "<td>time the monitor read every node</td><td>99.8%</td>" in html
    assert ">dead<" in html and html.count('<table class="figures">') == 1
    md = runbook_md.to_markdown(runbook.build(_split_brain_plan(), {}, {}, [], measured))
    assert "| acknowledged, then not found (lost) | 0 |" in md
    assert "Timeline (after the fault): dead 9.4 s" in md


def test_what_a_change_printed_shows_and_a_read_s_output_does_not(tmp_path: Path) -> None:
    section = "7.2 (10) split brain repaired / When the split brain is repaired (line 9)"
    entries = [{"section": section, "node": "vm02", "command": c, "exit_code": 0, "kind": k, "stdout": out,
                "stderr": ""} for c, k, out in (("cat /proc/drbd", "read", "cs:StandAlone\n"),
                                                ("drbdadm secondary test", "change", "done\n"))]
    path = tmp_path / "transcript.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in entries))
    read, change = runbook.load_transcript(path)[("7.2 (10) split brain repaired",
                                                  "When the split brain is repaired")]
    assert (read.output, change.output) == ("", "done")


def test_docs_without_chromium_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from harness.cli import docs
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(docs.PdfError, match="apt-get install chromium"):
        docs.print_pdf(tmp_path / "index.html", tmp_path / "runbook.pdf")


def test_what_the_run_noted_shows_and_the_figures_are_not_repeated(tmp_path: Path) -> None:
    folder = tmp_path / "allure-results"
    folder.mkdir()
    result = {"name": "7.2 (10) split brain repaired", "status": "passed", "stop": 1796098512337, "steps": [],
              "parameters": [{"name": "discarded files", "value": "'vm02-1.txt, vm02-2.txt (2)'"},
                             {"name": "rto_s", "value": "14.4"}, {"name": "stack", "value": "'drbd'"}]}
    (folder / "x-result.json").write_text(json.dumps(result))
    chapters = runbook.build(_split_brain_plan(), {}, runbook.load_results(folder))
    assert chapters[0].features[0].scenarios[0].found == [("discarded files", "vm02-1.txt, vm02-2.txt (2)")]
    html = runbook_html.to_html(chapters, "now")
    assert "<li>discarded files: <b>vm02-1.txt, vm02-2.txt (2)</b></li>" in html
