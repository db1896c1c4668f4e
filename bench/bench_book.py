"""Benchmark of the whole book: `hadrill run -n N` for each N asked, one after the other, side by side in one
table: each area's time (the sum of its scenarios' times), the wall time of the run, the CPU it took, the
memory and load at their peak, the scenarios passed and failed, and the ratio of each wall time to the
first N's.

Each run has reports of its own (a temporary folder) and labs named after it (b<N>-<topology>), so the
user's labs and reports/ are left alone.

Run: .venv/bin/python bench/bench_book.py [--jobs 1 2] [AREA ...]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Peaks:
    """The machine's memory in use (MemTotal - MemAvailable) and 1-minute load, sampled every second."""
    memory_gib: float = 0.0
    load: float = 0.0
    _stop: threading.Event = field(default_factory=threading.Event)

    def sample(self) -> None:
        while not self._stop.wait(1.0):
            self.memory_gib = max(self.memory_gib, memory_in_use_gib())
            self.load = max(self.load, os.getloadavg()[0])

    def stop(self) -> None:
        self._stop.set()


@dataclass
class Run:
    jobs: int
    wall_s: float
    cpu_s: float
    peaks: Peaks
    areas: dict[str, float]
    passed: int
    failed: int
    status: int


def memory_in_use_gib() -> float:
    info = dict(line.split(":", 1) for line in Path("/proc/meminfo").read_text().splitlines())
    kib = int(info["MemTotal"].split()[0]) - int(info["MemAvailable"].split()[0])
    return kib / (1 << 20)


def machine_busy_s() -> float:
    """The machine's CPU time spent busy so far, all cores (the lab's kernels are not this process's
    children to wait for, so their time is counted here, not by getrusage)."""
    ticks = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = ticks[3] + ticks[4]     # idle and iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def area_times(reports: Path) -> tuple[dict[str, float], int, int]:
    """Each area's time (its scenarios' times summed) and the scenarios passed and failed, from the junit
    files the run wrote."""
    times: defaultdict[str, float] = defaultdict(float)
    passed = failed = 0
    for junit in reports.glob("junit-*.xml"):
        for case in ET.parse(junit).iter("testcase"):
            times[case.get("classname", "").removeprefix("steps.test_")] += float(case.get("time", 0))
            bad = case.find("failure") is not None or case.find("error") is not None
            failed, passed = failed + bad, passed + (not bad and case.find("skipped") is None)
    return dict(times), passed, failed


def run_book(jobs: int, areas: list[str], reports: Path) -> Run:
    env = {**os.environ, "HADRILL_REPORTS": str(reports)}
    cmd = [sys.executable, "-m", "harness.cli", "run", "-n", str(jobs), "--name", f"b{jobs}", *areas]
    peaks = Peaks()
    sampler = threading.Thread(target=peaks.sample, daemon=True)
    sampler.start()
    cpu, start = machine_busy_s(), time.monotonic()
    status = subprocess.call(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall, cpu = time.monotonic() - start, machine_busy_s() - cpu
    peaks.stop()
    times, passed, failed = area_times(reports)
    return Run(jobs, wall, cpu, peaks, times, passed, failed, status)


def row(label: str, cells: list[str]) -> str:
    return f"{label:28}" + "".join(f"{cell:>12}" for cell in cells)


def table(runs: list[Run]) -> str:
    areas = sorted({a for r in runs for a in r.areas})
    first = runs[0].wall_s
    return "\n".join([
        row("", [f"-n {r.jobs}" for r in runs]),
        *(row(f"area {a} (s)", [f"{r.areas.get(a, 0):.0f}" for r in runs]) for a in areas),
        row("whole book, wall (s)", [f"{r.wall_s:.0f}" for r in runs]),
        row(f"ratio to -n {runs[0].jobs}", [f"{r.wall_s / first:.2f}" for r in runs]),
        row("CPU busy, machine (s)", [f"{r.cpu_s:.0f}" for r in runs]),
        row("CPU busy, share of cores", [f"{r.cpu_s / r.wall_s / (os.cpu_count() or 1):.0%}" for r in runs]),
        row("memory in use, peak (GiB)", [f"{r.peaks.memory_gib:.1f}" for r in runs]),
        row("load (1 min), peak", [f"{r.peaks.load:.1f}" for r in runs]),
        row("scenarios passed / failed", [f"{r.passed} / {r.failed}" for r in runs]),
        row("exit status", [str(r.status) for r in runs]),
    ])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="the -n of each run (default: 1 2)")
    ap.add_argument("areas", nargs="*", help="areas to run (default: all)")
    args = ap.parse_args()
    print(f"{os.cpu_count()} cores, {memory_in_use_gib():.1f} GiB in use before the runs", flush=True)
    runs = []
    with tempfile.TemporaryDirectory(prefix="hadrill-bench-") as tmp:
        for jobs in args.jobs:
            runs.append(run_book(jobs, args.areas, Path(tmp) / f"n{jobs}"))
            print(f"-n {jobs}: {runs[-1].wall_s:.0f} s", flush=True)
    print(table(runs))


if __name__ == "__main__":
    main()
