"""What an audit of the nodes' logs after a fault found: the lines each node's log reported, and the nodes it
could not read (and why: a node not read is unknown, never clean)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(kw_only=True)
class NodeAudit:
    found: dict[str, list[str]] = field(default_factory=dict)    # node -> the lines that fail the audit
    unread: dict[str, str] = field(default_factory=dict)          # node -> why it was not read

    @property
    def failures(self) -> dict[str, list[str]]:
        return {name: lines for name, lines in self.found.items() if lines}

    def render(self) -> str:
        said = [f"{name}: {'; '.join(lines) if lines else 'clean'}" for name, lines in self.found.items()]
        return ", ".join(said + [f"{name}: not read ({why})" for name, why in self.unread.items()])
