"""Steps of features/lab: the embedded lab's own fitness checks."""

from __future__ import annotations

import paramiko
import pytest
from pytest_bdd import then, when

from harness.lab.providers.base import Provider
from harness.node import Node
from harness.probes import drbd, host


@then("each node answers over SSH and uname -n prints its name")
def _(nodes: dict[str, Node]) -> None:
    for name, node in nodes.items():
        assert node.run("uname -n").stdout.strip() == name


@then(r"on each node /dev/sdb is a block device of 1024 MiB")
def _(nodes: dict[str, Node], lab: Provider) -> None:
    for access in lab.nodes():
        device = access.disks.get("sdb")
        assert device, f"{access.name} has no disk sdb in the inventory: {access.disks}"
        node = nodes[access.name]
        assert node.host.file(device).exists, f"{device} is missing on {access.name}"
        size = host.block_size_bytes(node, device)
        assert size == 1024 << 20, f"{device} on {access.name} is {size} bytes, not 1 GiB"


@when("modprobe drbd is run on each node")
def _(nodes: dict[str, Node]) -> None:
    for node in nodes.values():
        node.run("modprobe drbd")


@then("lsmod | grep drbd shows the module on each node")
def _(nodes: dict[str, Node]) -> None:
    for name, node in nodes.items():
        assert node.run("lsmod | grep drbd").ok
        assert host.module_loaded(node.run("lsmod").stdout, "drbd"), f"drbd not loaded on {name}"


@then("/proc/drbd on each node starts with a version line of DRBD 8.4")
def _(nodes: dict[str, Node]) -> None:
    for name, node in nodes.items():
        version = drbd.parse_version(node.run("cat /proc/drbd").stdout)
        assert version.major_minor == "8.4", f"{name} runs DRBD {version.version}, the book needs 8.4"


@then("each node pings every other node at its cluster address")
def _(nodes: dict[str, Node], lab: Provider) -> None:
    for access in lab.nodes():
        for peer in lab.nodes():
            if peer.name != access.name:
                nodes[access.name].sh("ping", "-c", "1", "-W", "2", peer.cluster_address)


@then("each node's SSH host key is the one pinned in the lab's known_hosts")
def _(nodes: dict[str, Node], lab: Provider) -> None:
    pinned = paramiko.HostKeys(str(lab.nodes()[0].known_hosts))
    for name, node in nodes.items():
        presented = node.conn.transport.get_remote_server_key()
        expected = pinned.lookup(name)
        assert expected is not None, f"no pinned key for {name}"
        assert presented == expected[presented.get_name()], f"{name} presented another key"


@then("a connection that expects another host key is refused")
def _(lab: Provider, tmp_path_factory: pytest.TempPathFactory) -> None:
    access = lab.nodes()[0]
    other = lab.nodes()[-1]
    wrong = tmp_path_factory.mktemp("keys") / "known_hosts"
    lines = access.known_hosts.read_text().splitlines()
    other_key = next(ln.split(" ", 1)[1] for ln in lines if ln.split(",")[0] == other.name)
    wrong.write_text("\n".join(f"{ln.split(' ', 1)[0]} {other_key}" for ln in lines) + "\n")
    imposter = Node(type(access)(access.name, access.ssh_config, wrong, access.cluster_address))
    with pytest.raises(paramiko.BadHostKeyException, match="does not match"):
        imposter.run("true")


@then("machine-id, MAC addresses, SSH host key and iSCSI initiator name differ between the nodes")
def _(nodes: dict[str, Node]) -> None:
    ids = [host.identity(node) for node in nodes.values()]
    for field in ("machine_id", "host_key", "iscsi_initiator"):
        values = [getattr(i, field) for i in ids]
        assert len(set(values)) == len(values), f"{field} repeats between nodes: {values}"
    macs = [mac for i in ids for mac in i.macs]
    assert len(set(macs)) == len(macs), f"MAC addresses repeat: {macs}"
