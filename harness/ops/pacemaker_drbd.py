"""Book 7.2 on pacemaker: the DRBD resource as a promotable clone (ocf:linbit:drbd, Promoted on one node),
the book's group (filesystem, VIP, MariaDB) on the Promoted node only, started after the promotion."""

from __future__ import annotations

from shlex import quote as q

from harness import kinds
from harness.node import Node, Result
from harness.ops import pacemaker as pm

DRBD_PRIMITIVE = "drbd_data"
DRBD_CLONE = f"{DRBD_PRIMITIVE}-clone"
CIB_FILE = "/root/hadrill-drbd-service.cib"   # the configuration made offline, pushed at once
# crm-fence-peer.sh's constraint while a peer is fenced off: no Promoted role but on the node that set it
FENCE_CONSTRAINT_PREFIX = "drbd-fence-by-handler-"


@kinds.change
def create_service(node: Node, svc: pm.Service, drbd_resource: str) -> Result:
    """The clone, the group and their constraints written to a copy of the CIB and pushed in one go, so
    pacemaker never sees the group without the rule that puts it after DRBD's promotion."""
    pcs = f"pcs -f {q(CIB_FILE)}"
    node.run(f"pcs cluster cib {q(CIB_FILE)}")
    node.run(f"{pcs} resource create {DRBD_PRIMITIVE} ocf:linbit:drbd drbd_resource={q(drbd_resource)} "
             "op monitor interval=29s role=Promoted op monitor interval=31s role=Unpromoted "
             "promotable promoted-max=1 promoted-node-max=1 clone-max=2 clone-node-max=1 notify=true")
    pm.create_service(node, svc, pcs)
    node.run(f"{pcs} constraint colocation add {q(svc.name)} with Promoted {DRBD_CLONE} INFINITY")
    node.run(f"{pcs} constraint order promote {DRBD_CLONE} then start {q(svc.name)}")
    return node.run(f"pcs cluster cib-push {q(CIB_FILE)} --config && rm -f {q(CIB_FILE)}", timeout=120)


@kinds.change
def lift_fence_constraint(node: Node, constraint_id: str) -> Result:
    """A constraint crm-fence-peer.sh placed, removed as crm-unfence-peer.sh would after a resync."""
    if not constraint_id.startswith(FENCE_CONSTRAINT_PREFIX):
        raise ValueError(f"{constraint_id!r} is not a constraint DRBD's fence-peer handler placed")
    return node.run(f"pcs constraint delete {q(constraint_id)}")
