"""The guard, before a run: its scenarios are planned dry, and the run is refused, before a connection is
made, where the plan has a command the guard does not let run on a host (harness.kinds: nothing
destructive on a host not marked disposable, nothing disruptive there unless the run allows it), or where
no plan could be made. The kinds come from the ops' own definitions (harness.kinds). Where the plan could
not see through a step (it depends on what the nodes answer), the same rule refuses each command at the
host during the run (Node.permit).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from harness import areas, kinds
from harness.lab.inventory import Inventory
from harness.lab.providers.base import ProviderError


def violations(scenarios: list[dict[str, Any]], protected: Iterable[str],
               disruptive_allowed: Iterable[str] = ()) -> list[str]:
    """Each step with a command refused on a protected host, once per host, with its first such command:
    "host: scenario / step: command", in plan order."""
    keep, allowed = set(protected), set(disruptive_allowed)
    found: dict[tuple[str, str], str] = {}
    for sc in scenarios:
        for st in sc["steps"]:
            step = f"{sc['name']} / {st['keyword']} {st['text']}"
            for c in st["commands"]:
                node = c["node"]
                if kinds.refusal(c["kind"], node, node in keep, node in allowed):
                    found.setdefault((node, step), f"{c['command'].splitlines()[0]} ({c['kind']})")
    return [f"{node}: {step}: {command}" for (node, step), command in found.items()]


def refusal(found: list[str]) -> str:
    hosts = sorted({line.split(":", 1)[0] for line in found})
    return (f"refused: these steps destroy data or disturb service on {', '.join(hosts)}, which the "
            "inventory does not mark disposable (disposable: true; disruptive steps alone are allowed on "
            "the hosts a run names with --allow-disruptive HOST); nothing was run and no host was "
            "reached:\n  " + "\n  ".join(found))


def check(root: Path, inv: Inventory | None, runs: list[tuple[list[str], list[str]]]) -> str | None:
    """The refusal for these runs (pytest targets, options), planned dry; None when nothing is refused.
    Only an inventory's hosts not marked disposable are protected (the labs' hosts all are disposable). A
    plan that cannot be made refuses the run (the guard fails closed)."""
    protected = [h.name for h in inv.hosts if not h.disposable] if inv else []
    if not protected or inv is None:
        return None
    try:
        planned = [sc for targets, options in runs if targets for sc in areas.dry_run(root, targets, options)]
    except ProviderError as exc:
        return (f"refused: the run could not be planned, so the guard cannot tell what it would do on "
                f"{', '.join(protected)} (not marked disposable); nothing was run: {exc}")
    unplanned = [f"{sc['name']}: {sc['unplanned']}" for sc in planned if sc.get("unplanned")]
    if unplanned:
        return (f"refused: the guard cannot tell what these scenarios would do on {', '.join(protected)} "
                "(not marked disposable), since the dry run could not plan them; nothing was run:\n  "
                + "\n  ".join(unplanned))
    found = violations(planned, protected, inv.disruptive_allowed)
    return refusal(found) if found else None


class DestructionDisrupts:
    """A scenario tagged destructive is disruptive too, before `-m` selects: `-m "not disruptive"` leaves
    out both."""

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            if item.get_closest_marker("destructive") and not item.get_closest_marker("disruptive"):
                item.add_marker("disruptive")
