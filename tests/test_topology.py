"""Topology files: the shipped ones parse; bad ones name file, field and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.lab.providers.base import ProviderError
from harness.lab.providers.uml import UmlLab
from harness.lab.topology import TopologyError, builtin_names, load, parse

GOOD = """
name: mini
cluster: {subnet: 192.168.8.0/24, client: 192.168.8.254, vip: 192.168.8.100}
nodes:
  a: {address: 192.168.8.1, disks: [{name: sdb, size_mib: 64}]}
  b: {address: 192.168.8.2}
"""


def test_shipped_topologies_parse() -> None:
    assert builtin_names() == ["drbd", "drbdpcmk", "renamed", "rhcs"]
    drbd = load("drbd")
    assert [(n.name, n.address) for n in drbd.nodes] == [("vm01", "192.168.8.22"), ("vm02", "192.168.8.23")]
    assert drbd.vip == "192.168.8.100"
    assert all(n.disks[0].name == "sdb" and n.disks[0].size_mib == 1024 for n in drbd.nodes)
    rhcs = load("rhcs")
    assert rhcs.node("node1").memory_mib == 1024 and rhcs.node("node2").address == "192.168.8.102"
    assert rhcs.node("storage").disks
    assert [(n.name, n.bmc) for n in rhcs.nodes] == [("node1", "192.168.8.201"), ("node2", "192.168.8.202"),
                                                     ("storage", "")]


def test_a_bmc_address_must_be_in_the_subnet_and_unused() -> None:
    text = _problems(GOOD.replace("b: {address: 192.168.8.2}", "b: {address: 192.168.8.2, bmc: 10.1.1.1}")
                     .replace("a: {address: 192.168.8.1,", "a: {address: 192.168.8.1, bmc: 192.168.8.2,"))
    assert "lab.yaml: nodes.b.bmc: 10.1.1.1 is outside the cluster subnet 192.168.8.0/24" in text
    assert "lab.yaml: nodes.a.bmc: 192.168.8.2 is already used by nodes.b.address" in text


def test_good_file_gives_devices_and_management_addresses() -> None:
    topo = parse(GOOD, "mini.yaml")
    a = topo.node("a")
    assert a.disks[0].device == "ubdb"
    assert a.mgmt_address == "10.254.0.11" and topo.node("b").mgmt_address == "10.254.0.12"


def _problems(text: str) -> str:
    with pytest.raises(TopologyError) as err:
        parse(text, "lab.yaml")
    return str(err.value)


@pytest.mark.parametrize(("change", "expected"), [
    ("a: {address: 192.168.8.1, colour: red}", "lab.yaml: nodes.a.colour: unknown key"),
    ("a: {address: 10.0.0.1}", "lab.yaml: nodes.a.address: 10.0.0.1 is outside the cluster subnet"),
    ("a: {address: banana}", "lab.yaml: nodes.a.address: 'banana' is not an IPv4 address"),
    ("a: {address: 192.168.8.2}", "nodes.b.address: 192.168.8.2 is already used by nodes.a.address"),
    ("a: {address: 192.168.8.1, memory_mib: 64}", "lab.yaml: nodes.a.memory_mib: expected a whole number"),
    ("a: {address: 192.168.8.1, disks: [{name: hda, size_mib: 1}]}", "nodes.a.disks[0].name: 'hda'"),
    ("Node_1: {address: 192.168.8.1}", "lab.yaml: nodes.Node_1: node name 'Node_1' must match"),
])
def test_bad_fields_are_named_with_reason(change: str, expected: str) -> None:
    text = GOOD.replace("a: {address: 192.168.8.1, disks: [{name: sdb, size_mib: 64}]}", change)
    assert expected in _problems(text)


def test_every_problem_is_listed_at_once() -> None:
    text = GOOD.replace("address: 192.168.8.1", "address: 10.1.1.1").replace("address: 192.168.8.2", "")
    message = _problems(text)
    assert "nodes.a.address" in message and "nodes.b.address: missing" in message


def test_yaml_syntax_error_gives_line() -> None:
    assert "lab.yaml: line 2, column 9: not valid YAML" in _problems("name: x\nnodes: a: b\n")


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(TopologyError, match="no such file, and not a shipped topology"):
        load(str(tmp_path / "nope.yaml"))


def test_cluster_subnet_must_not_overlap_management() -> None:
    text = GOOD.replace("192.168.8.0/24", "10.254.0.0/16")
    assert "cluster.subnet: overlaps the lab's management network" in _problems(text)


def test_a_lab_named_with_another_topology_than_its_own_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(UmlLab, "recorded_topology", classmethod(lambda cls, name: "renamed"))
    with pytest.raises(ProviderError, match=r"lab 'rn' is up with the topology 'renamed', not 'drbd': "
                                            r"name it with --topology renamed"):
        UmlLab("drbd", "rn")
    assert UmlLab("renamed", "rn").topology.name == "renamed"
