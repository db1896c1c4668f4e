"""Steps of features/rhcs/path_loss.feature: storage fencing (fence_scsi on the shared LUN, each member's
BMC after it), then the active member's path to the iSCSI portal cut. sg_persist's keys, the fencer's
pacemaker.log, the member's own write to the LUN and the canary are the evidence."""

from __future__ import annotations

import pytest
from pytest_bdd import given, then, when

from harness.clusters.pacemaker import PacemakerCluster
from harness.lab.faults import Faults
from harness.ops import iscsi
from harness.ops import pacemaker as pm
from harness.ops import storage_fencing as sf
from harness.probes import host, pcmk_config, pcmk_log, reservations
from harness.report import attachments
from harness.scenario import Scenario, need
from harness.waiting import eventually
from harness.workloads.watch import Watch

from . import book
from .rhcs_common import fault_begins, fault_phases, reader, record_fault

FILESYSTEM = pm.SERVICE_RESOURCES[0]
MONITOR_INTERVAL_S, MONITOR_TIMEOUT_S = 11, 20
UNFENCE_TIMEOUT_S = 120.0
BOOT_TIMEOUT_S = 180.0
REFUSED = "Invalid exchange"     # dd's word for EBADE: the block layer's reservation conflict


def _registered(pcmk: PacemakerCluster, lun: str) -> dict[str, str]:
    """Each online member's key (its fence_scsi key file) that is registered on the LUN (a member off or
    out of the cluster is not asked)."""
    st = pcmk.status()
    on_lun = set(reservations.keys(pcmk.node(reader(pcmk, st=st)), lun))
    own = {name: reservations.own_key(pcmk.node(name)) for name in st.online(pcmk.names)}
    return {name: key for name, key in own.items() if key in on_lun}


@given(book.parse("fence_scsi guards the LUN of /data: at level 1 of each member with its BMC after it, "
                  "the BMC alone at level 2"))
def _(pcmk: PacemakerCluster, request: pytest.FixtureRequest, scenario: Scenario) -> None:
    via = pcmk.node(reader(pcmk))
    levels = pcmk_config.fencing_levels(via)
    assert not levels, f"the cluster has fencing levels of its own, which this scenario would replace: " \
                       f"{levels}"
    scenario.lun = pcmk.storage.lun(pcmk.preferred, 1).by_id
    request.addfinalizer(lambda: _unguard(pcmk, scenario.lun))     # also when the scenario fails
    sf.guard(via, scenario.lun, {name: pm.fence_device_name(name) for name in pcmk.names})
    scenario.keys = eventually(lambda: _registered(pcmk, scenario.lun), lambda k: len(k) == len(pcmk.names),
                               timeout=UNFENCE_TIMEOUT_S, interval=2.0,
                               describe="every member unfenced: its key registered on the LUN")
    attachments.parameter("reservation keys", scenario.keys)
    pcmk.mysql.await_on(pcmk.preferred)     # pacemaker stops the group until its node is unfenced


def _unguard(pcmk: PacemakerCluster, lun: str) -> None:
    """The monitor, levels and device removed; the reservation cleared through a member whose key is
    still registered, so that a member fenced by its key may write to the LUN again."""
    sf.unguard(pcmk.node(reader(pcmk)), FILESYSTEM, MONITOR_INTERVAL_S)
    registered = _registered(pcmk, lun)
    if registered:
        name, key = next(iter(registered.items()))
        sf.clear_reservations(pcmk.node(name), lun, key)
    left = reservations.keys(pcmk.node(reader(pcmk)), lun)
    assert not left, f"keys left on {lun}, which no online member can clear: {left}"


@given(book.parse("/data's monitor writes to it every {interval:d} s and fences the member where it fails "
                  "(OCF_CHECK_LEVEL=20, on-fail=fence)"))
def _(pcmk: PacemakerCluster, interval: int) -> None:
    assert interval == MONITOR_INTERVAL_S, f"the step's monitor runs every {MONITOR_INTERVAL_S} s"
    sf.monitor_deeply(pcmk.node(reader(pcmk)), FILESYSTEM, interval, MONITOR_TIMEOUT_S)


@when(book.parse("{name}'s path to the iSCSI portal is cut while the canary writes"))
def _(pcmk: PacemakerCluster, name: str, faults: Faults, scenario: Scenario) -> None:
    fault_begins(pcmk, scenario, "iscsi_path_lost", name)
    scenario.victim, scenario.boot_id = name, host.boot_id(pcmk.node(name))
    interface = host.interface_towards(pcmk.node(name), pcmk.storage.portal)
    scenario.path = interface
    scenario.fault_at = faults.drop_port(name, interface, iscsi.PORT)


