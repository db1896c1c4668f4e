"""What the steps of features/rhcs and verify's Pacemaker checks share: the survivor's pacemaker log of a
fenced takeover; a member to read the cluster through; verify's fencing check."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from harness.clusters.pacemaker import PacemakerCluster, PacemakerStack
from harness.node import Result
from harness.ops import pacemaker as pm
from harness.probes import pcmk_config, pcmk_log, service_state
from harness.probes.crm_mon import ClusterStatus
from harness.report import attachments
from harness.scenario import Scenario, need
from harness.verdicts import history, measurements
from harness.verdicts import pacemaker_checks as checks
from harness.verdicts.measurements import Measurement
from harness.workloads.invariants import UNKNOWN
from harness.workloads.watch import Watch, writes_resumed


def takeover(pcmk: PacemakerCluster, survivor: str, scenario: Scenario) -> list[pcmk_log.Event]:
    """The survivor's pacemaker log since the fault (attached to the report); its events and the fault's
    time on the survivor's clock go to the scenario."""
    at = need(scenario.fault_at, "the fault's time")
    text, events, origin = pcmk.takeover_log(survivor, scenario.log_cursors[survivor], at)
    attachments.attach_text(f"pacemaker.log of {survivor} from the fault on", text)
    scenario.events, scenario.origin = events, origin
    return events


def reader(pcmk: PacemakerStack, besides: str = "", st: ClusterStatus | None = None) -> str:
    """A member online in the cluster (by st, else by a fresh crm_mon), to read its configuration through
    (another than `besides` if one is: a node's fence devices are registered on the nodes that would fence
    it, never on itself)."""
    st = st or pcmk.status()
    online = st.online(pcmk.names)
    if not online:
        raise AssertionError(f"no member of {', '.join(pcmk.names)} is online: none to read it through")
    return next((n for n in online if n != besides), online[0])


def fencing_problems(pcmk: PacemakerStack) -> list[str]:
    """Every member online, and a started fence device for each whose agent answers its monitor (run on
    the node the device is started on); what is wrong, one a line."""
    st = pcmk.status()
    devices_for = {m: pcmk_config.devices_for(pcmk.node(reader(pcmk, m, st)), m) for m in pcmk.names}
    primitives = pcmk_config.resources(pcmk.node(reader(pcmk, st=st)))
    answers: dict[str, Result] = {}
    for device in sorted({d for found in devices_for.values() for d in found}):
        res = st.resources.get(device)
        if res is not None and res.nodes and device in primitives:
            answers[device] = pcmk_config.agent_answers(pcmk.node(res.nodes[0]), primitives[device])
    attachments.parameter("fence devices", ", ".join(f"{m}: {'/'.join(d) or 'none'}"
                                                     for m, d in devices_for.items()))
    return checks.members_online(st, pcmk.names) + checks.fencing(st, devices_for, answers)


def fault_begins(pcmk: PacemakerCluster, scenario: Scenario, fault: str, name: str) -> None:
    """Before a fault on a member: its name, the member, where each running member's pacemaker.log and
    each fence device's record stand (what the fault's Then steps read from); the twin of the Heartbeat
    steps' own."""
    scenario.fault, scenario.master, scenario.log_cursors = fault, name, pcmk.log_cursors()
    scenario.fence_mark = pcmk.fencing.mark()


def record_fault(scenario: Scenario, watch: Watch, fault: str, rto: float | None, phases: dict[str, float],
            **more: Any) -> None:
    """The fault's figures to measurements.jsonl: acknowledged and lost rows, outage, phases, the
    invariant monitor's findings, and what else the scenario measured."""
    acks, findings = scenario.acks, watch.stop_monitor()
    measurements.record(Measurement(
        scenario.name, scenario.stack or "pacemaker", fault, acked=len(acks.numbers) if acks else 0,
        lost=len(scenario.lost), rto_s=round(rto, 2) if rto is not None else None, phases=phases,
        violations=len(findings.episodes), coverage=findings.coverage, **history.figures(scenario.verdict),
        **more))


