"""Steps of features/rhcs that build the book's 7.3 cluster: shared storage, the cluster, fencing, the
service."""

from __future__ import annotations

import pytest
from pytest_bdd import given, then, when

from harness.clusters.fencing import BMC_LOG, took_down
from harness.clusters.pacemaker import PacemakerCluster
from harness.ops import iscsi
from harness.ops import pacemaker as pm
from harness.probes import crm_mon, files, host, quorum, scsi, service_state
from harness.probes import iscsi as iscsi_probe
from harness.report import attachments
from harness.scenario import Scenario, need
from harness.waiting import eventually

from . import book
from .rhcs_common import fencing_problems


# -- shared storage ----------------------------------------------------------------------------------
@given(book.parse("the storage node exports {disks} as LUNs over iSCSI with the kernel's target"))
def _(pcmk: PacemakerCluster, disks: str, scenario: Scenario) -> None:
    if not pcmk.storage.has_target:
        pytest.skip(f"the site's shared storage is {pcmk.storage.said()}, no iSCSI target: nothing to export "
                    "or log in to (the cluster's scenarios check that every member sees those LUNs)")
    target = pcmk.storage.target()
    scenario.target = target
    if pcmk.storage.existing:   # the site's own target stands in for the book's: looked at, not exported
        offered = pcmk.storage.offered()
        attachments.parameter(f"targets offered at {target.portal}", offered)
        assert target.iqn in offered, f"the site's target {target.iqn} is not offered at {target.portal}"
        return
    wanted = tuple(d.strip() for d in disks.replace(" and ", ",").split(","))
    assert target.disks == wanted, f"the storage node's disks are {target.disks}, not {wanted}"
    iscsi.export(pcmk.storage.node, target)


@when(book.parse("{a} and {b} log in to the target with open-iscsi"))
def _(pcmk: PacemakerCluster, a: str, b: str, scenario: Scenario) -> None:
    assert scenario.target is not None, "no target was exported in this scenario"
    iscsi.login_all([pcmk.node(a), pcmk.node(b)], scenario.target)


@then(book.parse("{a} and {b} see the same {count:d} iSCSI disks, with the same serial and WWN"))
def _(pcmk: PacemakerCluster, a: str, b: str, count: int) -> None:
    seen = {name: sorted((d.lun, d.serial, d.wwn) for d in scsi.iscsi_disks(pcmk.node(name)))
            for name in (a, b)}
    attachments.attach_json("iSCSI disks per node (LUN, serial, WWN)", seen)
    assert len(seen[a]) == count, f"{a} sees {len(seen[a])} iSCSI disks, not {count}: {seen[a]}"
    assert seen[a] == seen[b], f"{a} and {b} see different disks: {seen}"
    assert len({wwn for _, _, wwn in seen[a]}) == count, f"two LUNs share a WWN: {seen[a]}"


@then("the target lists a session from each node's own initiator name")
def _(pcmk: PacemakerCluster) -> None:
    own = {name: iscsi_probe.initiator_name(pcmk.node(name)) for name in pcmk.names}
    attachments.parameter("initiators", own)
    assert len(set(own.values())) == len(own), f"two nodes have the same initiator name: {own}"
    if pcmk.storage.existing:   # the site's target is not ours to read: each member's own session is
        held = {name: iscsi_probe.session_initiators(pcmk.node(name)).get(pcmk.storage.iqn)
                for name in pcmk.names}
        assert held == own, f"the members' sessions to {pcmk.storage.iqn}: {held}, expected {own}"
        return
    sessions = iscsi_probe.logged_in(iscsi_probe.target_listing(pcmk.storage.node, pcmk.storage.iqn))
    # a node that was powered off may leave a stale session behind until the target times it out
    assert set(sessions) == set(own.values()), f"sessions from {sessions}, expected {own}"


