"""What every cluster of the book is on the lab: named nodes reached through a provider, some of which a
fault may have powered off; and what a cluster serving MariaDB through a VIP offers the steps."""

from __future__ import annotations

from typing import Protocol

from harness.lab.faults import power_on_any_off
from harness.lab.providers.base import Provider
from harness.node import Node
from harness.probes.holdings import Holdings
from harness.probes.logs import Cursor


class Cluster:
    """Nodes of the lab by name (`names`, in the book's order), with their power."""

    def __init__(self, lab: Provider, nodes: dict[str, Node], names: list[str]):
        self.lab = lab
        self.all_nodes = nodes
        self.names = names

    def node(self, name: str) -> Node:
        return self.all_nodes[name]

    def other(self, name: str) -> str:
        """The other member of a two-node cluster."""
        return next(n for n in self.names if n != name)

    def powered_off(self) -> list[str]:
        return self.lab.powered_off()

    def power_on_any_off(self) -> None:
        """Every node a fault left powered off is powered on again (its old connection dropped first)."""
        power_on_any_off(self.lab, self.all_nodes)

    def can(self, capability: str) -> bool:
        """Whether the lab offers this capability (power, freeze, cut_link, fence_device)."""
        return bool(getattr(self.lab.capabilities, capability))

    @property
    def provider_name(self) -> str:
        return self.lab.name


class ServiceCluster(Protocol):
    """A cluster that serves MariaDB through a VIP (Heartbeat on DRBD, 7.2; pacemaker on shared storage,
    7.3)."""

    lab: Provider
    vip: str
    canary_password: str
    shared_storage: bool      # /data on a shared LUN (7.3) rather than a DRBD pair (7.2)
    mountpoint: str           # the book's /data, or the site's
    minor: int                # the DRBD minor under it (unused on shared storage)

    @property
    def names(self) -> list[str]: ...

    def node(self, name: str) -> Node: ...

    def holdings(self, name: str) -> Holdings: ...

    def ensure_canary_user(self) -> None: ...

    def log_cursors(self) -> dict[str, Cursor]:
        """Where each running node's cluster log stands, to read what a fault makes it write."""
        ...

    def taken_down_since(self, since: float) -> dict[str, list[float]]:
        """When the cluster's own fencing took each node down at or after `since` (monotonic clock)."""
        ...
