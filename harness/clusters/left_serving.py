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


def wanted(lab_stays: bool, entries: Iterable[Entry]) -> bool:
    """Whether the run must put its cluster back: the lab outlives the run, the run was not stopped, and
    it changed something on a node."""
    return lab_stays and not waiting.stopping() and bool(changed(entries))


def leave(what: str, serve: Callable[[], str], say: Callable[[str], None]) -> None:
    """Bring the cluster back to serving (serve() returns the node that serves) and say so; a failure
    raises NotLeftServing naming what the run changed and what went wrong."""
    touched = changed(entry for _, entry in TRANSCRIPT.entries)
    TRANSCRIPT.begin(SECTION)
    say(f"the run changed {', '.join(touched)}: leaving {what} serving")
    try:
        holder = serve()
    except Exception as exc:
        raise NotLeftServing(f"the run changed {', '.join(touched)} and could not leave {what} serving: "
                             f"{type(exc).__name__}: {exc}") from exc
    say(f"{what} left serving, from {holder}")