# -- the cluster -------------------------------------------------------------------------------------
@given(book.parse("{a} and {b} share the storage and no cluster is configured"))
def _(pcmk: PacemakerCluster, a: str, b: str) -> None:
    pcmk.power_on_any_off()
    pcmk.storage.ensure()
    pcmk.destroy_cluster()
    for name in (a, b):
        assert not files.exists(pcmk.node(name), "/etc/corosync/corosync.conf"), \
            f"{name} still has a corosync.conf"


@when("/etc/hosts names both nodes and pcsd (the book's ricci) runs with the hacluster password on both")
def _(pcmk: PacemakerCluster) -> None:
    pcmk.prepare_members()


@when("the cluster is created from node1 with pcs cluster setup and started on both nodes "
      "(the book's cman start)")
def _(pcmk: PacemakerCluster) -> None:
    pcmk.create_cluster()


@then(book.parse("crm_mon (the book's clustat) shows {a} and {b} online, with quorum"))
def _(pcmk: PacemakerCluster, a: str, b: str) -> None:
    pcmk.await_members()
    text = crm_mon.text(pcmk.node(a))
    st = crm_mon.parse(text)
    attachments.attach_text("crm_mon --output-as=xml", text)
    for name in (a, b):
        assert st.nodes[name].online and not st.nodes[name].unclean, f"{name}: {st.nodes[name]}"
    assert st.quorum, "the cluster has no quorum"


@then(book.parse("corosync-quorumtool shows two-node quorum: {expected:d} votes expected, the quorum "
                 "{needed:d}"))
def _(pcmk: PacemakerCluster, expected: int, needed: int) -> None:
    q = quorum.read(pcmk.node(pcmk.preferred))
    attachments.parameter("votequorum", f"expected {q.expected_votes}, quorum {q.quorum}, flags {q.flags}")
    assert (q.expected_votes, q.quorum) == (expected, needed), f"votequorum says {q}"
    assert "2Node" in q.flags and q.quorate, f"not two-node quorum: {q}"


@when("a fence device per node is added: fence_ipmilan to the node's BMC, and stonith is enabled")
def _(pcmk: PacemakerCluster) -> None:
    pcmk.fencing.configure(pcmk.preferred)


@then("crm_mon shows each fence device started on the other node")
def _(pcmk: PacemakerCluster) -> None:
    def placed() -> dict[str, tuple[str, ...]]:
        st = pcmk.status()
        return {n: st.resources[pm.fence_device_name(n)].nodes for n in pcmk.names
                if pm.fence_device_name(n) in st.resources}
    want = {n: (pcmk.other(n),) for n in pcmk.names}
    eventually(placed, lambda got: got == want, timeout=60, interval=2.0,
               describe=f"the fence devices started as {want}")
    assert pcmk.status().stonith_enabled, "stonith-enabled is not true"
    # a device shows Started before its first monitor: its agent asked now (a wrong BMC user fails here)
    problems = fencing_problems(pcmk)
    assert not problems, "\n".join(problems)


# -- fencing by hand ---------------------------------------------------------------------------------
@given(book.parse("the cluster runs on {a} and {b} with a fence device per node"))
def _(pcmk: PacemakerCluster, a: str, b: str) -> None:
    assert sorted(pcmk.names) == sorted([a, b]), f"the cluster's members are {pcmk.names}"
    pcmk.ensure_cluster()


@when(book.parse("{by} fences {target} with pcs stonith fence {again}"))
def _(pcmk: PacemakerCluster, by: str, target: str, again: str, scenario: Scenario) -> None:
    assert again == target, f"the step names {target} and {again}"
    scenario.boot_id = host.boot_id(pcmk.node(target))
    scenario.fence_mark = pcmk.fencing.mark()
    pm.fence(pcmk.node(by), target)
    pcmk.node(target).close()


