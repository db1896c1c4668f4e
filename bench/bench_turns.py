"""Benchmark of the sessions' turns on the machine: for each run's reports (reports/, or kept runs'
folders under reports/history/), side by side, each session's time in scenarios, the time it waited for
the other sessions' measured parts, the time it held the machine alone (its measured parts), and what
ran beside the others; then the measured parts of all sessions together. Those run one at a time, so
their sum is a floor under the features' wall time: a measured second added to any session adds a
second to the run, whichever session it is in. Last, each session's floor: its own work and the
others' measured parts, the least its scenarios can take.

From the turns.jsonl a run writes (one line a scenario); nothing is run.

Run: .venv/bin/python bench/bench_turns.py [REPORTS_DIR ...]
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ("scenarios", "in scenarios (s)", "waited for others (s)", "held alone (s)", "beside others (s)")


def session_figures(lines: list[dict[str, object]]) -> dict[str, dict[str, float]]:
    """session -> figure -> value, from a run's turns.jsonl lines."""
    out: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(FIGURES, 0.0))
    for line in lines:
        f = out[str(line["session"])]
        wall, waited, alone = (float(str(line[k])) for k in ("wall_s", "waited_s", "alone_s"))
        f["scenarios"] += 1
        f["in scenarios (s)"] += wall
        f["waited for others (s)"] += waited
        f["held alone (s)"] += alone
        f["beside others (s)"] += wall - waited - alone
    return dict(out)


def read(reports: Path) -> list[dict[str, object]]:
    path = reports / "turns.jsonl"
    if not path.exists():
        raise SystemExit(f"{path}: no turns recorded (a run of this version of hadrill writes them)")
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def table(runs: dict[str, dict[str, dict[str, float]]]) -> list[str]:
    """Rows of session/figure, a column per run; the measured parts of all sessions at the end."""
    names = list(runs)
    rows = [f"{'':44}" + "".join(f"{n[-18:]:>20}" for n in names)]
    sessions = sorted({s for run in runs.values() for s in run})
    for session in sessions:
        for figure in FIGURES:
            rows.append(_row(f"{session}: {figure}", [runs[n].get(session, {}).get(figure) for n in names]))
    total: list[float | None] = [sum(f["held alone (s)"] for f in runs[n].values()) for n in names]
    rows.append(_row("all sessions: measured parts, one at a time (s)", total))
    for session in sessions:
        rows.append(_row(f"{session}: floor, own + others alone (s)",
                         [floor(runs[n], session) if session in runs[n] else None for n in names]))
    return rows


def _row(label: str, cells: list[float | None]) -> str:
    """A labelled row of whole seconds, a column per run ('-' where the run has no such figure)."""
    return f"{label:44}" + "".join(f"{'-' if c is None else f'{c:.0f}':>20}" for c in cells)


def floor(run: dict[str, dict[str, float]], session: str) -> float:
    """The least a session's scenarios can take beside the others: its own work (all but its waits) and
    every other session's measured parts, which it cannot run beside. Time moved from one session's
    measured part to its shared part shortens the others' floors, not its own."""
    own = run[session]["in scenarios (s)"] - run[session]["waited for others (s)"]
    return own + sum(f["held alone (s)"] for name, f in run.items() if name != session)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("reports", nargs="*", type=Path, default=[ROOT / "reports"])
    args = parser.parse_args()
    runs = {str(r): session_figures(read(r)) for r in args.reports}
    print("\n".join(table(runs)))


if __name__ == "__main__":
    main()
