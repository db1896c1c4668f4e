"""Every run kept for the trends: the history folder, the trend page, Allure's history carried over."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.report import allure_history, kept_runs, trends


@pytest.fixture(autouse=True)
def _reports_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reports folder is tmp_path: only its history/ may be removed from."""
    monkeypatch.setenv("HADRILL_REPORTS", str(tmp_path))


def _a_run(reports: Path, stop: int, rto: float, status: str = "passed") -> None:
    results = reports / "allure-results"
    results.mkdir(parents=True, exist_ok=True)
    for old in results.glob("*"):
        old.unlink()
    (results / "a-result.json").write_text(json.dumps({"name": "7.3: node1 is frozen", "status": status,
                                                       "stop": stop}))
    figures = {"title": "7.3: node1 is frozen", "scenario": "test_f", "stack": "pacemaker", "fault": "freeze",
               "acked": 70, "lost": 0, "rto_s": rto}
    (reports / "measurements.jsonl").write_text(json.dumps(figures) + "\n")
    (reports / "junit-rhcs.xml").write_text("<testsuites/>")


def test_each_run_is_kept_and_only_the_last_n(tmp_path: Path) -> None:
    for i, rto in enumerate((19.3, 21.0, 18.2)):
        _a_run(tmp_path, 1000 + i, rto, "failed" if i == 1 else "passed")
        assert kept_runs.keep(tmp_path, runs_kept=2) is not None
    kept = kept_runs.runs(tmp_path)
    assert len(kept) == 2
    assert [r.statuses["7.3: node1 is frozen"] for r in kept] == ["failed", "passed"]
    assert [r.figures[0]["rto_s"] for r in kept] == [21.0, 18.2]
    assert (tmp_path / "history" / kept[0].name / "junit-rhcs.xml").exists()


def test_a_run_without_results_is_not_kept(tmp_path: Path) -> None:
    assert kept_runs.keep(tmp_path) is None and kept_runs.runs(tmp_path) == []


def test_the_trend_page_plots_each_fault_across_runs(tmp_path: Path) -> None:
    for i, rto in enumerate((19.3, 21.0)):
        _a_run(tmp_path, 1000 + i, rto)
        kept_runs.keep(tmp_path)
    kept = kept_runs.runs(tmp_path)
    want = {"7.3: node1 is frozen: freeze": {"rto_s": [19.3, 21.0], "lost": [0.0, 0.0]}}
    assert trends.series(kept) == want
    page = trends.write(kept, tmp_path / "trends").read_text()
    assert page.count("<svg") == 2 and ">19.3</text>" in page and ">21</text>" in page
    assert "Trends across the last 2 runs" in page and page.count('<td class="passed">passed</td>') == 2


def test_a_run_without_the_figure_leaves_a_gap() -> None:
    runs = [kept_runs.PastRun("r1", {}, [{"title": "t", "fault": "f", "rto_s": 5.0, "lost": 0}]),
            kept_runs.PastRun("r2", {}, [{"title": "t", "fault": "f", "lost": 2}])]
    assert trends.series(runs)["t: f"] == {"rto_s": [5.0, None], "lost": [0.0, 2.0]}
    assert trends.plot([5.0, None], "outage (s)", ["r1", "r2"]).count("<circle") == 1
    page = trends.page([kept_runs.PastRun("r1", {}, [{"title": "t", "fault": "f", "lost": 0}])])
    assert page.count("<svg") == 1 and "outage (s)" not in page     # never measured: no plot


def test_allure_s_history_counts_a_run_reported_twice_once(tmp_path: Path) -> None:
    results = tmp_path / "allure-results"

    def report(trend: str) -> str | None:
        allure_history.feed(tmp_path, results)
        given = results / "history" / "history-trend.json"
        fed = given.read_text() if given.exists() else None
        folder = tmp_path / "folder-report"
        (folder / "history").mkdir(parents=True, exist_ok=True)
        (folder / "history" / "history-trend.json").write_text(trend)
        allure_history.keep(tmp_path, results, folder)
        return fed

    _a_run(tmp_path, 1000, 1.0)
    assert report("run1") is None                 # a first run has no past
    assert report("run1 again") is None           # reported twice: still no past
    _a_run(tmp_path, 2000, 1.0)
    assert report("run1+run2") == "run1 again"    # the second run sees the first
    assert report("run1+run2 again") == "run1 again"


def test_a_kept_run_outside_the_reports_history_is_not_removed(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from harness.paths import UnsafePath
    _a_run(tmp_path, 1000, 1.0)
    kept_runs.keep(tmp_path)
    monkeypatch.setenv("HADRILL_REPORTS", str(tmp_path / "elsewhere"))
    _a_run(tmp_path, 2000, 1.0)
    with pytest.raises(UnsafePath):
        kept_runs.keep(tmp_path, runs_kept=1)
