"""What a command does to a node: read, change, disrupt or destroy. Ops and faults say it where they are
defined. Disruptive: stops or moves the service without destroying data (demote, promote, stop a cluster
stack, move or delete a resource, remove the VIP, power actions). Destructive: destroys data or may (mkfs,
create-md, discarding a replica's changes, a forced promote, a power cut, a fence).

An op is marked with @change, @disruptive or @destructive; every command it runs (and every command of an
op it calls, unless that one says otherwise) is stamped with the kind in the transcript and the plan.
A command run outside any marked op is a read.

The guard's rule is here too, one for the plan (refused before any connection, harness.plan.guard) and
for each command of a run (refused at the host, Node.permit): reads and changes run anywhere; on a host
the inventory does not mark disposable, no destructive command runs, and no disruptive one unless the run
names the host (`hadrill run --allow-disruptive HOST`).
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable
from contextvars import ContextVar
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class Kind(enum.StrEnum):
    READ = "read"
    CHANGE = "change"
    DISRUPTIVE = "disruptive"
    DESTRUCTIVE = "destructive"


_ACTIVE: ContextVar[Kind | None] = ContextVar("hadrill_op_kind", default=None)


def current() -> Kind:
    """The kind of the op running now in this thread (a read outside any op)."""
    return _ACTIVE.get() or Kind.READ


def _marked(kind: Kind) -> Callable[[Callable[P, R]], Callable[P, R]]:
    def mark(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            token = _ACTIVE.set(kind)
            try:
                return fn(*args, **kwargs)
            finally:
                _ACTIVE.reset(token)
        run.kind = kind  # type: ignore[attr-defined]
        return run
    return mark


change = _marked(Kind.CHANGE)
disruptive = _marked(Kind.DISRUPTIVE)
destructive = _marked(Kind.DESTRUCTIVE)


def refusal(kind: Kind | str, host: str, protected: bool, disruptive_allowed: bool) -> str | None:
    """Why the guard refuses a command of this kind on this host; None when it lets it run."""
    kind = Kind(kind)
    if not protected:
        return None
    if kind is Kind.DESTRUCTIVE:
        return f"{host} is not marked disposable (disposable: true): nothing there is destroyed"
    if kind is Kind.DISRUPTIVE and not disruptive_allowed:
        return (f"{host} is not marked disposable, and the run does not allow disruptive commands there "
                f"(--allow-disruptive {host})")
    return None
