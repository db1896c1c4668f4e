"""The providers by name, as `--provider` gives it: the labs hadrill makes from a topology, and the hosts
of an inventory that it does not."""

from __future__ import annotations

from harness.lab.inventory import Inventory
from harness.lab.providers.base import Provider, ProviderError
from harness.lab.providers.ssh import SshHosts
from harness.lab.providers.topolab import TopologyLab
from harness.lab.providers.uml import UmlLab
from harness.lab.providers.vagrant import VagrantLab

LABS: dict[str, type[TopologyLab]] = {UmlLab.name: UmlLab, VagrantLab.name: VagrantLab}
KINDS = (*LABS, SshHosts.name)
DEFAULT_KIND = UmlLab.name


def lab_kind(kind: str) -> type[TopologyLab]:
    """The class of the labs of this kind (uml, vagrant)."""
    try:
        return LABS[kind]
    except KeyError:
        raise ProviderError(f"no lab provider {kind!r}; labs: {', '.join(LABS)}") from None


def provider(kind: str, topology: str, lab_name: str | None, inventory: Inventory | None) -> Provider:
    """A run's provider, not yet up: the inventory's hosts when there is an inventory, else a lab."""
    if inventory is not None:
        return SshHosts(inventory)
    if kind == SshHosts.name:
        raise ProviderError("--provider ssh needs an inventory of hosts")
    return lab_kind(kind)(topology, lab_name)
