"""Reports of several runs (the shards of one run, on other machines or one after the other) gathered into
one reports folder: the Allure results side by side, each junit file kept under the shard's name, the
transcript, measurements and verdicts appended in the order given."""

from __future__ import annotations

import shutil
from pathlib import Path

from harness.report.run_files import JSONL, RESULTS, start_fresh


class MergeError(ValueError):
    """A folder to merge is not a run's reports folder."""


def merge(sources: list[Path], into: Path) -> list[str]:
    """Gather the runs' reports folders into `into` (made fresh of these files); what was gathered."""
    for source in sources:
        if not (source / RESULTS).is_dir():
            raise MergeError(f"{source} holds no allure-results: not the reports folder of a run")
        if source.resolve() == into.resolve():
            raise MergeError(f"{source} is the folder merged into")
    start_fresh(into)
    results = into / RESULTS
    gathered = []
    for i, source in enumerate(sources, 1):
        for result in (source / RESULTS).iterdir():
            shutil.copy2(result, results / result.name)   # Allure names its files by UUID: no clash
        for junit in sorted(source.glob("junit-*.xml")):
            shutil.copy2(junit, into / f"{junit.stem}.shard{i}.xml")
        for name in JSONL:
            if (source / name).exists():
                with open(into / name, "a") as out:
                    out.write((source / name).read_text())
        gathered.append(str(source))
    return gathered
