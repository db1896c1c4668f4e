"""Steps of features/drbd_pacemaker under faults: DRBD's replication link cut while pacemaker's stays up
(the peer fenced off at the resource level), a node back from its fence rejoining."""

from __future__ import annotations

import time

from pytest_bdd import then, when

from harness.clusters.drbd_pacemaker import DrbdPacemakerCluster
from harness.lab.faults import Faults
from harness.ops import drbd as drbd_ops
from harness.ops import pacemaker as pm
from harness.ops import pacemaker_drbd as pd
from harness.probes import drbd_log, host, pcmk_config
from harness.report import attachments
from harness.scenario import Scenario, need, need_capability
from harness.waiting import eventually
from harness.workloads.watch import Watch

from . import book
from .drbd_common import WHOLE, caught_up, goes_on_alone, port_passes_after, record_replica_lost
from .drbd_pacemaker_steps import STACK
from .rhcs_common import fault_phases, record_fault

# DRBD's kernel line when its fence-peer handler says the peer can no longer be promoted
PEER_FENCED = "fence-peer helper returned 4"
REFUSED = "Refusing to be Primary while peer is not outdated"
UNFENCE_WITHIN_S = 60.0


@when(book.parse("DRBD's port is dropped on {name} while the canary writes, pacemaker's link up"))
def _(drbd_pcmk: DrbdPacemakerCluster, name: str, faults: Faults, scenario: Scenario) -> None:
    scenario.fault, scenario.master, scenario.log_cursors = "drop_replication", name, drbd_pcmk.log_cursors()
    scenario.log_marks = drbd_pcmk.pair.mark_logs("replication dropped")
    scenario.fault_at = faults.drop_port(name, drbd_pcmk.pair.site.interface, drbd_pcmk.pair.res.port)


@then(book.parse("{name} goes on alone, its peer Outdated by the fence-peer handler: WFConnection, "
                 "Primary, UpToDate/Outdated, the canary's rows acknowledged again"))
def _(drbd_pcmk: DrbdPacemakerCluster, name: str, watch: Watch, scenario: Scenario) -> None:
    goes_on_alone(drbd_pcmk.pair, name, "cs:WFConnection ro:Primary/Unknown ds:UpToDate/Outdated", watch,
                  scenario)
    said = drbd_log.since(drbd_pcmk.node(name), scenario.log_marks[name])
    attachments.attach_text(f"DRBD's kernel log on {name} from the cut on", "\n".join(said.lines))
    assert any(PEER_FENCED in line for line in said.lines), f"{name}'s DRBD log has no {PEER_FENCED!r}"


@then(book.parse("the cluster leaves the Promoted role to {name} only: crm-fence-peer.sh's constraint"))
def _(drbd_pcmk: DrbdPacemakerCluster, name: str) -> None:
    found = pcmk_config.promoted_only_on(drbd_pcmk.node(name))
    attachments.parameter("Promoted only on", [f"{c.id}: {c.resource} on {c.node}" for c in found])
    assert [(c.resource, c.node) for c in found] == [(pd.DRBD_CLONE, name)], f"found {found}"


@then(book.parse("{other} stays Unpromoted and pacemaker moves nothing: the group on {name} only"))
def _(drbd_pcmk: DrbdPacemakerCluster, other: str, name: str) -> None:
    svc, st = drbd_pcmk.mysql, drbd_pcmk.status()
    assert svc.promoted(st) == (name,), f"DRBD is Promoted on {svc.promoted(st) or 'no node'}"
    assert st.group_on(svc.name) == name, f"{svc.name} is not on {name} alone"
    held = svc.holdings(other)
    assert not (held.vip or held.mounted or held.mysqld) and held.role == "Secondary", f"{other} holds " \
                                                                                        f"{held.summary()}"


@then(book.parse("promoting DRBD on {other} by hand is refused: its peer is not outdated"))
def _(drbd_pcmk: DrbdPacemakerCluster, other: str) -> None:
    node, res = drbd_pcmk.node(other), drbd_pcmk.pair.res
    tried = drbd_ops.try_promote(node, res)
    attachments.parameter(f"drbdadm primary on {other}", f"exit {tried.exit_code}: "
                                                         f"{(tried.stdout + tried.stderr).strip()}")
    if tried.ok:
        drbd_ops.demote(node, res)
        raise AssertionError(f"DRBD on {other} became Primary while cut off from its peer: two Primaries")
    assert REFUSED in tried.stdout + tried.stderr, f"refused for another reason: {tried.stderr.strip()}"


@when(book.parse("DRBD's port on {name} passes again after {seconds:d} seconds"))
def _(drbd_pcmk: DrbdPacemakerCluster, name: str, seconds: int, faults: Faults, scenario: Scenario) -> None:
    port_passes_after(faults, drbd_pcmk.pair, name, seconds, scenario)


