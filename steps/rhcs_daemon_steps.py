"""Steps of features/rhcs where a daemon of the cluster stack dies on a member (daemon_killed.feature):
pacemakerd starts a subdaemon of its own again; corosync has no such watcher and its member is fenced
(the Then steps of that case are the power cut's); the controller's kill ends either way, whichever comes
first: its respawn, or the fence the cluster's scheduler orders for a member whose controller is gone.
The members' pacemaker logs, their fence devices' records, the process table and crm_mon are the
evidence."""

from __future__ import annotations

import time

from pytest_bdd import then, when

from harness.clusters.base import ServiceCluster
from harness.clusters.fencing import took_down
from harness.clusters.pacemaker import PacemakerCluster
from harness.lab.faults import Faults
from harness.ops import pacemaker as pm
from harness.probes import host, pcmk_log
from harness.report import attachments
from harness.scenario import Scenario, need
from harness.waiting import eventually
from harness.workloads.watch import Watch, observe, writes_resumed

from . import book
from .rhcs_common import (
    fault_begins,
    fenced_then_mounted,
    log_says_fenced,
    record_fault,
    service_actions,
    service_runs_on,
)
from .service_steps import rows_kept

RESPAWN_TIMEOUT_S = 60.0      # pacemakerd checks its children every few seconds; a loaded machine
CLEANUP_TIMEOUT_S = 60.0
OUTCOME_TIMEOUT_S = 180.0     # a fence, a reboot's worth of takeover, or the member back and serving
SETTLE_S = 10.0               # once the member is back: a fence its absence ordered comes within seconds
RESPAWNED, FENCED = "respawned", "fenced"


@when(book.parse("the cluster daemon {daemon} on {name} is killed with {signal} while the canary writes"))
def _(pcmk: PacemakerCluster, daemon: str, name: str, signal: str, faults: Faults,
      scenario: Scenario) -> None:
    fault_begins(pcmk, scenario, f"kill_{daemon.replace('-', '_')}", name)
    scenario.daemon, scenario.signal = daemon, signal
    scenario.fault_at = time.monotonic()
    pm.kill_daemon(pcmk.node(name), daemon, signal)


def _respawn(pcmk: PacemakerCluster, name: str, daemon: str, scenario: Scenario,
             year: int) -> tuple[str, pcmk_log.Event | None, pcmk_log.Event | None]:
    """name's pacemaker log since the cursor taken just before the kill (which bounds it), and pacemakerd's
    word in it that the daemon exited and that it started it again."""
    text = pcmk.log_since(name, scenario.log_cursors[name])
    events = pcmk_log.events(text, year)
    return text, pcmk_log.first(events, "exited", daemon), pcmk_log.first(events, "respawned", daemon)


@then(book.parse("pacemakerd on {name} started {daemon} again, as {again}'s pacemaker log and its "
                 "process table show"))
def _(pcmk: PacemakerCluster, name: str, daemon: str, again: str, scenario: Scenario) -> None:
    assert again == name, f"the step names {name} and {again}"
    _started_again(pcmk, name, daemon, scenario)


def _started_again(pcmk: PacemakerCluster, name: str, daemon: str, scenario: Scenario,
                   attach: bool = True) -> None:
    """pacemakerd's word in name's log that it started the daemon again (the time goes to the phases),
    and the daemon running once, pacemakerd's child; the log attached unless the caller attaches it."""
    origin = pcmk.on_clock(name, need(scenario.fault_at, "the kill's time"))    # an estimate: the figure's
    text, exited, respawned = eventually(
        lambda: _respawn(pcmk, name, daemon, scenario, origin.year), lambda got: got[2] is not None,
        timeout=RESPAWN_TIMEOUT_S, interval=1.0, describe=f"pacemakerd's respawn of {daemon} in {name}'s log")
    if attach:
        attachments.attach_text(f"pacemaker.log of {name} from the kill on", text)
    node = pcmk.node(name)
    running, parents = host.pids(node, daemon), host.pids(node, pm.PACEMAKERD)
    parent = host.parent_pid(node, running[0]) if len(running) == 1 else None
    attachments.parameter(f"{daemon} on {name}", f"PID {running}, parent {parent} (pacemakerd: {parents})")
    scenario.phases["respawned"] = round((need(respawned, "the respawn").at - origin).total_seconds(), 2)
    assert exited is not None, f"{name}'s log does not say that {daemon} was killed"
    assert len(running) == 1 and parent in parents, \
        f"{daemon} runs as {running} on {name}, parent {parent}, not once under pacemakerd {parents}"


# -- the controller: started again, or its member fenced first -----------------------------------------
def _fenced(pcmk: PacemakerCluster, victim: str, survivor: str, scenario: Scenario) -> bool:
    """Whether the survivor's pacemaker log or the victim's fence device says it was fenced since the kill."""
    acted = pcmk.fencing.since(need(scenario.fence_mark, "the fence records before the kill"))[victim]
    return bool(acted) or log_says_fenced(pcmk, survivor, victim, scenario)


