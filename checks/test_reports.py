"""After a run (make test, make acceptance): what reports/ holds is safe to share and shows in a browser.

These read what `hadrill run`, `hadrill report` and `hadrill docs` left in reports/; run them after those.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import warnings
from html import escape
from pathlib import Path

import pytest

from harness.lab.topology import builtin_names
from harness.lab.topology import load as load_topology
from harness.paths import reports_dir
from harness.report import kept_runs, trends
from harness.report.secrets import load_file

ROOT = Path(__file__).resolve().parent.parent
REPORTS = reports_dir()


def secret_values() -> dict[str, str]:
    """Every secret the run may have known: each lab's defaults, and the secrets file if one was given."""
    values = {f"{name}/{secret}": value for name in builtin_names()
              for secret, value in load_topology(name).secrets.items()}
    if os.environ.get("HADRILL_SECRETS"):
        values.update({f"file/{k}": v for k, v in load_file(Path(os.environ["HADRILL_SECRETS"])).items()})
    return values


def test_there_are_secrets_to_look_for() -> None:
    """The scan below is not empty: the lab topologies define secrets (a moved folder once emptied it)."""
    assert len(secret_values()) >= 3, secret_values().keys()


def test_the_run_handled_secrets() -> None:
    """The scan below means something: the run's transcript shows commands whose output held a secret."""
    transcript = [json.loads(line) for line in (REPORTS / "transcript.jsonl").read_text().splitlines()]
    masked = [e["command"] for e in transcript if "***" in e["command"] + e["stdout"]]
    assert masked, "no redacted command in the transcript: the run touched no secret"


@pytest.mark.parametrize("name", sorted(secret_values()))
def test_no_secret_value_anywhere_under_reports(name: str) -> None:
    value = secret_values()[name].encode()
    files = [p for p in REPORTS.rglob("*") if p.is_file()]
    assert len(files) > 10, f"only {len(files)} files under {REPORTS}: no run's reports to scan"
    hits = [str(p.relative_to(REPORTS)) for p in files if value in p.read_bytes()]
    assert not hits, f"the secret {name} is written in: {', '.join(hits)}"


# Known, not ours to fix: drbdadm (drbd-utils) hands DRBD's shared secret to drbdsetup as
# `--shared-secret=SECRET` on each connect; the child shows it for its few milliseconds (seen once in 1177
# walks of vm01 in a fresh clone's run). drbd-utils offers no other way to give it. Said, not passed over;
# any other finding fails.
DRBD_UTILS_CONNECT = re.compile(r"^drbdsetup(-84)? (connect|net-options) \S+ .*--shared-secret=\*\*\*")


def test_no_secret_was_on_a_command_line() -> None:
    """Every session of the run watched its nodes' process lists and this machine's for the run's secrets
    (harness/verdicts/process_lists.py): each node and this machine read, and no secret seen, in particular
    none of pacemaker's or fence_ipmilan's during the rhcs lab's session."""
    files = sorted(REPORTS.glob("process-lists-*.json"))
    assert any("rhcs" in p.name for p in files), f"no rhcs session's process lists under {REPORTS}: {files}"
    for path in files:
        watched = json.loads(path.read_text())
        assert watched["walks"] and min(watched["walks"].values()) > 0, f"{path.name}: {watched['walks']}"
        assert "(this machine)" in watched["walks"], f"{path.name}: this machine was not read"
        known = [f for f in watched["found"] if DRBD_UTILS_CONNECT.match(f["args"])]
        for found in known:
            warnings.warn(f"{path.name}: DRBD's shared secret on drbdsetup's command line on "
                          f"{found['where']} (drbd-utils' own call): {found['args']}", stacklevel=1)
        others = [f for f in watched["found"] if f not in known]
        assert others == [], f"{path.name}: a secret on a command line: {others}"


def _browser(page: Path, out: Path) -> str:
    """The page rendered by headless Chromium: a screenshot to out, and the DOM after its scripts ran."""
    base = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1280,1000",
            "--virtual-time-budget=10000"]
    url = page.resolve().as_uri()
    subprocess.run([*base, f"--screenshot={out}", url], capture_output=True, timeout=120, check=True)
    dom = subprocess.run([*base, "--dump-dom", url], capture_output=True, text=True, timeout=120, check=True)
    assert out.exists() and out.stat().st_size > 10_000, f"{out}: no screenshot, or a blank one"
    return dom.stdout


