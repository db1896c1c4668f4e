"""A running embedded lab written as an inventory, for the ssh provider to take as hosts it did not make."""

from __future__ import annotations

import os
import sys
from typing import Any

import yaml

from harness.lab import site
from harness.lab.providers import netns
from harness.lab.providers.uml import UmlLab


def _fault(lab: UmlLab, action: str, node: str) -> str:
    return f"{sys.executable} -m harness.cli lab fault --name {lab.lab_name} {action} {node}"


def _secret_files(lab: UmlLab) -> dict[str, dict[str, str]]:
    """The lab's secret values in files of mode 600 beside its state, and references to them."""
    folder = lab.dir / "secrets"
    folder.mkdir(mode=0o700, exist_ok=True)
    refs = {}
    for name, value in lab.secrets().items():
        path = folder / name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(value)
        refs[name] = {"file": str(path)}
    return refs


def inventory(lab: UmlLab, disposable: bool = True) -> dict[str, Any]:
    """The lab's nodes as inventory hosts, reached through the lab's namespace (ProxyCommand)."""
    proxy = netns.proxy_command(lab.ns)
    hosts = [{"name": n.name, "address": n.mgmt_address, "cluster_address": n.address,
              "disks": {d.name: f"/dev/{d.name}" for d in n.disks}, "roles": [lab.topology.name],
              "disposable": disposable,
              "power": {"off": _fault(lab, "power-off", n.name), "on": _fault(lab, "power-on", n.name)},
              "link": {"interface": lab.site().interface}, **_fence(lab, n.name)} for n in lab.topology.nodes]
    return {"name": lab.lab_name, "topology": lab.topology.plays or lab.topology_ref,
            "ssh": {"user": "root", "key": str(lab.dir / "id_ed25519"), "known_hosts": str(lab.known_hosts),
                    "proxy_command": proxy},
            "cluster": {"vip": lab.topology.vip, "client_prefix": lab.client_prefix()},
            "secrets": _secret_files(lab), "hosts": hosts, **_site(lab)}


def _fence(lab: UmlLab, node: str) -> dict[str, Any]:
    """The node's virtual BMC as the fence device a site names (the password under secrets)."""
    device = lab.fence_devices().get(node)
    return {"fence": {"agent": device.agent, "ip": device.ip, "username": device.username}} if device else {}


def _site(lab: UmlLab) -> dict[str, Any]:
    section = site.as_section(lab.site())
    return {"site": section} if section else {}


def dump(data: dict[str, Any]) -> str:
    head = "# hadrill inventory of an embedded lab (`hadrill lab inventory`); the ssh provider's input.\n"
    return head + yaml.safe_dump(data, sort_keys=False, width=200)
