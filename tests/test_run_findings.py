"""The findings `hadrill run` prints at its end, from the reports of a Heartbeat run on the lab (4 scenarios:
both auto_failback settings, hb_standby, the cable pull)."""

from __future__ import annotations

import shutil
from pathlib import Path

from harness.cli import findings

RUN = Path(__file__).parent / "data" / "run_reports"


def test_the_findings_count_scenarios_claims_and_each_faults_figures() -> None:
    text = findings.render(RUN)
    assert "scenarios: 4 (4 passed, 0 failed, 0 skipped)" in text
    assert "the book's claims: 1 held, 1 not held" in text
    assert ('not held: "when the master is repaired the VIP stays on the standby (no second interruption)" '
            "(7.2 step 14: vm01 returns after a power cut, auto_failback on)") in text
    assert "faults measured: 4" in text
    assert ("test_step_14_vm01_returns_after_a_power_cut_auto_failback_setting[off-vm02]: heartbeat rejoin: "
            "lost 0 of 301 acknowledged, outage 0.12 s, invariants broken 0") in text


def test_a_failed_scenario_and_no_figures_are_said(tmp_path: Path) -> None:
    junit = (RUN / "junit-drbd.xml").read_text().replace('failures="0"', 'failures="1"', 1)
    (tmp_path / "junit-drbd.xml").write_text(junit)
    shutil.copy(RUN / "claims.jsonl", tmp_path)
    text = findings.render(tmp_path)
    assert "scenarios: 4 (3 passed, 1 failed, 0 skipped)" in text
    assert "faults measured: 0" in text
    assert f"the run's data: {tmp_path}\n" in text and str(tmp_path / "html" / "index.html") in text


def test_a_verdicts_evidence_of_many_lines_is_said_by_its_first(tmp_path: Path) -> None:
    """A start that took nothing, staged on the lab (vm02 started alone, vm01 later): its evidence carries
    both ha-logs; the terminal gets the first line, the logs stay in the report."""
    shutil.copy(RUN / "junit-drbd.xml", tmp_path)
    shutil.copy(Path(__file__).parent / "data" / "claims_start_took_nothing.jsonl", tmp_path / "claims.jsonl")
    text = findings.render(tmp_path)
    assert ("not held: \"staged: vm01 takes the whole group\" (staged: vm02 first, then vm01 takes nothing): "
            "vm01's Heartbeat: nothing acquired 10 s after the acquisition ended (more in the report)"
            ) in text
    assert "ha-log" not in text


def test_a_run_that_selected_nothing_says_so(tmp_path: Path) -> None:
    """`hadrill run lab -- -k nosuchthing` (seen: exit 5, "scenarios: 0" and nothing else said)."""
    text = findings.render(tmp_path)
    said = "scenarios: 0 (0 passed, 0 failed, 0 skipped); none was selected: nothing was checked (exit 5)"
    assert said in text
