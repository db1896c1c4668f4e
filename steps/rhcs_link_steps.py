"""Steps of features/rhcs/second_link.feature: corosync given a second knet link for the scenario, its
first link cut on one member while the second carries the cluster. corosync-cfgtool's link states, the
members' corosync and pacemaker logs and the canary are the evidence."""

from __future__ import annotations

import time

import pytest
from pytest_bdd import given, then, when

from harness.clusters.pacemaker import PacemakerCluster
from harness.lab.faults import Faults
from harness.node import on_each
from harness.ops import corosync_links as links_op
from harness.ops import pacemaker as pm
from harness.probes import corosync_links, host
from harness.report import attachments
from harness.scenario import Scenario, need
from harness.waiting import eventually
from harness.workloads.watch import observe

from . import book
from .rhcs_common import fault_begins

LINK_TIMEOUT_S = 30.0        # knet pings every 0.75 s and gives a link up after two answers


def _peer_states(pcmk: PacemakerCluster, name: str, link: int) -> set[str]:
    return corosync_links.read(pcmk.node(name)).towards_peers(link)


@given("corosync carries the cluster over a second link, on the network the harness reaches the members by")
def _(pcmk: PacemakerCluster, request: pytest.FixtureRequest) -> None:
    ring0 = {m.name: m.address for m in pcmk.members}
    ring1 = {n: host.ssh_address(pcmk.node(n)) for n in pcmk.names}
    attachments.parameter("corosync's links (member: link 0 / link 1)",
                          {n: f"{ring0[n]} / {ring1[n]}" for n in pcmk.names})
    shared = set(ring0.values()) & set(ring1.values())
    assert not shared, f"the harness reaches the members on their cluster addresses ({shared}): no " \
                       "second network to carry link 1"
    request.addfinalizer(lambda: _one_link(pcmk))     # also when the scenario fails
    on_each([pcmk.node(n) for n in pcmk.names], lambda node: links_op.add_second_link(node, ring0, ring1))
    links_op.reload(pcmk.node(pcmk.preferred))
    eventually(lambda: _peer_states(pcmk, pcmk.preferred, 1), lambda s: s == {"connected"},
               timeout=LINK_TIMEOUT_S, interval=1.0, describe="link 1 connected to the peer")


def _one_link(pcmk: PacemakerCluster) -> None:
    """Every member back to its one-link corosync.conf, read again by the cluster."""
    up = [pcmk.node(n) for n in pcmk.names if n not in pcmk.lab.powered_off()]
    on_each(up, links_op.back_to_one_link)
    if up:
        links_op.reload(up[0])


@when(book.parse("corosync's link 0 is cut on {name} for {seconds:d} seconds"))
def _(pcmk: PacemakerCluster, name: str, seconds: int, faults: Faults, scenario: Scenario) -> None:
    fault_begins(pcmk, scenario, "cut_one_link", name)
    scenario.corosync_logs = pcmk.corosync_cursors()
    interface = pcmk.mysql.site.interface
    scenario.fault_at = faults.drop_port(name, interface, pm.COROSYNC_PORT)
    seen = eventually(lambda: corosync_links.read(pcmk.node(name)),
                      lambda found: found.towards_peers(0) == {"disconnected"}, timeout=LINK_TIMEOUT_S,
                      interval=1.0, describe=f"{name}'s link 0 disconnected from its peer")
    scenario.phases["link0_down"] = round(time.monotonic() - scenario.fault_at, 2)
    scenario.links_seen = seen.states
    observe(max(0.0, seconds - (time.monotonic() - scenario.fault_at)))
    scenario.restored_at = faults.pass_port(name, interface, pm.COROSYNC_PORT)
    scenario.phases["link0_back"] = round(scenario.restored_at - scenario.fault_at, 2)


@then(book.parse("corosync-cfgtool on {name} showed link 0 to its peer disconnected and link 1 "
                 "connected while it was cut"))
def _(name: str, scenario: Scenario) -> None:
    seen = need(scenario.links_seen, f"{name}'s links while link 0 was cut")
    attachments.parameter(f"{name}'s links while link 0 was cut", seen)
    assert set(seen.get(1, {}).values()) == {"connected"}, f"link 1 did not carry the cluster: {seen}"