@then(book.parse("{target}'s fence device powered it off and on again, as its record shows"))
def _(pcmk: PacemakerCluster, target: str, scenario: Scenario) -> None:
    mark = need(scenario.fence_mark, "the fence records before the fence")
    logged = pcmk.fencing.since(mark)[target]
    attachments.attach_text(f"{target}'s fence device ({mark.source})", "\n".join(logged))
    if mark.source == BMC_LOG:
        assert any("chassis power on" in line for line in logged), f"the BMC logged: {logged}"
    assert took_down(mark, logged), f"{target}'s fence device did not power it off: {logged}"


@then(book.parse("{target} was really powered off: it booted again with a new boot ID"))
def _(pcmk: PacemakerCluster, target: str, scenario: Scenario) -> None:
    before = need(scenario.boot_id, "the boot ID before the fence")
    new = eventually(lambda: host.boot_id_afresh(pcmk.node(target)), lambda b: b != before, timeout=180,
                     interval=2.0,
                     describe=f"{target} answering with a new boot ID")
    attachments.parameter("boot ID", f"{before} -> {new}")


@then(book.parse("crm_mon's fencing history shows {target} rebooted by {by}, with success"))
def _(pcmk: PacemakerCluster, target: str, by: str) -> None:
    history = pcmk.status(via=by).fencing
    assert any(f.target == target and f.by == by and f.action == "reboot" and f.status == "success"
               for f in history), f"the fencing history: {history}"


@when(book.parse("{name} rejoins: its iSCSI session and the cluster started on it"))
def _(pcmk: PacemakerCluster, name: str) -> None:
    pcmk.rejoin(name)


# -- the service -------------------------------------------------------------------------------------
@given("no service is configured")
def _(pcmk: PacemakerCluster) -> None:
    if pcmk.mysql.name in {r.group for r in pcmk.status().resources.values()}:
        pm.delete_service(pcmk.node(pcmk.preferred), pcmk.mysql.name)
    assert not any(pcmk.mysql.holdings(n).mounted for n in pcmk.names), "/data is still mounted"


@when("ext4 is made on the first shared LUN and MariaDB's system tables are put in it from node1")
def _(pcmk: PacemakerCluster) -> None:
    pcmk.mysql.prepare_data()


@when(book.parse("the resources, the service {service} and its failover domain ({a} {sa:d}, {b} {sb:d}) "
                 "are created with pcs"))
def _(pcmk: PacemakerCluster, service: str, a: str, sa: int, b: str, sb: int) -> None:
    svc = pcmk.mysql.definition()
    assert (svc.name, svc.domain) == (service, ((a, sa), (b, sb))), f"the harness's service is {svc}"
    pm.create_service(pcmk.node(pcmk.preferred), svc)


@then(book.parse("crm_mon shows {service} started on {name}: {resources}"))
def _(pcmk: PacemakerCluster, service: str, name: str, resources: str) -> None:
    pcmk.mysql.await_on(name)
    st = pcmk.status(via=name)
    members = [r.id for r in st.resources.values() if r.group == service]
    assert members == [r.strip() for r in resources.replace(" and ", ",").split(",")], \
        f"{service} has {members}"
    assert st.group_on(service) == name, f"{service} runs on {st.group_on(service)}"


@then(book.parse("{name} holds /data, the VIP and mysqld, and {other} none of it"))
def _(pcmk: PacemakerCluster, name: str, other: str) -> None:
    assert pcmk.mysql.holds(name), f"{name} holds {pcmk.mysql.holdings(name).summary()}"
    missing = service_state.missing(pcmk.node(name), pcmk.mysql.vip, pcmk.mysql.mountpoint,
                                     pcmk.mysql.site.interface)
    assert not missing, f"testinfra does not find on {name}: {', '.join(missing)}"
    h = pcmk.mysql.holdings(other)
    assert not (h.mounted or h.vip or h.mysqld), f"{other} holds {h.summary()}"


@given(book.parse("mysql_service runs on {name}"))
def _(pcmk: PacemakerCluster, name: str) -> None:
    assert name == pcmk.preferred, f"the failover domain prefers {pcmk.preferred}, not {name}"
    pcmk.mysql.ensure()
