"""hadrill from any folder of the project, as pytest finds its rootdir: the paths a user typed are read
from the folder they were typed in, then the command works from the project's top folder."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from harness.areas import find_root

# options whose values are paths, always; --topology is a path only when it names a file
PATH_OPTIONS = ("inventory", "secrets", "reports", "merge")
PATH_VARIABLES = ("HADRILL_REPORTS", "HADRILL_SECRETS", "HADRILL_STATE", "HADRILL_CACHE")


def _from(here: Path, value: str | Path) -> str:
    return str(here / value) if not Path(value).is_absolute() else str(value)


def _typed_paths_made_absolute(args: argparse.Namespace, here: Path) -> None:
    for name in PATH_OPTIONS:
        value = getattr(args, name, None)
        if isinstance(value, list):
            setattr(args, name, [_from(here, v) for v in value])
        elif value is not None:
            setattr(args, name, type(value)(_from(here, value)))
    topology = getattr(args, "topology", None)
    if topology is not None and (here / topology).is_file():
        args.topology = _from(here, topology)
    for var in PATH_VARIABLES:
        if os.environ.get(var):
            os.environ[var] = _from(here, os.environ[var])


def enter_project(args: argparse.Namespace) -> Path | None:
    """The command's paths made absolute, then the project's top folder (features/ and steps/ in it,
    this folder or one above) made the working folder; None, and the folder left, outside a project."""
    here = Path.cwd()
    _typed_paths_made_absolute(args, here)
    root = find_root(here)
    if root is not None:
        os.chdir(root)
    return root
