"""What a lab made from a topology inside a namespace of its own answers from the topology itself."""

from __future__ import annotations

from pathlib import Path

from harness.lab.providers import netns
from harness.lab.providers.base import Provider, ProviderError
from harness.lab.topology import Topology


class TopologyLab(Provider):
    """A lab of a topology's nodes in the namespace `ns`, its files in `dir`: secrets, VIP and client are
    the topology's."""

    topology: Topology
    ns: str
    dir: Path

    @property
    def ssh_config(self) -> Path:
        return self.dir / "ssh_config"

    @property
    def known_hosts(self) -> Path:
        return self.dir / "known_hosts"

    def client_prefix(self) -> list[str]:
        """Inside the lab's namespace, where the cluster bridge holds the topology's client address."""
        return list(netns.exec_prefix(self.ns))

    def secrets(self) -> dict[str, str]:
        return dict(self.topology.secrets)

    def vip(self) -> str:
        if not self.topology.vip:
            raise ProviderError(f"the topology {self.topology.name!r} has no cluster.vip")
        return self.topology.vip