def held_by(timeline: list[tuple[float, dict[str, str]]], name: str) -> list[str]:
    """Each state of the monitor's timeline in which name held part of the service; the monitor must have
    known name's state at least once (what a node never read held is unknown, not nothing)."""
    seen = [held[name] for _, held in timeline if held.get(name, UNKNOWN) != UNKNOWN]
    assert seen, f"the invariant monitor never read {name}: what it held is unknown"
    return [s for s in seen if any(w in s for w in ("mounted", "VIP", "mysqld"))]


def fault_phases(pcmk: PacemakerCluster, name: str, scenario: Scenario, peer: str,
                 resources: dict[str, str]) -> tuple[dict[str, float], list[pcmk_log.Event], datetime]:
    """The phases in name's pacemaker log since the fault (the log attached), with when the writes
    resumed; its events and the fault's time on name's clock."""
    at = need(scenario.fault_at, "the fault's time")
    text, events, origin = pcmk.takeover_log(name, scenario.log_cursors[name], at)
    attachments.attach_text(f"pacemaker.log of {name} from the fault on", text)
    found = pcmk_log.phases(events, origin, peer, resources)
    resumed = writes_resumed(need(scenario.acks, "the writer's acknowledgements"), at)
    if resumed is not None:
        found["writes_resumed"] = round(resumed, 2)
    return found, events, origin


def log_says_fenced(pcmk: PacemakerCluster, reader: str, victim: str, scenario: Scenario) -> bool:
    """Whether the reader's pacemaker log since the fault says the victim was fenced."""
    text = pcmk.log_since(reader, scenario.log_cursors[reader])
    return pcmk_log.first(pcmk_log.events(text, 2000), "fenced", victim) is not None


def service_actions(pcmk: PacemakerCluster, names: tuple[str, ...], scenario: Scenario) -> list[str]:
    """Each start or stop of a part of the service in the members' pacemaker logs since the fault (the
    logs attached), one a line: what the cluster did to the service."""
    service, acted = set(pm.SERVICE_RESOURCES), []
    for name in names:
        text = pcmk.log_since(name, scenario.log_cursors[name])
        attachments.attach_text(f"pacemaker.log of {name} from the fault on", text)
        acted += [f"{name}: {e.what} {e.subject} at {e.at.time()}" for e in pcmk_log.events(text, 2000)
                  if e.what in ("start asked", "stop asked") and e.subject in service]
    return acted


def fenced_then_mounted(pcmk: PacemakerCluster, survivor: str, victim: str, scenario: Scenario) -> None:
    """The survivor's pacemaker log shows the victim fenced, then the mount of /data asked: the fence's
    order goes to the scenario (the book's claim is judged by it); fails where the log shows otherwise."""
    events = takeover(pcmk, survivor, scenario)
    fenced = pcmk_log.first(events, "fenced", victim)
    mount = pcmk_log.first(events, "start asked", "data_fs")
    attachments.parameter("fenced at / mount asked at (node's clock)", f"{fenced and fenced.at} / "
                                                                     f"{mount and mount.at}")
    scenario.fence_before_mount = pcmk_log.fenced_before_mount(events, victim, "data_fs")
    scenario.fence_evidence = (f"{survivor}'s pacemaker log: {victim} fenced at "
                               f"{fenced.at.time() if fenced else 'never'}, the mount of /data asked at "
                               f"{mount.at.time() if mount else 'never'} (the node's clock)")
    assert fenced is not None, f"{survivor}'s log shows no fencing of {victim}"
    assert mount is not None, f"{survivor}'s log shows no start of data_fs"
    assert scenario.fence_before_mount, f"/data was mounted at {mount.at}, before {victim} was fenced " \
                                        f"at {fenced.at}"


def service_runs_on(pcmk: PacemakerCluster, name: str, scenario: Scenario) -> None:
    """The service's group started on the member, and testinfra finding there /data mounted, the VIP up
    and mysqld running (the first time it is seen up goes to the scenario)."""
    pcmk.mysql.await_on(name)
    if scenario.service_up_at is None:
        scenario.service_up_at = time.monotonic()
    attachments.parameter(f"{name} holds", pcmk.mysql.holdings(name).summary())
    missing = service_state.missing(pcmk.node(name), pcmk.mysql.vip, pcmk.mysql.mountpoint,
                                     pcmk.mysql.site.interface)
    assert not missing, f"testinfra does not find on {name}: {', '.join(missing)}"
