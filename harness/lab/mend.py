"""A lab whose run died (harness/lab/owner.py) is never reused as it was left: a lab that run brought up is
swept (taken down: the next run boots it afresh), a lab it found up (kept by an earlier run, or made by
hand) is mended (frozen nodes thawed, cables plugged back, fence devices started, nodes powered on), and
what was done is said."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from harness.lab import owner
from harness.lab.providers import registry
from harness.lab.providers.base import ProviderError
from harness.lab.providers.topolab import TopologyLab


def settle(rec: owner.Record) -> str:
    """Sweep or mend the lab a dead run left, then forget the record; one line saying what was done."""
    said = f"lab {rec.lab} (left by {rec.said()}, which died): {_settled(rec)}"
    owner.clear(rec.lab)
    return said


def _settled(rec: owner.Record) -> str:
    try:
        kind = registry.lab_kind(rec.kind)
    except (KeyError, ProviderError):
        return f"not a kind of lab hadrill knows ({rec.kind!r}); record dropped"
    if kind.recorded_topology(rec.lab) is None:
        return "already down"
    lab = kind.named(rec.lab)
    if rec.brought_up:
        lab.down()
        return "swept (that run brought it up; the next run boots it afresh)"
    return f"mended ({'; '.join(mend(lab)) or 'nothing was out of place'})"


def mend(lab: TopologyLab) -> list[str]:
    """Put every fault a run may have left back right; what was done (each tried, whatever the others)."""
    caps = lab.capabilities
    nodes = lab.status().get("nodes", {})
    states = {n: str(i.get("state", "")) for n, i in nodes.items()} if isinstance(nodes, dict) else {}
    steps: list[tuple[str, bool, Callable[[], object]]] = [
        *((f"thawed {n}", caps.freeze, partial(lab.thaw, n)) for n, s in states.items() if s == "frozen"),
        ("cables plugged in", caps.cut_link, partial(_plug_in, lab, list(states))),
        *((f"fence device of {n} started", caps.fence_device, partial(lab.start_bmc, n))
          for n in lab.bmcs() if not _bmc_running(lab, n)),
        *((f"powered on {n}", caps.power, partial(lab.power_on, n)) for n, s in states.items() if s == "off"),
    ]
    done = []
    for what, able, act in steps:
        if not able:
            continue
        try:
            act()
        except Exception as exc:       # every fault is tried, whatever the one before raised
            done.append(f"{what}: FAILED: {type(exc).__name__}: {exc}")
        else:
            done.append(what)
    return done


def _plug_in(lab: TopologyLab, names: list[str]) -> None:
    for name in names:
        lab.restore_link(name)


def _bmc_running(lab: TopologyLab, node: str) -> bool:
    running = getattr(lab, "bmc_running", None)
    return bool(running(node)) if callable(running) else True


def hold(provider: object, wait: Callable[[str], None] | None = None) -> tuple[owner.Ownership | None,
                                                                               str | None]:
    """This run's hold on its lab (LabBusy if a live run has it, unless told to wait), a lab a dead run
    left settled first, with the line saying how; no hold for hosts hadrill did not make (an inventory's)."""
    if not isinstance(provider, TopologyLab):
        return None, None
    ownership = owner.Ownership(provider.name, provider.lab_name)
    left = ownership.take(wait)
    return ownership, settle(left) if left is not None else None


def settle_dead_runs(pids: set[int] | None = None, lab: str | None = None) -> list[str]:
    """Settle every lab a dead run left (only those of `pids`, or the lab named, if given); a line each."""
    return [settle(rec) for rec in owner.left_by_dead_runs()
            if (pids is None or rec.pid in pids) and (lab is None or rec.lab == lab)]
