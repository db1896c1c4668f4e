"""Hosts hadrill did not make (staging), from an inventory: reached over SSH, never created or destroyed.

Faults only where the inventory names a way: power through the host's own off/on commands (a fence
agent, run on this machine); a cut link made inside the host with tc, everything in and out of the named
interface dropped (link_cut.py). Nothing else (no freeze, no reset).
"""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

from harness.lab import inventory as inv_mod
from harness.lab import preflight
from harness.lab.fence_entry import FenceDevice
from harness.lab.inventory import Host, Inventory
from harness.lab.providers import link_cut, ready
from harness.lab.providers.base import Capabilities, Provider, ProviderError, Unsupported
from harness.lab.site import Site
from harness.lab.sshconf import SshHost, render_config
from harness.node import NodeAccess
from harness.paths import checked_name, remove_tree, state_dir
from harness.report.secrets import REDACTOR

POWER_TIMEOUT_S = 120
READY_TIMEOUT_S = 300


class SshHosts(Provider):
    """The inventory's hosts; up() checks each one (preflight) and writes the ssh_config Fabric reads."""

    name = "ssh"
    shows_fenced_nodes = False   # a site's BMCs are the site's: the cluster's fencing history says it

    def __init__(self, inventory: Inventory):
        self.inventory = inventory
        hosts = inventory.hosts
        self.capabilities = Capabilities(power=all(h.power for h in hosts),
                                         cut_link=all(h.link_interface for h in hosts),
                                         disposable=all(h.disposable for h in hosts))
        self.dir = state_dir() / "targets" / checked_name(inventory.name, "inventory name")
        self._off: set[str] = set()

    @property
    def ssh_config(self) -> Path:
        return self.dir / "ssh_config"

    def _host(self, node: str) -> Host:
        try:
            return self.inventory.host(node)
        except KeyError as exc:
            raise ProviderError(str(exc).strip("'\"")) from None

    def up(self) -> None:
        """Every host checked (reached, key known, logged in, named right, disks safe); then ssh_config."""
        for host in self.inventory.hosts:
            preflight.check(host)
        self.dir.mkdir(parents=True, exist_ok=True)
        blocks = [render_config([SshHost(h.name, h.address, "", h.ssh.user, h.ssh.port, h.ssh.proxy_command)],
                                Path(h.ssh.key).expanduser() if h.ssh.key else None,
                                Path(h.ssh.known_hosts).expanduser()) for h in self.inventory.hosts]
        self.ssh_config.write_text("\n".join(blocks))

    def down(self) -> None:
        """The hosts are not ours: only the files hadrill wrote for them go."""
        remove_tree(self.dir, ignore_errors=True)

    def status(self) -> dict[str, object]:
        return {"lab": self.inventory.name, "provider": self.name, "phase": "inventory",
                "nodes": {h.name: {"state": "off" if h.name in self._off else "running",
                                   "cluster_address": h.cluster_address, "address": h.address}
                          for h in self.inventory.hosts}}

    def nodes(self) -> list[NodeAccess]:
        return [NodeAccess(h.name, self.ssh_config, Path(h.ssh.known_hosts).expanduser(), h.cluster_address,
                           dict(h.disks), protected=not h.disposable,
                           disruptive_allowed=h.name in self.inventory.disruptive_allowed)
                for h in self.inventory.hosts]

    def secrets(self) -> dict[str, str]:
        return inv_mod.resolve_secrets(self.inventory)

    def bmcs(self) -> dict[str, str]:
        return {name: device.ip for name, device in self.fence_devices().items()}

    def fence_devices(self) -> dict[str, FenceDevice]:
        """The fence devices the inventory's hosts name."""
        return {h.name: h.fence for h in self.inventory.hosts if h.fence is not None}

    def site(self) -> Site:
        return self.inventory.site

    def vip(self) -> str:
        if not self.inventory.vip:
            raise Unsupported(f"inventory {self.inventory.name!r} names no cluster.vip")
        return self.inventory.vip

    def client_prefix(self) -> list[str]:
        """This machine is a client on the cluster network, unless the inventory says how to be one."""
        return list(self.inventory.client_prefix)

    # -- faults the inventory names a way for -----------------------------------------------
    def _power(self, node: str, action: str) -> None:
        host = self._host(node)
        if action not in host.power:
            raise self._unsupported(f"power {node} {action} (the inventory names no power.{action} for it)")
        run = subprocess.run(shlex.split(host.power[action]), capture_output=True, text=True,
                             stdin=subprocess.DEVNULL, timeout=POWER_TIMEOUT_S)
        if run.returncode != 0:
            said = REDACTOR.redact((run.stdout + run.stderr).strip())
            raise ProviderError(f"{node}: power {action} failed (exit {run.returncode}): {said}")

    def power_off(self, node: str) -> None:
        self._power(node, "off")
        self._off.add(node)

    def power_on(self, node: str, wait: bool = True) -> bool:
        """The host's power-on command; none for a host hadrill powered off that answers already (a fence
        device's reboot powered it on behind hadrill's back, and a BMC may refuse a second power-on)."""
        issued = not (node in self._off and ready.answers(self.ssh_config, node))
        if issued:
            self._power(node, "on")
        self._off.discard(node)
        if wait:
            self._wait_ready(node)
        return issued

    def _wait_ready(self, node: str) -> None:
        up, last = ready.wait(self.ssh_config, node, READY_TIMEOUT_S)
        if not up:
            raise ProviderError(f"{node} did not answer in {READY_TIMEOUT_S} s after power on "
                                f"(last: {last!r})")

    def _link(self, node: str, cut: bool) -> None:
        host = self._host(node)
        if not host.link_interface:
            raise self._unsupported(f"cut {node}'s link (the inventory names no link.interface for it)")
        link_cut.apply(self.ssh_config, node, host.link_interface, cut)

    def cut_link(self, node: str) -> None:
        """The node's cluster interface drops everything in and out (SSH comes over another one)."""
        self._link(node, True)

    def restore_link(self, node: str) -> None:
        """Nothing for a host hadrill powered off: the cut was its kernel's state and went with its power
        (a host a fence device rebooted since answers: the restore finds nothing to take off)."""
        if node not in self._off:
            self._link(node, False)
