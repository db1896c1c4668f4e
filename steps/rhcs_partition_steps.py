"""Steps of features/rhcs/partition.feature: corosync's link cut with both members up, a fence race one
member must win, and the fenced member's return while the link is still cut (wait_for_all)."""

from __future__ import annotations

import time

import pytest
from pytest_bdd import given, then, when

from harness.clusters.fencing import took_down
from harness.clusters.pacemaker import PacemakerCluster
from harness.lab.faults import Faults
from harness.ops import pacemaker as pm
from harness.probes import host, quorum
from harness.probes.crm_mon import FenceEvent
from harness.report import attachments
from harness.scenario import Scenario, need
from harness.waiting import eventually
from harness.workloads.watch import Watch, observe

from . import book
from .rhcs_common import fault_phases, held_by, log_says_fenced, record_fault

FENCED_TIMEOUT_S = 180.0     # the peer's loss (token + consensus), the fence and the node's boot


@given(book.parse("{name}'s fence device waits {seconds:d} s before it acts, so that {again} wins a fence "
                  "race"))
def _(pcmk: PacemakerCluster, name: str, seconds: int, again: str, request: pytest.FixtureRequest) -> None:
    assert again == name, f"the step names {name} and {again}"
    request.addfinalizer(lambda: _no_delay(pcmk, name))   # also when the scenario fails
    pm.set_fence_delay(pcmk.node(pcmk.preferred), name, seconds)


def _no_delay(pcmk: PacemakerCluster, name: str) -> None:
    """The delay removed through the first member that takes the command (a lost fence race may leave
    one off, or booting without its cluster)."""
    refused = []
    for member in (n for n in pcmk.names if n not in pcmk.lab.powered_off()):
        try:
            pm.set_fence_delay(pcmk.node(member), name, 0)
            return
        except Exception as exc:  # a command refused, or a connection lost to a node still booting
            refused.append(f"{member}: {type(exc).__name__}: {str(exc)[:200]}")
    raise AssertionError(f"{name}'s fence delay could not be removed: {'; '.join(refused) or 'no member up'}")


@when(book.parse("corosync's traffic between {name} and {other} is dropped on {again}, both nodes up"))
def _(pcmk: PacemakerCluster, name: str, other: str, again: str, faults: Faults, scenario: Scenario) -> None:
    assert again == name, f"the step names {name} and {again}"
    scenario.fault, scenario.master, scenario.log_cursors = "cut_cluster_link", name, pcmk.log_cursors()
    scenario.survivor_boot = host.boot_id(pcmk.node(name))     # this member must not be fenced
    scenario.fence_mark = pcmk.fencing.mark()
    scenario.victim = other
    scenario.fencing_before = pcmk.status().fencing
    scenario.fault_at = faults.drop_port(name, pcmk.mysql.site.interface, pm.COROSYNC_PORT)


def _fence_outcome(pcmk: PacemakerCluster, name: str, victim: str,
                   scenario: Scenario) -> tuple[list[str], bool]:
    """name's fence device's record since the cut, and whether either fencing has happened: name's own
    (its power taken) or the victim's (name's pacemaker log says so)."""
    mark = need(scenario.fence_mark, "the fence records before the cut")
    record = pcmk.fencing.since(mark)[name]
    return record, took_down(mark, record) or log_says_fenced(pcmk, name, victim, scenario)


@then(book.parse("{name} fences {victim}, and {again} itself is never fenced"))
def _(pcmk: PacemakerCluster, name: str, victim: str, again: str, scenario: Scenario) -> None:
    assert again == name, f"the step names {name} and {again}"
    record, _ = eventually(lambda: _fence_outcome(pcmk, name, victim, scenario), lambda got: got[1],
                        timeout=FENCED_TIMEOUT_S, interval=2.0,
                        describe=f"{name}'s log saying {victim} was fenced, or {name} fenced")
    mark = need(scenario.fence_mark, "the fence records before the cut")
    attachments.attach_text(f"{name}'s fence device from the cut on ({mark.source})", "\n".join(record))
    assert not took_down(mark, record), f"{name} was fenced: {record}"
    text = pcmk.log_since(name, scenario.log_cursors[name])
    attachments.attach_text(f"pacemaker.log of {name} from the cut on", text)
    booted = host.boot_id_afresh(pcmk.node(name))
    assert booted == scenario.survivor_boot, \
        f"{name} booted again: boot ID {booted}, not {scenario.survivor_boot}"


