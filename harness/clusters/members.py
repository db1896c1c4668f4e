"""What the parts of the book's 7.3 cluster (its service, GFS2) need of the cluster itself."""

from __future__ import annotations

from typing import Protocol

from harness.lab.providers.base import Provider
from harness.node import Node
from harness.probes.crm_mon import ClusterStatus
from harness.probes.logs import Cursor

TAKEOVER_TIMEOUT_S = 180.0


class Members(Protocol):
    """A running pacemaker cluster of named members, the first of them preferred."""

    lab: Provider
    name: str
    names: list[str]

    @property
    def preferred(self) -> str: ...

    def node(self, name: str) -> Node: ...

    def status(self, via: str | None = None) -> ClusterStatus: ...

    def ensure_cluster(self) -> None: ...

    def log_cursors(self) -> dict[str, Cursor]: ...
