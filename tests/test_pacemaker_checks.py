"""The verify area's checks of a Pacemaker cluster (book 7.3), on outputs captured from the rhcs lab after
its GFS2 scenario (node1 fenced and off, the service on node2), and each check shown to fail on a reading
a wrong cluster gives: crm_verify of the CIB with fencing disabled or without fence devices, a broken BMC's
agent, a member offline, the quorum without two_node, another failover domain, a disk one member lacks."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from harness.node import Result
from harness.probes import crm_mon, pcmk_config, quorum, scsi
from harness.probes.errors import ParseError
from harness.verdicts import pacemaker_checks as checks

DATA = Path(__file__).parent / "data"
SERVICE_DISK = "/dev/disk/by-id/wwn-0x60000000000000000e00000000010001"
GFS2_DISK = "/dev/disk/by-id/wwn-0x60000000000000000e00000000010002"


def _text(name: str) -> str:
    return (DATA / name).read_text()


def _answer(node: str, code: int, out: str = "") -> Result:
    return Result(node, "/usr/sbin/fence_ipmilan", code, out, "", 1.0)


def test_the_cibs_resources_fence_devices_and_filesystems() -> None:
    found = pcmk_config.parse_resources(_text("pcmk_cib_resources_node2.xml"))
    fence = found["fence_node1"]
    assert (fence.standard, fence.agent) == ("stonith", "fence_ipmilan")
    assert fence.params["pcmk_host_list"] == "node1"
    assert "password" not in fence.params and fence.params["ipmitool_path"] == "/etc/hadrill/ipmitool"
    assert checks.wwn_devices(found) == [SERVICE_DISK, GFS2_DISK]
    assert checks.gfs2_devices(found) == [GFS2_DISK]
    with pytest.raises(ParseError, match="<resources>"):
        pcmk_config.parse_resources(_text("pcmk_cib_constraints_node2.xml"))


def test_crm_verify_clean_and_its_errors_named() -> None:
    assert checks.configuration("node2", pcmk_config.parse_verify(0, "")) == []
    disabled = pcmk_config.parse_verify(78, _text("pcmk_crm_verify_stonith_disabled.txt"))
    assert not disabled.clean and len(disabled.findings) == 4
    said = checks.configuration("node2", disabled)
    assert said[0].startswith("node2: crm_verify --live-check exited 78: error: Resetting 'on-fail' for "
                              "operation 'gfs2_fs:0_monitor_10000' to 'stop'")
    no_devices = pcmk_config.parse_verify(78, _text("pcmk_crm_verify_no_fence_devices.txt"))
    assert no_devices.findings == ("error: CIB did not pass schema validation",)
    assert checks.configuration("node2", no_devices) != []


def test_a_fence_device_for_each_member_that_answers() -> None:
    st = crm_mon.parse(_text("crm_mon_service_on_node1.xml"))
    listed = pcmk_config.parse_device_list(_text("pcmk_stonith_admin_list_node1.txt"))
    assert listed == ["fence_node1"]
    devices_for = {"node1": listed, "node2": ["fence_node2"]}
    good = {"fence_node1": _answer("node2", 0), "fence_node2": _answer("node1", 0)}
    assert checks.fencing(st, devices_for, good) == []
    timed_out = "2026-12-03 03:58:26,642 ERROR: Connection timed out\n"    # fence_ipmilan, its BMC down
    broken = {**good, "fence_node1": _answer("node2", 1, timed_out)}
    assert checks.fencing(st, devices_for, broken) == [
        "node2: fence device fence_node1's agent, asked to monitor, exited 1: 2026-12-03 03:58:26,642 ERROR: "
        "Connection timed out"]
    assert checks.fencing(st, {**devices_for, "node2": []}, good) == [
        "node2: stonith_admin --list node2: no fence device can fence it"]
    assert checks.fencing(replace(st, stonith_enabled=False), devices_for, good)[0].startswith(
        "crm_mon: stonith-enabled is not true")
    with pytest.raises(ParseError):
        pcmk_config.parse_device_list("stonith_admin: Could not connect to fencer")


def test_members_online_after_a_fence_node1_is_not() -> None:
    before = crm_mon.parse(_text("crm_mon_service_on_node1.xml"))
    after = crm_mon.parse(_text("crm_mon_node2_after_fencing_node1.xml"))
    assert checks.members_online(before, ["node1", "node2"]) == []
    assert checks.members_online(after, ["node1", "node2"]) == ["node1: crm_mon: offline, not online"]


def test_two_node_quorum_and_its_missing_flags() -> None:
    q = quorum.parse(_text("corosync-quorumtool_two_node.txt"))
    assert checks.two_node_quorum({"node1": q, "node2": q}) == []
    plain = replace(q, flags=("Quorate",))
    assert checks.two_node_quorum({"node2": plain}) == [
        "node2: corosync-quorumtool -s: flags Quorate, without 2Node, WaitForAll (two_node, wait_for_all in "
        "corosync.conf)"]
    lost = replace(q, quorate=False, total_votes=1)
    assert checks.two_node_quorum({"node1": lost}) == [
        "node1: corosync-quorumtool -s: not quorate (1 of 2 votes)"]


def test_the_services_location_preferences_against_the_failover_domain() -> None:
    found = pcmk_config.parse_locations(_text("pcmk_cib_constraints_node2.xml"))
    assert checks.failover_domain(found, "mysql_service", (("node1", 100), ("node2", 50))) == []
    assert checks.failover_domain(found, "mysql_service", (("node1", 50), ("node2", 100))) == [
        "the CIB's location constraints for mysql_service: [('node1', '100'), ('node2', '50')], the failover "
        "domain [('node1', '50'), ('node2', '100')]"]
    with pytest.raises(ParseError):
        pcmk_config.parse_locations("<cib/>")


def test_the_same_shared_disks_on_every_member() -> None:
    disks = scsi.parse(_text("lsblk_json_node2_iscsi.json"))
    assert checks.same_shared_disks({"node1": disks, "node2": disks}, [SERVICE_DISK, GFS2_DISK]) == []
    assert checks.same_shared_disks({"node1": disks[:1], "node2": disks}, [SERVICE_DISK, GFS2_DISK]) == [
        "node2: shared disks ['0x60000000000000000e00000000010001', '0x60000000000000000e00000000010002'], "
        "node1 sees ['0x60000000000000000e00000000010001']",
        f"node1: {GFS2_DISK}, which the cluster mounts, is not among its shared disks"]


def test_gfs2_journals_counted_and_too_few_named() -> None:
    text = _text("pcmk_gfs2_edit_jindex.txt")
    assert pcmk_config.count_journals(text) == 2
    assert checks.gfs2_journals({GFS2_DISK: 2}, 2) == []
    assert checks.gfs2_journals({GFS2_DISK: 2}, 3) == [
        f"GFS2 on {GFS2_DISK}: 2 journals for 3 members (gfs2_jadd adds one)"]
    with pytest.raises(ParseError):
        pcmk_config.count_journals("gfs2_edit: no such device")


def test_the_cib_s_configuration_version_is_read_from_its_root() -> None:
    xml = (DATA / "cibadmin_query_local.xml").read_text()
    assert pcmk_config.parse_cib_version(xml) == pcmk_config.CibVersion(admin_epoch=0, epoch=11)
    with pytest.raises(ParseError):
        pcmk_config.parse_cib_version("Could not connect to the CIB: Transport endpoint is not connected")


def test_copies_alike_names_an_unread_member_and_a_difference() -> None:
    assert checks.copies_alike("corosync.conf", {"node1": "920e", "node2": "920e"}) == []
    assert checks.copies_alike("corosync.conf", {"node1": "920e", "node2": "30a5"}) == [
        "corosync.conf differs between the members (node1: 920e, node2: 30a5)"]
    assert checks.copies_alike("corosync.conf", {"node1": "920e", "node2": None}) == [
        "node2: corosync.conf could not be read"]


def test_a_package_not_installed_is_named_per_member() -> None:
    read: dict[str, dict[str, str | None]] = {"node1": {"pcs": "0.11.5", "cman": None},
                                              "node2": {"pcs": None, "cman": None}}
    assert checks.packages_missing(read) == ["node1: cman is not installed", "node2: pcs is not installed",
                                             "node2: cman is not installed"]