@when(book.parse("{name}, back from the fence, starts its cluster while the link is still cut"))
def _(pcmk: PacemakerCluster, name: str, scenario: Scenario) -> None:
    scenario.rejoin_at = time.monotonic()
    pcmk.rejoin_alone(name)


def _took(pcmk: PacemakerCluster, name: str, known: tuple[FenceEvent, ...]) -> list[str]:
    """What the lone member did that it must not: quorum, a resource started, a fencing (not known
    before the cut) asked."""
    said = quorum.read(pcmk.node(name))
    st = pcmk.status(via=name)
    started = sorted(r.id for r in st.resources.values() if name in r.nodes and not r.id.startswith("fence"))
    asked = [f"{e.action} of {e.target}" for e in st.fencing if e.by == name and e not in known]
    return ([f"quorate ({' '.join(said.flags)})"] if said.quorate else []) + \
        [f"started {r}" for r in started] + [f"fenced: {a}" for a in asked]


@then(book.parse("for {seconds:d} seconds {name} waits for its peer: no quorum, no resource started, no "
                 "fencing"))
def _(pcmk: PacemakerCluster, seconds: int, name: str, scenario: Scenario) -> None:
    flags = eventually(lambda: quorum.read(pcmk.node(name)).flags, lambda f: "WaitForAll" in f, timeout=60,
                       interval=1.0, describe=f"{name}'s votequorum waiting for all")
    attachments.parameter(f"{name}'s votequorum flags", " ".join(flags))
    eventually(lambda: pcmk.status(via=name), lambda st: name in st.nodes, timeout=60, interval=2.0,
               describe=f"crm_mon on {name} answering (its pacemaker connected to its CIB)")
    deadline, seen, reads = time.monotonic() + seconds, list[str](), 0
    while time.monotonic() < deadline and not seen:
        seen, reads = _took(pcmk, name, scenario.fencing_before), reads + 1
        observe(2)
    attachments.parameter(f"reads of {name} alone", reads)
    assert not seen, f"{name}, alone, did: {seen}"
    assert reads >= seconds // 5, f"{name} was read {reads} times in {seconds} s: what it did is unknown"


@when("corosync's traffic is let through again")
def _(pcmk: PacemakerCluster, faults: Faults, scenario: Scenario) -> None:
    scenario.restored_at = faults.pass_port(need(scenario.master, "the node the cut was made on"),
                                            pcmk.mysql.site.interface, pm.COROSYNC_PORT)


@then(book.parse("mysql_service is still on {name} and {other} never held any of it"))
def _(pcmk: PacemakerCluster, name: str, other: str, watch: Watch) -> None:
    assert pcmk.status().group_on(pcmk.mysql.name) == name, f"mysql_service is not whole on {name}"
    took = held_by(watch.timeline(), other)
    assert not took, f"{other} held {took[0]}"


@then(book.parse("the partition is recorded with its outage and the phases from {name}'s pacemaker log"))
def _(pcmk: PacemakerCluster, name: str, watch: Watch, scenario: Scenario) -> None:
    acks = need(scenario.acks, "the writer's acknowledgements")
    at = need(scenario.fault_at, "the fault's time")
    found, _, _ = fault_phases(pcmk, name, scenario, scenario.victim, {})
    for mark, when_ in (("rejoin_started", scenario.rejoin_at), ("link_back", scenario.restored_at)):
        if when_ is not None:
            found[mark] = round(when_ - at, 2)
    attachments.parameter("phases (s after the cut)", found)
    record_fault(scenario, watch, "cut_cluster_link", acks.outage_s(at), found, survivor=name)
    assert "fenced" in found, f"{name}'s log shows no fencing of {scenario.victim}: {found}"


@then(book.parse("{name}'s fence device acts at once again"))
def _(pcmk: PacemakerCluster, name: str) -> None:
    _no_delay(pcmk, name)
