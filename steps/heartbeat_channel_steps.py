"""Steps of Heartbeat's links under faults (issue 22, on the book's stack): second_channel.feature (a second
ucast channel beside the book's one, and the first one cut: scenario 11) and lossy_link.feature (packets
lost at random: scenario 10's lossy half). Heartbeat's link status (`cl_status hblinkstatus`), each node's
ha-log and the canary are the evidence."""

from __future__ import annotations

import time

from pytest_bdd import given, then, when

from harness.clusters.heartbeat import HeartbeatCluster
from harness.lab.faults import Faults
from harness.ops import heartbeat as hb
from harness.probes import halog, host
from harness.probes import heartbeat as hb_probe
from harness.report import attachments
from harness.scenario import Scenario, need
from harness.waiting import eventually, pause
from harness.workloads.watch import Watch

from . import book
from .heartbeat_common import fault_begins, ha_log_since, never_said, record_kept_service

LINK_TIMEOUT_S = 30.0     # the deadtime (10 s) and some: a link is declared dead after it


@given(book.parse("Heartbeat talks over two channels, the second on the network the harness reaches the "
                  "nodes by; the group on {name}"))
def _(ha: HeartbeatCluster, name: str) -> None:
    assert name == ha.preferred, f"the group starts on the preferred node {ha.preferred}, not {name}"
    addresses = tuple((n, host.ssh_address(ha.node(n))) for n in ha.names)
    interfaces = {host.interface_of(ha.node(n), a) for n, a in addresses}
    assert len(interfaces) == 1, f"the second channel's interface differs between the nodes: {interfaces}"
    second = hb.SecondChannel(interfaces.pop(), addresses)
    assert second.interface != ha.cluster.interface, (
        f"the harness reaches the nodes on the cluster interface {second.interface}: no second network")
    ha.ensure_running(second=second)
    for n in ha.names:
        attachments.attach_text(f"ha.cf on {n}", hb_probe.ha_cf(ha.node(n)).text)
    _await_links(ha, {second.interface: "up", ha.cluster.interface: "up"})


def _links(ha: HeartbeatCluster) -> dict[str, str]:
    """What the peer's Heartbeat says of its link to the preferred node, on each channel's interface."""
    second = need(ha.cluster.second, "the second channel")
    peer = ha.pair.other(ha.preferred)
    return {i: hb_probe.link_status(ha.node(peer), ha.preferred, i)
            for i in (ha.cluster.interface, second.interface)}


def _await_links(ha: HeartbeatCluster, wanted: dict[str, str]) -> float:
    """Wait for the peer's view of both links; the monotonic time it was seen."""
    eventually(lambda: _links(ha), lambda seen: seen == wanted, timeout=LINK_TIMEOUT_S, interval=0.5,
               describe=f"Heartbeat's links {wanted}")
    return time.monotonic()


@when(book.parse("Heartbeat's first channel is cut on {name} for {seconds:d} seconds"))
def _(ha: HeartbeatCluster, name: str, seconds: int, faults: Faults, scenario: Scenario) -> None:
    assert name == ha.preferred, f"the links are watched towards the preferred node {ha.preferred}"
    fault_begins(ha, scenario, "cut_one_channel", name, "first channel cut")
    second = need(ha.cluster.second, "the second channel").interface
    first = ha.cluster.interface
    scenario.fault_at = at = faults.drop_port(name, first, ha.cluster.udpport)
    dead = _await_links(ha, {first: "dead", second: "up"})
    scenario.link_dead_s = round(dead - at, 2)
    pause(max(0.0, seconds - (time.monotonic() - at)))
    back = faults.pass_port(name, first, ha.cluster.udpport)
    scenario.link_up_s = round(_await_links(ha, {first: "up", second: "up"}) - back, 2)


@then(book.parse("{other}'s Heartbeat saw its link to {name} on the first channel dead while the second "
                 "stayed up, and never {again} dead"))
def _(ha: HeartbeatCluster, other: str, name: str, again: str, scenario: Scenario) -> None:
    said = ha_log_since(ha, other, scenario, "the cut")
    second = need(ha.cluster.second, "the second channel").interface
    expected = [f"Link {name}:{ha.cluster.interface} dead.", f"Link {name}:{ha.cluster.interface} up."]
    missing = [line for line in expected if line not in said]
    assert not missing, f"{other}'s ha-log does not say {missing}:\n{said}"
    never_said(other, said, (f"Link {name}:{second} dead.", f"node {again}: is dead"))


@then("the cut of the first channel is recorded with the canary's outage and the link's times")
def _(ha: HeartbeatCluster, watch: Watch, scenario: Scenario) -> None:
    attachments.parameter("the first channel seen dead / up again (s after the cut / the heal)",
                          f"{scenario.link_dead_s} / {scenario.link_up_s}")
    record_kept_service(ha, watch, scenario, detect_s=scenario.link_dead_s)


@when(book.parse("{pct:d} % of the packets {name} sends on its cluster interface are lost for {seconds:d} "
                 "seconds"))
def _(ha: HeartbeatCluster, pct: int, name: str, seconds: int, faults: Faults, scenario: Scenario) -> None:
    fault_begins(ha, scenario, "lossy_link", name, "lossy link")
    scenario.fault_at = at = faults.lossy_link(name, ha.cluster.interface, pct)
    scenario.loss_pct = pct
    pause(seconds)
    faults.full_speed(name, ha.cluster.interface)
    lasted = time.monotonic() - at
    attachments.parameter("packets lost (netem)", f"{pct} % of what {name} sent, {lasted:.1f} s")


@then(book.parse("{other}'s Heartbeat found packets from {name} missing, and never declared the link or "
                 "{again} dead"))
def _(ha: HeartbeatCluster, other: str, name: str, again: str, scenario: Scenario) -> None:
    said = ha_log_since(ha, other, scenario, "the loss began")
    scenario.packets_missed = missed = halog.packets_missed(said, name)
    attachments.parameter(f"packets {other}'s Heartbeat found missing from {name}", missed)
    assert missed > 0, f"{other}'s Heartbeat logged no packet missing from {name}:\n{said}"
    never_said(other, said, (f"Link {name}:{ha.cluster.interface} dead.", f"node {again}: is dead"))


@then("the lossy link is recorded with the canary's outage and the packets Heartbeat missed")
def _(ha: HeartbeatCluster, watch: Watch, scenario: Scenario) -> None:
    record_kept_service(ha, watch, scenario, loss_pct=scenario.loss_pct,
                        packets_missed=scenario.packets_missed)