@then(book.parse("{other} resyncs from {name} and crm-unfence-peer.sh lifts the constraint: Connected, "
                 "UpToDate/UpToDate, oos:0"))
def _(drbd_pcmk: DrbdPacemakerCluster, other: str, name: str, scenario: Scenario) -> None:
    caught_up(drbd_pcmk.pair, name, scenario)
    _constraint_lifted(drbd_pcmk, name, other)


def _constraint_lifted(drbd_pcmk: DrbdPacemakerCluster, via: str, resynced: str) -> None:
    """crm-fence-peer.sh's constraint gone (read through `via`), as crm-unfence-peer.sh leaves it once the
    peer has resynced."""
    eventually(lambda: pcmk_config.promoted_only_on(drbd_pcmk.node(via)), lambda found: not found,
               timeout=UNFENCE_WITHIN_S, interval=1.0,
               describe=f"the constraint lifted once {resynced} resynced")


@then(book.parse("{name}, back from its fence, rejoins: DRBD resynced from {survivor}, the constraint "
                 "lifted"))
def _(drbd_pcmk: DrbdPacemakerCluster, name: str, survivor: str) -> None:
    drbd_pcmk.rejoin(name)
    drbd_pcmk.pair.await_state(survivor, WHOLE, timeout=120)
    _constraint_lifted(drbd_pcmk, survivor, name)


@then("the replication cut under pacemaker is recorded with its outage and the resync")
def _(watch: Watch, scenario: Scenario) -> None:
    record_replica_lost(scenario, watch, STACK)


# -- a planned switch-over ---------------------------------------------------------------------------
@when(book.parse("{name} is put in standby with pcs node standby (hb_standby's equivalent)"))
def _(drbd_pcmk: DrbdPacemakerCluster, name: str, scenario: Scenario) -> None:
    scenario.fault, scenario.master, scenario.log_cursors = "standby", name, drbd_pcmk.log_cursors()
    scenario.fault_at = time.monotonic()
    pm.standby(drbd_pcmk.node(name), name)


@then(book.parse("{other} holds the group: DRBD Promoted, /data mounted, the VIP up and mysqld running"))
def _(drbd_pcmk: DrbdPacemakerCluster, other: str) -> None:
    drbd_pcmk.mysql.await_on(other)
    assert drbd_pcmk.mysql.promoted() == (other,), f"DRBD is Promoted on {drbd_pcmk.mysql.promoted()}"
    attachments.parameter(f"{other} holds", drbd_pcmk.mysql.holdings(other).summary())


@then(book.parse("{name} holds none of the group, DRBD Unpromoted there"))
def _(drbd_pcmk: DrbdPacemakerCluster, name: str) -> None:
    held = drbd_pcmk.mysql.holdings(name)
    assert not (held.vip or held.mounted or held.mysqld) and held.role != "Primary", f"{name} holds " \
                                                                                      f"{held.summary()}"


@then(book.parse("the switch-over is recorded with its outage and the phases from {other}'s pacemaker "
                 "log"))
def _(drbd_pcmk: DrbdPacemakerCluster, other: str, watch: Watch, scenario: Scenario) -> None:
    acks = need(scenario.acks, "the writer's acknowledgements")
    found, _, _ = fault_phases(drbd_pcmk, other, scenario, "", pm.SERVICE_PHASES)   # type: ignore[arg-type]
    attachments.parameter("phases (s after the standby)", found)
    record_fault(scenario, watch, "standby", acks.outage_s(need(scenario.fault_at, "the standby's time")),
                 found, to=other)


@then(book.parse("{name} leaves standby, resyncs and the constraint is lifted; the group stays on "
                 "{other}"))
def _(drbd_pcmk: DrbdPacemakerCluster, name: str, other: str) -> None:
    pm.unstandby(drbd_pcmk.node(other), name)
    drbd_pcmk.pair.await_state(other, WHOLE, timeout=120)
    _constraint_lifted(drbd_pcmk, other, name)
    assert drbd_pcmk.status().group_on(drbd_pcmk.mysql.name) == other, "the group moved back"


# -- the cable pulled --------------------------------------------------------------------------------
@when(book.parse("{name}'s cluster cable is pulled under pacemaker while the canary writes"))
def _(drbd_pcmk: DrbdPacemakerCluster, name: str, faults: Faults, scenario: Scenario) -> None:
    need_capability(drbd_pcmk.lab, "cut_link", "pull a node's cluster cable")
    scenario.fault, scenario.master, scenario.log_cursors = "cut_link", name, drbd_pcmk.log_cursors()
    scenario.survivor_boot = host.boot_id(drbd_pcmk.node(drbd_pcmk.other(name)))   # it must not be fenced
    scenario.fence_mark = drbd_pcmk.fencing.mark()
    scenario.fault_at = faults.cut_link(name)
