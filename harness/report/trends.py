"""The regression lab's trend page (reports/trends/index.html): each fault scenario's measured outage and
lost writes across the kept runs as small plots, and each scenario's result per run as a table."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from harness.report.kept_runs import PastRun

PLOTTED = (("rto_s", "outage (s)"), ("lost", "acknowledged writes lost"))
WIDTH, HEIGHT, PAD = 460, 150, 34


def series(runs: list[PastRun]) -> dict[str, dict[str, list[float | None]]]:
    """For each fault measured (its scenario's title and fault; a second of the same in a run numbered),
    each plotted figure's value per run, None where that run did not measure it."""
    out: dict[str, dict[str, list[float | None]]] = {}
    for i, run in enumerate(runs):
        seen: dict[str, int] = {}
        for m in run.figures:
            base = f"{m.get('title') or m.get('scenario', '?')}: {m.get('fault', '?')}"
            seen[base] = seen.get(base, 0) + 1
            key = base if seen[base] == 1 else f"{base} ({seen[base]})"
            row = out.setdefault(key, {name: [None] * len(runs) for name, _ in PLOTTED})
            for name, _ in PLOTTED:
                value = m.get(name)
                row[name][i] = float(value) if isinstance(value, int | float) else None
    return out


def measured(values: list[float | None]) -> bool:
    """True if some run measured the figure (a figure never measured gets no plot)."""
    return any(v is not None for v in values)


def plot(values: list[float | None], label: str, runs: list[str]) -> str:
    """A line of the values across runs, each point labelled; a run without the figure leaves a gap."""
    points = [(i, v) for i, v in enumerate(values) if v is not None]
    top = max([v for _, v in points] + [1.0])
    def xy(i: int, v: float) -> tuple[float, float]:
        x = PAD + (WIDTH - 2 * PAD) * (i / max(len(runs) - 1, 1))
        return x, HEIGHT - PAD - (HEIGHT - 2 * PAD) * v / top
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, v) for i, v in points))
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#4a7bd0"><title>{escape(runs[i])}</title>'
                   f'</circle><text x="{x:.1f}" y="{y - 6:.1f}" text-anchor="middle">{v:g}</text>'
                   for i, v in points for x, y in [xy(i, v)])
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" font-size="11" '
            f'font-family="sans-serif"><text x="4" y="14" font-weight="bold">{escape(label)}</text>'
            f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" stroke="#999"/>'
            f'<polyline points="{line}" fill="none" stroke="#4a7bd0" stroke-width="2"/>{dots}'
            f'<text x="{PAD}" y="{HEIGHT - 8}">{len(runs)} runs, oldest left</text></svg>')


def _results_table(runs: list[PastRun]) -> str:
    titles = sorted({t for run in runs for t in run.statuses})
    head = "".join(f"<th>{escape(run.name)}</th>" for run in runs)
    def cell(run: PastRun, title: str) -> str:
        status = run.statuses.get(title)
        return f'<td class="{status or "absent"}">{escape(status or "-")}</td>'
    rows = "".join(f"<tr><td>{escape(t)}</td>" + "".join(cell(run, t) for run in runs) + "</tr>"
                   for t in titles)
    return f'<table class="results"><tr><th>scenario</th>{head}</tr>{rows}</table>'


CSS = """body { font-family: sans-serif; margin: 2em; color: #222; }
.fault { display: inline-block; vertical-align: top; margin: 0 1.5em 1.5em 0; }
table.results { border-collapse: collapse; font-size: .85em; }
table.results td, table.results th { border: 1px solid #ddd; padding: .1em .4em; }
.passed { background: #d4f5d4; } .failed, .broken { background: #f8d0d0; }
.skipped, .absent { color: #999; }"""


def page(runs: list[PastRun]) -> str:
    names = [run.name for run in runs]
    def plots(row: dict[str, list[float | None]]) -> str:
        return "".join(plot(row[name], label, names) for name, label in PLOTTED if measured(row[name]))
    faults = "".join(f'<div class="fault"><h3>{escape(key)}</h3>{plots(row)}</div>'
                     for key, row in sorted(series(runs).items()))
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>hadrill: trends across runs'
            f'</title><style>{CSS}</style></head><body><h1>Trends across the last {len(runs)} runs</h1>'
            f"<h2>Each fault's figures, run by run</h2>{faults or '<p>No fault was measured.</p>'}"
            f"<h2>Each scenario's result, run by run</h2>{_results_table(runs)}</body></html>\n")


def write(runs: list[PastRun], out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    (out / "index.html").write_text(page(runs))
    return out / "index.html"


def described(runs: list[PastRun]) -> dict[str, Any]:
    """How many runs and faults the page shows (for the command's own line)."""
    return {"runs": len(runs), "faults": len(series(runs))}
