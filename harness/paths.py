"""Where hadrill keeps its cache (images) and its state (labs), per the XDG conventions; the one rule for
names that become part of a path; the one way to remove a folder hadrill made."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

NAME_RE = re.compile(r"[a-z][a-z0-9-]{0,19}")
NAME_RULE = "1-20 characters, a-z, 0-9 and '-', starting with a letter"


class UnsafeName(ValueError):
    """A name that would become part of a path breaks the name rule."""


class UnsafePath(ValueError):
    """A removal outside hadrill's own folders was refused."""


def _xdg(var: str, default: str) -> Path:
    value = os.environ.get(var)
    return Path(value) if value and Path(value).is_absolute() else Path.home() / default


def cache_dir() -> Path:
    """The image cache: $HADRILL_CACHE, else $XDG_CACHE_HOME/hadrill."""
    override = os.environ.get("HADRILL_CACHE")
    return Path(override) if override else _xdg("XDG_CACHE_HOME", ".cache") / "hadrill"


def state_dir() -> Path:
    """Lab state (disks, keys, PIDs): $HADRILL_STATE, else the default one."""
    override = os.environ.get("HADRILL_STATE")
    return Path(override) if override else default_state_dir()


def default_state_dir() -> Path:
    """The state folder when HADRILL_STATE does not say otherwise: $XDG_STATE_HOME/hadrill."""
    return _xdg("XDG_STATE_HOME", ".local/state") / "hadrill"


def lock_dir() -> Path:
    """Locks every hadrill run on this machine shares, whatever its state folder: /run/lock/hadrill."""
    return Path("/run/lock/hadrill")


def reports_dir() -> Path:
    """Output of runs (git-ignored): $HADRILL_REPORTS, else ./reports."""
    return Path(os.environ.get("HADRILL_REPORTS", "reports")).absolute()


def valid_name(name: object) -> bool:
    """True if `name` keeps to the name rule (so it can be one part of a path, never two, never '..')."""
    return isinstance(name, str) and NAME_RE.fullmatch(name) is not None


def checked_name(name: object, where: str) -> str:
    """`name` itself, or UnsafeName saying where it came from (a file and key, an option) and the rule."""
    if not valid_name(name):
        raise UnsafeName(f"{where}: {name!r} is not a name hadrill can use ({NAME_RULE})")
    return str(name)


def owned_roots() -> tuple[Path, ...]:
    """hadrill's own folders, resolved: the only places it removes anything from (its state, its cache,
    and the runs it keeps under the reports' history/)."""
    return tuple(p.resolve() for p in (state_dir(), cache_dir(), reports_dir() / "history"))


def owned(path: Path) -> bool:
    """True if `path`, symlinks followed, lies strictly inside one of hadrill's own folders."""
    target = path.resolve()
    return any(target != root and target.is_relative_to(root) for root in owned_roots())


def remove_tree(path: Path, ignore_errors: bool = False) -> None:
    """Remove a folder hadrill made (nothing if it is not there); UnsafePath for anything outside its
    state and cache folders."""
    if not owned(path):
        raise UnsafePath(f"refused to remove {path} (resolved: {path.resolve()}): not inside hadrill's "
                         f"folders ({', '.join(map(str, owned_roots()))})")
    target = path.resolve()
    if target.exists():
        shutil.rmtree(target, ignore_errors=ignore_errors)
