"""Where a run or a plan goes: the areas' test modules grouped by lab, and the options that name the
embedded lab or an inventory's hosts."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from harness import areas
from harness.lab import inventory
from harness.lab.providers.base import ProviderError
from harness.lab.topology import load as load_topology

Groups = list[tuple[str, list[Path]]]


def target(args: argparse.Namespace, root: Path) -> tuple[Groups, list[str], inventory.Inventory | None]:
    """The runs to make (lab, test modules), the options naming where they run, and the inventory."""
    groups = areas.run_groups(root, args.areas, args.topology)
    if args.provider != "ssh" and not args.inventory:
        if getattr(args, "allow_disruptive", None):
            raise ProviderError("--allow-disruptive names hosts of an inventory (--inventory FILE): a lab's "
                                "hosts are all disposable")
        return groups, [f"--hadrill-provider={args.provider}"], None
    if not args.inventory:
        raise ProviderError("--provider ssh needs --inventory FILE")
    allowed = ",".join(getattr(args, "allow_disruptive", None) or [])
    inv = inventory.allow_disruptive(inventory.load(Path(args.inventory)), allowed.split(","))
    modules = for_the_inventory(groups, inv, forced=bool(args.topology), named=bool(args.areas))
    options = ["--hadrill-provider=ssh", f"--hadrill-inventory={Path(args.inventory).absolute()}",
               *([f"--hadrill-allow-disruptive={allowed}"] if allowed else [])]
    return [(inv.topology, modules)], options, inv


def misfit(topology: str, inv: inventory.Inventory) -> str | None:
    """Why a topology's modules do not run on an inventory's hosts ("": another topology), None if they do:
    its own topology, or one that plays it (drbdpcmk plays drbd) whose nodes' BMCs the hosts name as their
    fence devices."""
    if topology == inv.topology:
        return None
    spec = load_topology(topology)
    if spec.plays != inv.topology:
        return ""
    unfenced = [h.name for h in inv.hosts if h.fence is None]
    if unfenced and any(node.bmc for node in spec.nodes):
        return f"a fence device on each host (hosts[].fence), none on {', '.join(unfenced)}"
    return None


def for_the_inventory(groups: Groups, inv: inventory.Inventory, forced: bool,
                      named: bool = True) -> list[Path]:
    """The test modules an inventory's hosts run: all if --topology says so; else those of its topology or
    of one that plays it (see misfit), an area's modules for another topology left out where the area has
    one that fits (verify's checks of a Pacemaker cluster on a Heartbeat site). An area with none is refused
    when named, and left out, with a line that says so, when the areas were not named (all, by default)."""
    if forced:
        return [m for _, ms in groups for m in ms]
    fits: list[Path] = []
    unfit: dict[str, str] = {}
    for topology, modules in groups:
        why = misfit(topology, inv)
        for module in modules:
            if why is None:
                fits.append(module)
            else:
                unfit.setdefault(areas.area_of(module), why)
    left = sorted(set(unfit) - {areas.area_of(m) for m in fits})
    said = (f"inventory {inv.name!r} is a {inv.topology} topology; these areas need another: "
            + ", ".join(f"{area} ({unfit[area]})" if unfit[area] else area for area in left))
    if left and named:
        raise ProviderError(said)
    if left:
        print(f"hadrill: {said}: left out", file=sys.stderr)
    return fits


def planned(args: argparse.Namespace, root: Path) -> list[dict[str, Any]]:
    """Every scenario of the areas run dry where args say (the embedded lab, or an inventory's hosts)."""
    groups, where, _ = target(args, root)
    scenarios = []
    for topology, modules in groups:
        scenarios += areas.dry_run(root, list(map(str, modules)), [*where, f"--hadrill-topology={topology}"])
    return scenarios
