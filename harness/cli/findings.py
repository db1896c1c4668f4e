"""What a run found, said on the terminal at its end: the scenarios (from its junit files), the book's claims
held and not held (claims.jsonl), and each fault's lost writes and outage (measurements.jsonl)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from harness.verdicts import claims, measurements


def scenario_counts(reports: Path) -> dict[str, int]:
    """Scenarios run, passed, failed (errors included) and skipped, over every junit file of the run."""
    counts = {"run": 0, "failed": 0, "skipped": 0}
    for junit in sorted(reports.glob("junit-*.xml")):
        try:
            root = ET.parse(junit).getroot()
        except ET.ParseError:
            continue
        for suite in root.iter("testsuite"):
            counts["run"] += int(suite.get("tests", 0))
            counts["failed"] += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
            counts["skipped"] += int(suite.get("skipped", 0))
    counts["passed"] = counts["run"] - counts["failed"] - counts["skipped"]
    return counts


def fault_line(m: dict[str, Any]) -> str:
    """One fault's figures: what was lost of what was acknowledged, the outage, the monitor's coverage."""
    parts = [f"lost {m.get('lost', '?')} of {m.get('acked', '?')} acknowledged"]
    if m.get("rto_s") is not None:
        parts.append(f"outage {m['rto_s']} s")
    if m.get("violations") is not None:
        parts.append(f"invariants broken {m['violations']}")
    if m.get("coverage") is not None:
        parts.append(f"coverage {m['coverage']:.1%}")
    what = f"{m.get('stack', '?')} {m.get('fault', '?')}" + (f" {m['protocol']}" if m.get("protocol") else "")
    return f"  {m.get('scenario', '?')}: {what}: {', '.join(parts)}"


def render(reports: Path) -> str:
    c = scenario_counts(reports)
    found = claims.load(reports / "claims.jsonl")
    held = [v for v in found if v.get("verdict") == "held"]
    not_held = [v for v in found if v.get("verdict") != "held"]
    lines = ["", "hadrill: what the run found",
             f"scenarios: {c['run']} ({c['passed']} passed, {c['failed']} failed, {c['skipped']} skipped)"
             + ("; none was selected: nothing was checked (exit 5)" if not c["run"] else ""),
             f"the book's claims: {len(held)} held, {len(not_held)} not held"]
    lines += [f"  not held: \"{v.get('claim')}\" ({v.get('title', v.get('scenario'))}): {_first_line(v)}"
              for v in not_held]
    faults = measurements.load(reports / "measurements.jsonl")
    lines.append(f"faults measured: {len(faults)}")
    lines += [fault_line(m) for m in faults]
    lines += [f"the run's data: {reports}",
              f"  the report: `hadrill report`, then {reports / 'html' / 'index.html'}",
              f"  the runbook: `hadrill docs`, then {reports / 'runbook' / 'index.html'}"]
    return "\n".join(lines) + "\n"


def _first_line(verdict: dict[str, Any]) -> str:
    """The evidence's first line (the logs after it are in the report and claims.jsonl)."""
    lines = str(verdict.get("evidence", "")).splitlines()
    return lines[0] + (" (more in the report)" if len(lines) > 1 else "") if lines else ""
