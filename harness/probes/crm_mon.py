"""`crm_mon --output-as=xml` (the book's `clustat`): the nodes, where each resource runs, the fencing
history. The XML's root and its <nodes> and <resources> are checked; anything else is an error."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from harness.node import Node
from harness.probes.errors import ParseError

COMMAND = "crm_mon --one-shot --inactive --output-as=xml"


@dataclass(frozen=True)
class NodeState:
    name: str
    online: bool
    unclean: bool
    standby: bool


@dataclass(frozen=True)
class Resource:
    id: str
    agent: str
    role: str                  # Started, Stopped, ...
    nodes: tuple[str, ...]     # where it runs
    failed: bool
    group: str                 # "" when not in a group
    clone: str = ""            # the clone's id (dlm-clone) when it is one, its instances' nodes merged
    promoted: tuple[str, ...] = ()   # a promotable clone's nodes where an instance is Promoted


@dataclass(frozen=True)
class FenceEvent:
    action: str
    target: str
    status: str      # success, failed, pending
    by: str          # the delegate (the node that fenced)
    completed: str = ""   # when it ended, as crm_mon prints it (UTC); "" while pending


@dataclass(frozen=True)
class Failure:
    """A failed resource action crm_mon lists (until `pcs resource cleanup` forgets it)."""

    op: str          # the operation's key: fence_node1_monitor_60000
    node: str
    reason: str      # its exit reason, else its status

    def __str__(self) -> str:
        return f"{self.op} on {self.node}: {self.reason}"


@dataclass(frozen=True)
class ClusterStatus:
    quorum: bool
    stonith_enabled: bool
    nodes: dict[str, NodeState]
    resources: dict[str, Resource]
    fencing: tuple[FenceEvent, ...]
    failures: tuple[Failure, ...] = ()

    def online(self, names: Sequence[str]) -> list[str]:
        """Those of the named members crm_mon shows online, in the order given."""
        return [n for n in names if n in self.nodes and self.nodes[n].online]

    def group_nodes(self, group: str) -> set[str]:
        """The nodes where some member of the group runs."""
        return {n for r in self.resources.values() if r.group == group for n in r.nodes}

    def group_on(self, group: str) -> str | None:
        """The node where every member of the group is started, if there is one."""
        members = [r for r in self.resources.values() if r.group == group]
        where = {r.nodes for r in members if r.role == "Started"}
        if members and len(where) == 1 and all(r.role == "Started" for r in members):
            (nodes,) = where
            return nodes[0] if len(nodes) == 1 else None
        return None


def _resource(el: ET.Element, group: str) -> Resource:
    return Resource(el.get("id", ""), el.get("resource_agent", ""), el.get("role", ""),
                    tuple(n.get("name", "") for n in el.findall("node")), el.get("failed") == "true", group)


PROMOTED_ROLES = ("Promoted", "Master")     # pacemaker 2.1's word, and the one before it


def _clone(clone_id: str, instances: list[Resource]) -> Resource:
    """A clone's instances as one resource: started where any instance is, failed if one is."""
    roles = {r.role for r in instances}
    role = "Started" if "Started" in roles else sorted(roles)[0]
    nodes = tuple(n for r in instances for n in r.nodes)
    promoted = tuple(n for r in instances if r.role in PROMOTED_ROLES for n in r.nodes)
    return Resource(instances[0].id, instances[0].agent, role, nodes, any(r.failed for r in instances), "",
                    clone_id, promoted)


def parse(text: str) -> ClusterStatus:
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        raise ParseError("crm_mon XML", "<pacemaker-result>", text) from None
    nodes_el, dc = root.find("nodes"), root.find("summary/current_dc")
    if root.tag != "pacemaker-result" or nodes_el is None:
        raise ParseError("crm_mon XML", "<pacemaker-result> with <nodes>", text)
    nodes = {n.get("name", ""): NodeState(n.get("name", ""), n.get("online") == "true",
                                          n.get("unclean") == "true", n.get("standby") == "true")
             for n in nodes_el.findall("node")}
    resources: dict[str, Resource] = {}
    for el in root.findall("resources/resource"):
        resources[el.get("id", "")] = _resource(el, "")
    for grp in root.findall("resources/group"):
        for el in grp.findall("resource"):
            resources[el.get("id", "")] = _resource(el, grp.get("id", ""))
    for clone in root.findall("resources/clone"):
        instances = [_resource(el, "") for el in clone.findall("resource")]
        if instances:
            resources[instances[0].id] = _clone(clone.get("id", ""), instances)
    fencing = tuple(FenceEvent(f.get("action", ""), f.get("target", ""), f.get("status", ""),
                               f.get("delegate", ""), f.get("completed", ""))
                    for f in root.iter("fence_event"))
    failures = tuple(Failure(f.get("op_key", ""), f.get("node", ""),
                             f.get("exitreason") or f.get("status") or "")
                     for f in root.findall("failures/failure"))
    quorum = dc is not None and dc.get("with_quorum") == "true"
    options = root.find("summary/cluster_options")
    stonith = options is not None and options.get("stonith-enabled") == "true"
    return ClusterStatus(quorum, stonith, nodes, resources, fencing, failures)


def text(node: Node, timeout: float = 30) -> str:
    """crm_mon's XML as the node prints it."""
    return node.run(COMMAND, timeout=timeout).stdout


def read(node: Node, timeout: float = 30) -> ClusterStatus:
    return parse(text(node, timeout))
