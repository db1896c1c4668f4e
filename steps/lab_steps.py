"""Steps of features/lab: the embedded lab's own fitness checks."""

from __future__ import annotations

import pytest
from pytest_bdd import given, then, when

from harness.clusters.base import Cluster
from harness.lab import hostkeys
from harness.node import Node
from harness.ops import drbd as drbd_ops
from harness.probes import drbd, host

from . import book


@given("every node of the lab is powered on")
def _(every_node: Cluster) -> None:
    """A node an earlier scenario's power cut left off is powered on (a Background of its own does it
    elsewhere); nothing is done where every node runs."""
    every_node.power_on_any_off()


@then("each node answers over SSH and uname -n prints its name")
def _(nodes: dict[str, Node]) -> None:
    for name, node in nodes.items():
        assert host.uname(node) == name


@then(r"on each node /dev/sdb is a block device of 1024 MiB")
def _(nodes: dict[str, Node]) -> None:
    disk = book.disk()
    for name, node in nodes.items():
        device = node.access.disks.get(disk)
        assert device, f"{name} has no disk {disk} in the inventory: {node.access.disks}"
        assert node.host.file(device).exists, f"{device} is missing on {name}"
        size = host.block_size_bytes(node, device)
        assert size == 1024 << 20, f"{device} on {name} is {size} bytes, not 1 GiB"


@when("modprobe drbd is run on each node")
def _(nodes: dict[str, Node]) -> None:
    for node in nodes.values():
        drbd_ops.load_module(node)


@then("lsmod | grep drbd shows the module on each node")
def _(nodes: dict[str, Node]) -> None:
    for name, node in nodes.items():
        assert host.module_listed(node, "drbd"), f"lsmod | grep drbd finds nothing on {name}"
        assert host.module_loaded(host.lsmod(node), "drbd"), f"drbd not loaded on {name}"


@then("/proc/drbd on each node starts with a version line of DRBD 8.4")
def _(nodes: dict[str, Node]) -> None:
    for name, node in nodes.items():
        version = drbd.parse_version(drbd.text(node))
        assert version.major_minor == "8.4", f"{name} runs DRBD {version.version}, the book needs 8.4"


@then("each node pings every other node at its cluster address")
def _(nodes: dict[str, Node]) -> None:
    for name, node in nodes.items():
        for peer in nodes.values():
            if peer.name != name:
                host.ping(node, peer.access.cluster_address)


@then("each node's SSH host key is the one pinned in the lab's known_hosts")
def _(nodes: dict[str, Node]) -> None:
    for name, node in nodes.items():
        known_hosts = node.access.known_hosts
        presented = hostkeys.presented(node)
        expected = hostkeys.pinned(known_hosts, name, presented.get_name())
        assert expected is not None, f"no pinned key for {name}"
        assert presented == expected, f"{name} presented another key"


@then("a connection that expects another host key is refused")
def _(nodes: dict[str, Node], tmp_path_factory: pytest.TempPathFactory) -> None:
    first, other = next(iter(nodes.values())), list(nodes)[-1]
    refusal = hostkeys.refusal_of_another_key(first, other, tmp_path_factory.mktemp("keys"))
    assert "does not match" in refusal, refusal


@then("machine-id, MAC addresses, SSH host key and iSCSI initiator name differ between the nodes")
def _(nodes: dict[str, Node]) -> None:
    ids = [host.identity(node) for node in nodes.values()]
    for field in ("machine_id", "host_key", "iscsi_initiator"):
        values = [getattr(i, field) for i in ids]
        assert len(set(values)) == len(values), f"{field} repeats between nodes: {values}"
    macs = [mac for i in ids for mac in i.macs]
    assert len(set(macs)) == len(macs), f"MAC addresses repeat: {macs}"
