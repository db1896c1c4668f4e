"""Where hadrill keeps its cache (images) and its state (labs), per the XDG conventions."""

from __future__ import annotations

import os
from pathlib import Path


def _xdg(var: str, default: str) -> Path:
    value = os.environ.get(var)
    return Path(value) if value and Path(value).is_absolute() else Path.home() / default


def cache_dir() -> Path:
    """The image cache: $HADRILL_CACHE, else $XDG_CACHE_HOME/hadrill."""
    override = os.environ.get("HADRILL_CACHE")
    return Path(override) if override else _xdg("XDG_CACHE_HOME", ".cache") / "hadrill"


def state_dir() -> Path:
    """Lab state (disks, keys, PIDs): $HADRILL_STATE, else $XDG_STATE_HOME/hadrill."""
    override = os.environ.get("HADRILL_STATE")
    return Path(override) if override else _xdg("XDG_STATE_HOME", ".local/state") / "hadrill"


def reports_dir() -> Path:
    """Output of runs (git-ignored): $HADRILL_REPORTS, else ./reports."""
    return Path(os.environ.get("HADRILL_REPORTS", "reports")).absolute()