@then(book.parse("{survivor} fences {victim} with fence_scsi first, then its BMC, as {again}'s "
                 "pacemaker log shows"))
def _(pcmk: PacemakerCluster, survivor: str, victim: str, again: str, scenario: Scenario) -> None:
    assert again == survivor, f"the step names {survivor} and {again}"
    pcmk.mysql.await_on(survivor)
    text = pcmk.log_since(survivor, scenario.log_cursors[survivor])
    ran = pcmk_log.devices_ran(text, victim)
    attachments.parameter(f"fence devices {survivor} ran against {victim}", ran)
    offs = [(device, ok) for action, device, ok in ran if action == "off"]
    assert offs[:2] == [(sf.DEVICE, True), (pm.fence_device_name(victim), True)], \
        f"{survivor} did not take {victim}'s key, then power it off: {ran}"


@then(book.parse("{victim}'s key is gone from the LUN and {survivor}'s holds the reservation"))
def _(pcmk: PacemakerCluster, victim: str, survivor: str, scenario: Scenario) -> None:
    lun, keys = scenario.lun, scenario.keys
    left = reservations.keys(pcmk.node(survivor), lun)
    held = reservations.reservation(pcmk.node(survivor), lun)
    attachments.parameter("keys on the LUN / reservation", f"{left} / {held}")
    assert keys[victim] not in left, f"{victim}'s key {keys[victim]} is still registered: {left}"
    assert left == [keys[survivor]], f"the keys on the LUN are {left}, not {survivor}'s {keys[survivor]}"
    assert held.holder == keys[survivor], f"the reservation is held by {held.holder}, not {survivor}"


@when(book.parse("{name} is back from its reboot and logged in to the target again"))
def _(pcmk: PacemakerCluster, name: str, faults: Faults, scenario: Scenario) -> None:
    before = need(scenario.boot_id, f"{name}'s boot before the fault")
    eventually(lambda: host.boot_id_afresh(pcmk.node(name)), lambda b: b != before, timeout=BOOT_TIMEOUT_S,
               interval=2.0, describe=f"{name} booted again (its BMC's power cycle)")
    scenario.restored_at = faults.pass_port(name, scenario.path, iscsi.PORT)
    pcmk.storage.login(pcmk.node(name))


@then(book.parse("{victim}'s write to the LUN is refused with a reservation conflict, and {survivor}'s "
                 "is taken"))
def _(pcmk: PacemakerCluster, victim: str, survivor: str, scenario: Scenario) -> None:
    refused = sf.rewrite_first_sector(pcmk.node(victim), scenario.lun)
    taken = sf.rewrite_first_sector(pcmk.node(survivor), scenario.lun)
    attachments.parameter("the first sector written back", {victim: refused.stderr.strip() or "taken",
                                                             survivor: taken.stderr.strip() or "taken"})
    if refused.ok and scenario.keys[victim] in reservations.keys(pcmk.node(survivor), scenario.lun):
        raise AssertionError(f"{victim}'s write was taken: its key is registered again, so it was unfenced "
                             "after its reboot (its cluster stack starts at boot and rejoined); the refusal "
                             "can only be shown on a member that stays out of the cluster")
    assert not refused.ok and REFUSED in refused.stderr, f"{victim}'s write was not refused as a " \
                                                         f"reservation conflict: {refused.stderr.strip()}"
    assert taken.ok, f"{survivor}'s write was refused: {taken.stderr.strip()}"


@then(book.parse("the path loss is recorded with its outage and the phases from {name}'s pacemaker log"))
def _(pcmk: PacemakerCluster, name: str, watch: Watch, scenario: Scenario) -> None:
    acks = need(scenario.acks, "the writer's acknowledgements")
    at = need(scenario.fault_at, "the fault's time")
    found, _, _ = fault_phases(pcmk, name, scenario, scenario.victim, pm.SERVICE_PHASES)
    attachments.parameter("phases (s after the cut)", found)
    record_fault(scenario, watch, "iscsi_path_lost", acks.outage_s(at), found, survivor=name)
    assert "fenced" in found, f"{name}'s log shows no fencing of {scenario.victim}: {found}"
