"""The guard: a run whose scenarios destroy something is refused on any host not marked disposable,
before a connection is made. What destroys is what the plan (the scenarios run dry) marks destructive,
and that mark comes from the ops' own definitions (harness.kinds).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from harness import areas
from harness.lab.inventory import Inventory


def violations(scenarios: list[dict[str, Any]], protected: Iterable[str]) -> list[str]:
    """Each destructive step on a protected host, once, with its first destructive command there:
    "host: scenario / step: command", in plan order."""
    keep = set(protected)
    found: dict[tuple[str, str], str] = {}
    for sc in scenarios:
        for st in sc["steps"]:
            step = f"{sc['name']} / {st['keyword']} {st['text']}"
            for c in st["commands"]:
                if c["kind"] == "destructive" and c["node"] in keep:
                    found.setdefault((c["node"], step), c["command"].splitlines()[0])
    return [f"{node}: {step}: {command}" for (node, step), command in found.items()]


def refusal(found: list[str]) -> str:
    hosts = sorted({line.split(":", 1)[0] for line in found})
    return (f"refused: these steps destroy data or disturb service on {', '.join(hosts)}, which the "
            "inventory does not mark disposable (disposable: true); nothing was run and no host was "
            "reached:\n  " + "\n  ".join(found))


def check(root: Path, inv: Inventory | None, runs: list[tuple[list[str], list[str]]]) -> str | None:
    """The refusal for these runs (pytest targets, options), planned dry; None when nothing is refused.
    Only an inventory's hosts not marked disposable are protected (the labs' hosts all are disposable)."""
    protected = [h.name for h in inv.hosts if not h.disposable] if inv else []
    if not protected:
        return None
    planned = [sc for targets, options in runs if targets for sc in areas.dry_run(root, targets, options)]
    found = violations(planned, protected)
    return refusal(found) if found else None
