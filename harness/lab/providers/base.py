"""The provider interface: what a target (embedded lab, Vagrant VMs, staging hosts) offers the harness."""

from __future__ import annotations

import abc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from harness.lab.fence_entry import IPMI_AGENT, FenceDevice
from harness.lab.site import BOOK, Site
from harness.node import NodeAccess

BMC_USER = "admin"     # the user the labs' virtual BMCs answer to (see bmc.py)


class ProviderError(RuntimeError):
    """A provider could not do what was asked; the message says what and why."""


class Unsupported(ProviderError):
    """The provider has no way to do this (for example, no power control over a staging host)."""


@dataclass(frozen=True)
class Capabilities:
    """What a provider can do; features that need more are skipped or refused before they start."""

    power: bool = False        # power off (a pulled plug) and on
    freeze: bool = False       # stop a node dead and let it go on (SIGSTOP/SIGCONT, suspend/resume)
    cut_link: bool = False     # cut and restore a node's cluster link, the management link staying up
    reset: bool = False        # back to freshly booted nodes with empty disks
    managed: bool = False      # the provider created these hosts and may destroy them
    disposable: bool = False   # destructive steps (mkfs, create-md, power off) are allowed
    fence_device: bool = False # the nodes' fence devices (BMCs) can be stopped and started again
    snapshot: bool = False     # every node's disks kept as a known state and put back (nodes rebooted)


# The faults by the names the command line gives them: the capability each needs and the method doing it.
FAULTS: dict[str, tuple[str, str]] = {
    "power-off": ("power", "power_off"), "power-on": ("power", "power_on"),
    "freeze": ("freeze", "freeze"), "thaw": ("freeze", "thaw"),
    "cut-link": ("cut_link", "cut_link"), "restore-link": ("cut_link", "restore_link"),
    "break-fence": ("fence_device", "stop_bmc"), "repair-fence": ("fence_device", "start_bmc"),
}


class Provider(abc.ABC):
    """A set of nodes the harness can reach, with the faults it can inject into them."""

    name: str = "base"
    capabilities = Capabilities()
    shows_fenced_nodes = True   # status() says off a node the cluster's fence device took down (its BMCs)

    @classmethod
    def sweep_stale(cls) -> list[str]:
        """Take down what earlier runs of this kind left half-made; a provider that makes nothing has none."""
        return []

    def was_made(self) -> bool:
        """True if the nodes were there before up() (so the run that calls up() does not take them down)."""
        return False

    @abc.abstractmethod
    def up(self) -> None:
        """Make the nodes ready (boot them, or check they answer); idempotent."""

    @abc.abstractmethod
    def down(self) -> None:
        """Release everything the provider made; nothing of it is left running."""

    @abc.abstractmethod
    def status(self) -> dict[str, object]:
        """A JSON-able description of the lab and each node's state."""

    @abc.abstractmethod
    def nodes(self) -> list[NodeAccess]:
        """How to reach each node."""

    def node(self, name: str) -> NodeAccess:
        for access in self.nodes():
            if access.name == name:
                return access
        raise ProviderError(f"no node {name!r}; nodes: {', '.join(a.name for a in self.nodes())}")

    def powered_off(self) -> list[str]:
        """The nodes whose state in status() is "off"."""
        nodes = self.status().get("nodes", {})
        if not isinstance(nodes, dict):
            return []
        return [name for name, info in nodes.items() if isinstance(info, dict) and info.get("state") == "off"]

    def secrets(self) -> dict[str, str]:
        """Default secret values this provider's lab defines (a secrets file may override them)."""
        return {}

    _run_secrets: dict[str, str] | None = None

    def use_secrets(self, values: dict[str, str]) -> None:
        """The run's own secret values, given before up(): a lab that uses one itself (its BMCs' password)
        takes the run's, not its default. Hosts hadrill did not make use none."""
        self._run_secrets = dict(values)

    def site(self) -> Site:
        """The site's names for what the book names (the book's own, unless the lab says otherwise)."""
        return BOOK

    def vip(self) -> str:
        """The cluster's virtual IP address (Heartbeat's or Pacemaker's group takes it)."""
        raise self._unsupported("name the cluster's VIP")

    def client_prefix(self) -> list[str]:
        """The command prefix that runs a program as a client on the cluster network."""
        raise self._unsupported("run a client on the cluster network")

    def _unsupported(self, what: str) -> Unsupported:
        return Unsupported(f"the {self.name} provider cannot {what}")

    def reset(self) -> None:
        raise self._unsupported("reset the lab")

    def has_state(self, key: str) -> bool:
        """Whether a known state is kept under `key` (for this lab's image) to restore."""
        return False

    def save_state(self, key: str) -> None:
        """Keep every node's disks as the known state `key`; the nodes are rebooted on them."""
        raise self._unsupported("keep a known state")

    def restore_state(self, key: str) -> None:
        """Put back every node's disks as kept under `key`, and reboot the nodes on them."""
        raise self._unsupported("restore a known state")

    def power_off(self, node: str) -> None:
        raise self._unsupported("power a node off")

    def power_on(self, node: str, wait: bool = True) -> bool:
        """Power the node on (returns when it answers, unless not `wait`); False where it was found on
        already and nothing was issued (a fence device powered it on where the provider cannot see it)."""
        raise self._unsupported("power a node on")

    def freeze(self, node: str) -> None:
        raise self._unsupported("freeze a node")

    def thaw(self, node: str) -> None:
        raise self._unsupported("thaw a node")

    def cut_link(self, node: str) -> None:
        raise self._unsupported("cut a node's cluster link")

    def console_log(self, node: str) -> Path | None:
        """The file holding the node's console output, where the provider keeps one."""
        return None

    def bmcs(self) -> dict[str, str]:
        """Node name -> the address of the node's fence device (IPMI over LAN), where it has one."""
        return {}

    def fence_devices(self) -> dict[str, FenceDevice]:
        """Node name -> its fence device: the lab's own BMCs (IPMI over LAN, their user) by default."""
        return {name: FenceDevice(IPMI_AGENT, ip, BMC_USER) for name, ip in self.bmcs().items()}

    def bmc_log(self, node: str) -> str:
        raise self._unsupported("read a node's fence device log")

    def node_pid(self, node: str) -> int | None:
        raise self._unsupported("name a node's process")

    def stop_bmc(self, node: str) -> None:
        raise self._unsupported("stop a node's fence device")

    def start_bmc(self, node: str) -> None:
        raise self._unsupported("start a node's fence device")

    def restore_link(self, node: str) -> None:
        raise self._unsupported("restore a node's cluster link")

    def fault_actions(self) -> dict[str, Callable[[str], None]]:
        """The faults this provider's capabilities offer, by name (FAULTS), each taking a node's name."""
        return {fault: getattr(self, method) for fault, (capability, method) in FAULTS.items()
                if getattr(self.capabilities, capability)}
