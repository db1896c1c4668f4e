"""A run leaves the cluster of a lab that outlives it (a site's hosts, a lab kept or found up) as the book's
runbook ends: DRBD connected and in sync under Heartbeat's group, or Pacemaker's service running, with
fencing on. So `verify` can follow any area, and an acceptance run does not leave a staging cluster broken.

Only where the run changed something: a read-only run (verify) leaves the cluster as it found it, and
issues no command of its own here. A run stopped by Ctrl-C leaves the lab as it stands (mend.py sees to
what a fault left)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from harness import waiting
from harness.report.transcript import TRANSCRIPT, Entry

SECTION = "the run ends: the cluster left serving as the runbook ends"


class NotLeftServing(AssertionError):
    """The run changed the cluster and could not bring it back to serving: the site needs a look."""


def changed(entries: Iterable[Entry]) -> list[str]:
    """The nodes on which a command other than a read ran, in order of first change."""
    seen: dict[str, None] = {}
    for entry in entries:
        if entry.kind != "read":
            seen.setdefault(entry.node, None)
    return list(seen)


def to_put_back(lab_stays: bool, entries: Iterable[Entry]) -> list[str]:
    """The nodes whose cluster the run must put back: those it changed, when the lab outlives the run and
    the run was not stopped; none otherwise."""
    return changed(entries) if lab_stays and not waiting.stopping() else []


def leave(what: str, touched: list[str], serve: Callable[[], str], say: Callable[[str], None]) -> None:
    """Bring the cluster the run changed on `touched` back to serving (serve() returns the node that
    serves) and say so; a failure raises NotLeftServing naming those nodes and what went wrong."""
    TRANSCRIPT.begin(SECTION)
    say(f"the run changed {', '.join(touched)}: leaving {what} serving")
    try:
        holder = serve()
    except Exception as exc:
        raise NotLeftServing(f"the run changed {', '.join(touched)} and could not leave {what} serving: "
                             f"{type(exc).__name__}: {exc}") from exc
    say(f"{what} left serving, from {holder}")