def test_the_runbook_shows_in_a_browser(tmp_path: Path) -> None:
    dom = _browser(REPORTS / "runbook" / "index.html", REPORTS / "runbook" / "screenshot.png")
    assert "<title>hadrill runbook: the HA chapter of the book, executable</title>" in dom
    assert "7.2 DRBD: a disk replicated between two hosts</h2>" in dom
    assert "$ drbdadm create-md test" in dom
    assert '<span class="badge">destructive</span>' in dom


def test_the_runbook_shows_the_book_beside_what_ran_with_verdicts_and_figures() -> None:
    """7.2 step 10 as the book prints it beside both spellings that ran, a claim's verdict, a fault's
    figures, the known state folded away, and where the run ran."""
    dom = _browser(REPORTS / "runbook" / "index.html", REPORTS / "runbook" / "screenshot-book.png")
    book = dom.index("<b>The book, 7.2 step 10</b>")
    assert "drbdadm -- --discard-my-data connect test" in dom[book:book + 2000]
    assert "(destructive) $ drbdadm -- --discard-my-data connect test  # exit 0" in dom   # as printed, ran
    assert "(destructive) $ drbdadm connect --discard-my-data test  # exit 0" in dom      # 8.4's, ran
    assert re.search(r'The book\'s claim .{0,300}<span class="result (held|not-held)">', dom)
    assert re.search(r'<table class="figures">(<tbody>)?<tr><td>fault</td>', dom)   # the browser adds tbody
    assert '<details class="known"><summary>Known state' in dom
    assert '<p class="site">Ran on: ' in dom


def test_the_runbook_puts_book_7_2_on_heartbeat_and_on_pacemaker_side_by_side() -> None:
    """Both stacks' power cut measured (each run's outage, the rows lost) and the shutdown claim judged on
    both, in the Markdown and linked from the HTML page's contents."""
    md = (REPORTS / "runbook" / "runbook.md").read_text()
    part = md[md.index("## Book 7.2 on Heartbeat and on Pacemaker, side by side"):]
    measured = r"[\d., ]+ s; \d+ / \d+ lost"
    assert re.search(rf"\| the Primary's power cut \| {measured} \| {measured} \|", part), part[:2000]
    judged = "(held|not held|held \\d+, not held \\d+)"
    shutdown = rf'\| "if the master is shut down, [^"]+" \| {judged} \| {judged} \|'
    assert re.search(shutdown, part), part[-2000:]
    assert '<a href="#side-by-side">' in (REPORTS / "runbook" / "index.html").read_text()


def test_the_runbook_s_pdf_pages_render() -> None:
    pdf = REPORTS / "runbook" / "runbook.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    assert pages >= 10, f"{pdf}: {pages} pages"
    out = REPORTS / "runbook" / "pdf-page"
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "2", "-l", "3", str(pdf), str(out)], check=True,
                   timeout=120)
    drawn = sorted(out.parent.glob("pdf-page-*.png"))
    assert len(drawn) == 2 and all(p.stat().st_size > 10_000 for p in drawn), [
        (p.name, p.stat().st_size) for p in drawn]


def test_the_trend_page_shows_every_kept_run() -> None:
    kept = kept_runs.runs(REPORTS)
    assert kept, f"no run kept under {REPORTS / 'history'}"
    dom = _browser(REPORTS / "trends" / "index.html", REPORTS / "trends" / "screenshot.png")
    assert f"Trends across the last {len(kept)} runs</h1>" in dom
    faults = trends.series(kept)
    plots = [values for row in faults.values() for values in row.values() if trends.measured(values)]
    assert faults and dom.count("<svg") == len(plots) >= len(faults)
    assert dom.count("<tr><td>") >= len(kept[-1].statuses)


def test_the_allure_report_shows_in_a_browser(tmp_path: Path) -> None:
    dom = _browser(REPORTS / "html" / "index.html", REPORTS / "html" / "screenshot.png")
    assert "<title>Allure Report</title>" in dom
    assert "test cases" in dom   # the overview's summary, drawn by the report's scripts
    features = {label["value"] for result in (REPORTS / "allure-results").glob("*-result.json")
                for label in json.loads(result.read_text()).get("labels", []) if label["name"] == "feature"}
    shown = [f for f in features if escape(f, quote=False) in dom]
    assert shown, f"none of the run's features is on the overview: {sorted(features)}"
