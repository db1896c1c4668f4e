"""A lab made from a topology inside a namespace of its own (the embedded UML lab, Vagrant VMs): how it is
named, found again on this machine, and swept; secrets, VIP and client come from the topology."""

from __future__ import annotations

import abc
from dataclasses import replace
from pathlib import Path
from typing import Self

from harness.lab.providers import netns
from harness.lab.providers.base import Provider, ProviderError
from harness.lab.site import BOOK, Site
from harness.lab.topology import DEFAULT_TOPOLOGY, Topology
from harness.lab.topology import load as load_topology
from harness.paths import checked_name


class TopologyLab(Provider):
    """A lab of a topology's nodes in the namespace `ns`, its files in `dir`."""

    dir: Path
    cluster_interface = ""      # the provider's name for the nodes' cluster NIC, if not the book's

    def __init__(self, topology: str = DEFAULT_TOPOLOGY, lab_name: str | None = None):
        self.topology: Topology = load_topology(topology)
        self.topology_ref = topology
        self.lab_name = checked_name(lab_name or self.default_name(self.topology), "lab name")
        self.ns = netns.ns_name(self.lab_name)
        made_of = self.recorded_topology(self.lab_name)
        if made_of is not None and made_of != topology:
            raise ProviderError(f"lab {self.lab_name!r} is up with the topology {made_of!r}, not "
                                f"{topology!r}: name it with --topology {made_of}, or take it down first")

    # -- the labs of this kind on this machine ---------------------------------------------
    @classmethod
    def default_name(cls, topology: Topology) -> str:
        """A lab's name when none is given."""
        return topology.name

    @classmethod
    @abc.abstractmethod
    def names(cls) -> list[str]:
        """The labs of this kind recorded on this machine."""

    @classmethod
    @abc.abstractmethod
    def recorded_topology(cls, name: str) -> str | None:
        """The topology the recorded lab `name` was made from; None if there is no such lab."""

    @classmethod
    @abc.abstractmethod
    def stale_names(cls) -> list[str]:
        """The recorded labs whose maker died while making them."""

    @classmethod
    def existing(cls, name: str) -> Self:
        """The recorded lab `name`, with the topology it was made from."""
        topology = cls.recorded_topology(name)
        if topology is None:
            raise ProviderError(f"no {cls.name} lab {name!r}; labs: {', '.join(cls.names()) or 'none'}")
        return cls(topology, name)

    @classmethod
    def named(cls, name: str | None) -> Self:
        """The lab named (one not recorded is taken as a lab of the topology of its name), or else the only
        one recorded (none: the default topology's)."""
        if name is None:
            names = cls.names()
            if len(names) > 1:
                raise ProviderError(f"several {cls.name} labs are up ({', '.join(names)}): say which with "
                                    "--name")
            if not names:
                return cls(DEFAULT_TOPOLOGY)
            name = names[0]
        return cls(cls.recorded_topology(name) or name, name)

    @classmethod
    def sweep_stale(cls) -> list[str]:
        """Take down every lab of this kind whose maker died mid-way; their names."""
        swept = cls.stale_names()
        for name in swept:
            cls.existing(name).down()
        return swept

    def was_made(self) -> bool:
        return self.recorded_topology(self.lab_name) is not None

    # -- what the topology answers ------------------------------------------------------------
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
        """The topology's defaults, under the run's own values (use_secrets)."""
        return {**self.topology.secrets, **(self._run_secrets or {})}

    def site(self) -> Site:
        """The topology's site, with this provider's name for the cluster NIC where the book's is taken."""
        site = self.topology.site
        if self.cluster_interface and site.interface == BOOK.interface:
            return replace(site, interface=self.cluster_interface)
        return site

    def vip(self) -> str:
        if not self.topology.vip:
            raise ProviderError(f"the topology {self.topology.name!r} has no cluster.vip")
        return self.topology.vip