def _back(pcmk: PacemakerCluster, name: str, daemon: str, survivor: str, scenario: Scenario,
          year: int) -> bool:
    """Whether pacemakerd logged the daemon's respawn on name, and the survivor sees name online, clean
    and serving again."""
    if _respawn(pcmk, name, daemon, scenario, year)[2] is None:
        return False
    st = pcmk.status(via=survivor)
    seen = st.nodes.get(name)
    return seen is not None and seen.online and not seen.unclean and st.group_on(pcmk.mysql.name) == name


def _outcome(pcmk: PacemakerCluster, name: str, daemon: str, survivor: str, scenario: Scenario) -> str:
    """fenced or respawned, whichever the cluster did; a member back after the respawn is watched a
    while longer, a fence its controller's absence ordered coming within seconds."""
    year = pcmk.on_clock(survivor, need(scenario.fault_at, "the kill's time")).year

    def seen() -> str | None:
        if _fenced(pcmk, name, survivor, scenario):
            return FENCED
        return RESPAWNED if _back(pcmk, name, daemon, survivor, scenario, year) else None
    outcome = eventually(seen, lambda got: got is not None, timeout=OUTCOME_TIMEOUT_S, interval=1.0,
                         describe=f"{name} fenced, or {daemon} started again and {name} serving")
    if outcome == RESPAWNED:
        observe(SETTLE_S)
        if _fenced(pcmk, name, survivor, scenario):
            return FENCED
    return str(outcome)


@then(book.parse("pacemakerd on {name} started {daemon} again and nothing was fenced, or {survivor} "
                 "fenced {again} and only then mounted /data: either way one node serves, as the "
                 "pacemaker logs and the fence devices' records show"))
def _(pcmk: PacemakerCluster, name: str, daemon: str, survivor: str, again: str, scenario: Scenario) -> None:
    assert again == name, f"the step names {name} and {again}"
    outcome = _outcome(pcmk, name, daemon, survivor, scenario)
    attachments.parameter("what the cluster did", outcome)
    scenario.left_on, scenario.outcome = (name, RESPAWNED) if outcome == RESPAWNED else (survivor, FENCED)
    if outcome == FENCED:
        pcmk.mysql.await_on(survivor)
        fenced_then_mounted(pcmk, survivor, name, scenario)
    mark = need(scenario.fence_mark, "the fence records before the kill")
    logged = pcmk.fencing.since(mark)          # once the takeover is done: a fence no longer pending
    attachments.parameter(f"the fence devices since the kill ({mark.source})", logged)
    if outcome == RESPAWNED:
        _started_again(pcmk, name, daemon, scenario, attach=False)   # service_actions attaches it
        acted = service_actions(pcmk, (name, survivor), scenario)
        assert not any(logged.values()), f"a fence device acted: {logged}"
        assert not acted, f"the cluster acted on mysql_service: {acted}"
        return
    assert took_down(mark, logged[name]), f"{name}'s fence device did not take it down: {logged[name]}"
    assert not logged[survivor], f"{survivor}'s fence device acted: {logged[survivor]}"


@then("mysql_service runs where the cluster left it: /data mounted, the VIP up and mysqld running")
def _(pcmk: PacemakerCluster, scenario: Scenario) -> None:
    service_runs_on(pcmk, need(scenario.left_on or None, "the node left serving"), scenario)


@then("every row the canary saw acknowledged is in MariaDB where the cluster left it")
def _(service: ServiceCluster, watch: Watch, scenario: Scenario) -> None:
    rows_kept(service, need(scenario.left_on or None, "the node left serving"), watch, scenario)


@then("the kill is recorded with what the cluster did, its outage and its phases")
def _(pcmk: PacemakerCluster, watch: Watch, scenario: Scenario) -> None:
    acks = need(scenario.acks, "the writer's acknowledgements")
    at = need(scenario.fault_at, "the kill's time")
    found = dict(scenario.phases)
    if scenario.outcome == FENCED:
        victim = need(scenario.master, "the node the kill struck")
        origin = need(scenario.origin, "the kill's time on the survivor's clock")
        found.update(pcmk_log.phases(scenario.events, origin, victim, pm.SERVICE_PHASES))
    resumed = writes_resumed(acks, at)
    if resumed is not None:
        found["writes_resumed"] = round(resumed, 2)
    attachments.parameter("phases (s after the kill)", found)
    record_fault(scenario, watch, need(scenario.fault, "the fault"), acks.outage_s(at), found,
                 recovered_by="pacemakerd" if scenario.outcome == RESPAWNED else "fencing",
                 survivor=scenario.left_on, fence_before_mount=scenario.fence_before_mount)


@then(book.parse("the failed actions the kill left are cleaned up with pcs resource cleanup"))
def _(pcmk: PacemakerCluster, scenario: Scenario) -> None:
    name = need(scenario.master, "the node the kill struck")
    left = pcmk.status().failures
    attachments.parameter("failed actions after the kill", [str(f) for f in left] or "none")
    if left:
        pm.cleanup(pcmk.node(name))
    eventually(lambda: pcmk.status().failures, lambda failures: not failures, timeout=CLEANUP_TIMEOUT_S,
               interval=2.0, describe="no failed action left after pcs resource cleanup")
