"""Book 7.2 on Heartbeat and on pacemaker side by side in the runbook, from the figures and verdicts a
whole run on the embedded labs wrote (a554f72's make test: measurements.jsonl and claims.jsonl as made)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from harness.report import runbook, runbook_html, runbook_md, stacks

DATA = Path(__file__).parent / "data" / "side_by_side"
AREA_OF_STACK = {"heartbeat": "heartbeat", "drbd_pacemaker": "drbd_pacemaker", "pacemaker": "rhcs",
                 "drbd": "drbd"}
JUDGED_ONLY = {    # a title with a verdict and no figures
    "7.2 step 13: Heartbeat started on both nodes; vm01 serves MariaDB through the VIP": "heartbeat"}


def _load(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (DATA / name).read_text().splitlines()]


def _planned(measured: list[dict[str, Any]], verdicts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One planned scenario per title the run wrote, in the area of the stack that measured it."""
    areas = {m["title"]: AREA_OF_STACK[m["stack"]] for m in measured}
    for v in verdicts:
        areas.setdefault(v["title"], JUDGED_ONLY.get(v["title"], "rhcs"))
    return [{"feature": f"features/{area}/x.feature", "feature_name": area, "name": title, "steps": []}
            for title, area in sorted(areas.items(), key=lambda pair: pair[1])]


def _chapters() -> list[runbook.Chapter]:
    measured, verdicts = _load("measurements.jsonl"), _load("claims.jsonl")
    return runbook.build(_planned(measured, verdicts), {}, {}, verdicts, measured)


def _compared() -> stacks.SideBySide:
    compared = stacks.compare(_chapters())
    assert compared is not None
    return compared


def test_each_fault_both_stacks_measured_is_one_row_with_every_run() -> None:
    rows = {row.fault: {stack: out.said() for stack, out in row.on.items()} for row in _compared().faults}
    assert rows["the Primary's power cut"] == {"heartbeat": "15.39, 14.98, 15.12 s; 0 / 167 lost",
                                               "drbd_pacemaker": "17.88 s; 0 / 76 lost"}
    assert rows["the Primary's cluster cable pulled"] == {"heartbeat": "15.8 s; 251 / 325 lost",
                                                          "drbd_pacemaker": "30.13 s; 0 / 194 lost"}
    assert rows["mysqld killed (SIGKILL)"]["drbd_pacemaker"] == "10.53 s; 0 / 70 lost"
    assert set(rows) == {"the Primary's power cut", "the Primary's cluster cable pulled",
                         "mysqld killed (SIGKILL)", "a planned switch-over (standby)",
                         "DRBD's port dropped, the cluster's link up"}


def test_a_fault_one_stack_alone_measured_is_named_apart_and_other_labs_stay_out() -> None:
    alone = _compared().one_stack_only
    assert "mysqld killed (SIGTERM)" in alone["heartbeat"] and "rejoin" in alone["heartbeat"]
    assert alone["drbd_pacemaker"] == []
    rows = {row.fault: row for row in _compared().faults}    # 7.3's and the drbd area's runs not counted
    assert rows["mysqld killed (SIGKILL)"].on["drbd_pacemaker"].scenarios == [
        "mysqld on vm01 is killed with SIGKILL; pacemaker starts it again on vm01"]


def test_each_claim_shows_its_verdict_on_each_stack() -> None:
    said = {row.claim: (row.said("heartbeat"), row.said("drbd_pacemaker")) for row in _compared().claims}
    assert said["if MySQL on the master is stopped, the VIP moves to the standby"] == ("not held", "not held")
    assert said["when the master is repaired the VIP stays on the standby (no second interruption)"] == (
        "held 2, not held 1", "not judged")
    assert "only after the fence device confirms does the standby take over" not in said   # 7.3's


def test_nothing_side_by_side_unless_both_stacks_measured() -> None:
    measured = [m for m in _load("measurements.jsonl") if m["stack"] != "drbd_pacemaker"]
    assert stacks.compare(runbook.build(_planned(measured, []), {}, {}, [], measured)) is None


def test_the_runbook_shows_the_tables_and_links_them() -> None:
    chapters = _chapters()
    html = runbook_html.to_html(chapters, "now")
    assert f'<li><a href="#side-by-side">{stacks.TITLE}</a></li>' in html
    assert "<tr><td>the Primary&#x27;s power cut</td><td>15.39, 14.98, 15.12 s; 0 / 167 lost</td>" in html
    md = runbook_md.to_markdown(chapters)
    assert "| the Primary's cluster cable pulled | 15.8 s; 251 / 325 lost | 30.13 s; 0 / 194 lost |" in md
    assert '| "if MySQL on the master is stopped, the VIP moves to the standby" | not held | not held |' in md
