"""Reports of several runs (the shards of one run, on other machines or one after the other) gathered into
one reports folder: the Allure results side by side, each junit file kept under the shard's name, the
transcript, measurements and verdicts appended in the order given."""

from __future__ import annotations

import shutil
from pathlib import Path

JSONL = ("transcript.jsonl", "measurements.jsonl", "claims.jsonl")


class MergeError(ValueError):
    """A folder to merge is not a run's reports folder."""


def merge(sources: list[Path], into: Path) -> list[str]:
    """Gather the runs' reports folders into `into` (made fresh of these files); what was gathered."""
    for source in sources:
        if not (source / "allure-results").is_dir():
            raise MergeError(f"{source} holds no allure-results: not the reports folder of a run")
        if source.resolve() == into.resolve():
            raise MergeError(f"{source} is the folder merged into")
    results = into / "allure-results"
    results.mkdir(parents=True, exist_ok=True)
    for old in results.iterdir():     # the last run's results, as a new run's --clean-alluredir does
        if old.is_file():
            old.unlink()
    for name in JSONL:
        (into / name).unlink(missing_ok=True)
    gathered = []
    for i, source in enumerate(sources, 1):
        for result in (source / "allure-results").iterdir():
            shutil.copy2(result, results / result.name)   # Allure names its files by UUID: no clash
        for junit in sorted(source.glob("junit-*.xml")):
            shutil.copy2(junit, into / f"{junit.stem}.shard{i}.xml")
        for name in JSONL:
            if (source / name).exists():
                with open(into / name, "a") as out:
                    out.write((source / name).read_text())
        gathered.append(str(source))
    return gathered
