"""The book's areas (folders of features/), the lab each needs, and their scenarios run dry."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from harness.lab.providers.base import ProviderError
from harness.lab.topology import DEFAULT_TOPOLOGY
from harness.lab.topology import load as load_topology
from harness.plan import dryrun


def find_root(start: Path) -> Path | None:
    """The project's top folder (features/ and steps/ in it): `start` or the nearest folder above it."""
    for folder in (start, *start.parents):
        if (folder / "features").is_dir() and (folder / "steps").is_dir():
            return folder
    return None


def project_root() -> Path:
    """The project's top folder, from the working folder or above it."""
    root = find_root(Path.cwd())
    if root is None:
        raise ProviderError(f"no features/ and steps/ folders in {Path.cwd()} or above it: run hadrill "
                            "inside the project")
    return root


# The topology each area's features run on, where it is not the default one (the book's DRBD pair).
TOPOLOGIES = {"rhcs": "rhcs", "drbd_pacemaker": "drbdpcmk"}


def topology_of(area: str) -> str:
    """The topology an area's features run on (decided here, once)."""
    return TOPOLOGIES.get(area, DEFAULT_TOPOLOGY)


def area_of(module: Path | str) -> str:
    """The area a test module binds: steps/test_<area>.py, or steps/test_<area>_on_<topology>.py for an
    area's features that need another topology than the area's own."""
    return Path(module).stem.removeprefix("test_").split("_on_", 1)[0]


def module_topology(module: Path | str) -> str:
    """The topology a test module's features run on: the one its name gives, else its area's."""
    _, on, topology = Path(module).stem.partition("_on_")
    return topology if on else topology_of(area_of(module))


def _fits(module: Path, lab: str) -> bool:
    """A module that names its topology runs on a lab of that topology, or one playing it, only."""
    _, on, topology = module.stem.partition("_on_")
    return not on or topology in (lab, load_topology(lab).plays)


def run_groups(root: Path, areas: list[str], lab: str | None) -> list[tuple[str, list[Path]]]:
    """The areas' test modules grouped by the lab they need, the lab's own checks first, in order."""
    modules = sorted((root / "steps").glob("test_*.py"))
    known = sorted({area_of(m) for m in modules})
    groups: dict[str, list[Path]] = {}
    for area in areas or sorted(known, key=lambda a: (a != "lab", a)):
        if area not in known:  # checked before it becomes part of a path
            raise ProviderError(f"no area {area!r}; areas: {', '.join(known)}")
        for module in (m for m in modules if area_of(m) == area and (lab is None or _fits(m, lab))):
            groups.setdefault(lab or module_topology(module), []).append(module)
    return list(groups.items())


def dry_run(root: Path, targets: list[str], options: list[str]) -> list[dict[str, Any]]:
    """The scenarios of the targets (test modules or test ids) run dry in one pytest (harness.plan)."""
    with tempfile.TemporaryDirectory(prefix="hadrill-plan-") as tmp:
        out = Path(tmp) / "plan.json"
        cmd = [sys.executable, "-m", "pytest", *targets, *options, f"--hadrill-plan={out}", "-q",
               "-p", "no:cacheprovider"]
        # a dry run's verdicts and figures are no one's: its reports folder is thrown away with it
        env = {**os.environ, "HADRILL_REPORTS": str(Path(tmp) / "reports")}
        run = subprocess.run(cmd, capture_output=True, text=True, cwd=root, stdin=subprocess.DEVNULL, env=env)
        # pytest's 0: all passed dry, 1: some steps stopped on an empty answer (the plan says where);
        # anything else (an error of the run itself, an exit) leaves a plan that cannot be trusted
        if not out.exists() or run.returncode not in (0, 1):
            said = (run.stdout + run.stderr).strip().splitlines()[-5:]
            raise ProviderError(f"the plan of {' '.join(targets[:3])} could not be made (pytest exit "
                                f"{run.returncode}): " + " / ".join(said))
        return dryrun.load(out)
