"""What the guard lets run on a host: one rule for the plan (refused before any connection) and for each
command of a run (refused at the host, should a step the plan could not see through get there).

Reads and changes run anywhere. On a host the inventory does not mark disposable, no destructive command
runs, and no disruptive one unless the run names the host (`hadrill run --allow-disruptive HOST`).
"""

from __future__ import annotations

from harness.kinds import Kind


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
