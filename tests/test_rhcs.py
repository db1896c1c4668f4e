"""Book 7.3 on today's stack: outputs captured from the rhcs lab (crm_mon, pacemaker.log, quorum, lsblk,
the iSCSI target's ACLs, the kernel's journal), the iSCSI target's configuration, the invariants of
shared storage."""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from harness.ops.iscsi import Export, render_export, unit_serial
from harness.ops.pacemaker import IPMITOOL_SCRIPT, PASSWORD_FILE, SERVICE_PHASES
from harness.probes import (
    cluster_traces,
    crm_mon,
    failcount,
    iscsi,
    kernlog,
    pcmk_log,
    quorum,
    scsi,
    service_state,
)
from harness.probes.errors import ParseError
from harness.probes.holdings import Holdings
from harness.verdicts import pacemaker_audit
from harness.workloads.invariants import UNKNOWN, broken
from steps.rhcs_common import held_by

DATA = Path(__file__).parent / "data"
RESOURCES = ("data_fs", "vip", "mysql")


def _text(name: str) -> str:
    return (DATA / name).read_text()


def test_crm_mon_service_on_node1() -> None:
    st = crm_mon.parse(_text("crm_mon_service_on_node1.xml"))
    assert st.quorum and st.stonith_enabled
    assert sorted(st.nodes) == ["node1", "node2"]
    assert all(n.online and not n.unclean for n in st.nodes.values())
    assert st.online(["node2", "node9", "node1"]) == ["node2", "node1"]   # in the order asked, known only
    assert st.group_on("mysql_service") == "node1"
    assert [r.id for r in st.resources.values() if r.group == "mysql_service"] == list(RESOURCES)
    assert st.resources["fence_node1"].nodes == ("node2",) and st.resources["fence_node2"].nodes == ("node1",)


def test_crm_mon_after_node2_fenced_node1() -> None:
    st = crm_mon.parse(_text("crm_mon_node2_after_fencing_node1.xml"))
    assert not st.nodes["node1"].online and st.nodes["node2"].online
    assert st.group_on("mysql_service") == "node2"
    assert st.resources["fence_node2"].role == "Stopped"
    assert st.fencing == (crm_mon.FenceEvent("reboot", "node1", "success", "node2", "2026-12-01 01:54:43Z"),)


def test_crm_mon_clones_are_one_resource_on_every_node_they_run_on() -> None:
    """Captured with GFS2 mounted on both nodes: the dlm and gfs2_fs clones (before, crm_mon's clones were
    not read, and GFS2's known state made the filesystem again over a mounted one: "Device or resource
    busy")."""
    st = crm_mon.parse(_text("crm_mon_gfs2_clones_on_both.xml"))
    for name in ("dlm", "gfs2_fs"):
        res = st.resources[name]
        assert (res.clone, res.role, sorted(res.nodes), res.failed) == (f"{name}-clone", "Started",
                                                                         ["node1", "node2"], False)
    assert st.group_on("mysql_service") == "node1"


def test_crm_mon_refuses_other_xml() -> None:
    with pytest.raises(ParseError, match="pacemaker-result"):
        crm_mon.parse("<cib/>")
    with pytest.raises(ParseError):
        crm_mon.parse("Error: cluster is not currently running on this node")


def test_pacemaker_log_takeover_phases_fence_before_mount() -> None:
    events = pcmk_log.events(_text("pacemaker-log_node2_takeover_after_power_off.txt"), 2026)
    assert [e.what for e in events][:3] == ["lost", "fence requested", "fenced"]
    fault = datetime(2026, 12, 1, 1, 54, 33, 450000)
    phases = pcmk_log.phases(events, fault, "node1", SERVICE_PHASES)
    assert phases == {"detection": 6.38, "fence_requested": 7.57, "fenced": 10.2, "filesystem": 10.79,
                      "ip": 11.29, "database": 14.33}
    assert pcmk_log.fenced_before_mount(events, "node1", "data_fs") is True


def test_pacemaker_log_mount_before_fencing_is_caught() -> None:
    lines = _text("pacemaker-log_node2_takeover_after_power_off.txt").splitlines()
    fenced = [ln for ln in lines if "was terminated" in ln]
    later = [ln.replace("01:54:43.654", "01:54:50.000") for ln in fenced]
    reordered = [ln for ln in lines if "was terminated" not in ln] + later
    events = pcmk_log.events("\n".join(reordered), 2026)
    assert pcmk_log.fenced_before_mount(events, "node1", "data_fs") is False
    assert pcmk_log.fenced_before_mount(events[:1], "node1", "data_fs") is None


def test_pacemaker_log_failed_fencing() -> None:
    line = ("Dec 01 03:10:11.222 node2 pacemaker-fenced    [2188] (finalize_op) \terror: Operation 'reboot' "
            "targeting node1 by node2 for pacemaker-controld.2192@node2: Timer expired | id=4382d7a1")
    (event,) = pcmk_log.events(line, 2026)
    assert (event.what, event.subject) == ("fence failed", "node1")


def test_pacemaker_log_mysql_killed_failed_then_started_in_place() -> None:
    """node1's log when mysqld was killed with SIGTERM: the monitor's first answer not ok (pending, then
    not running) is the detection, a Cancelled monitor is not a failure; the start after it is the restart."""
    events = pcmk_log.events(_text("pacemaker_log_mysql_killed.txt"), 2026)
    killed = datetime(2026, 12, 3, 11, 1, 14, 460000)
    failed = [e for e in events if e.what == "failed"]
    assert [e.at.strftime("%H:%M:%S.%f")[:12] for e in failed] == ["11:01:15.140", "11:01:25.180"]
    assert pcmk_log.phases(events, killed, "", {"mysql": "database"}) == {"database": 20.77}
    assert pcmk_log.first([e for e in events if e.at >= killed], "failed", "mysql") == failed[0]


def test_crm_mon_lists_the_failed_action_a_killed_fencer_left() -> None:
    """Captured on node2 15 s after its pacemaker-fenced was killed: the fence device's monitor could not
    run; pcs resource cleanup must forget it before the next scenario (node1 was offline, fenced)."""
    st = crm_mon.parse(_text("crm_mon_fencer_killed_on_node2.xml"))
    lost = crm_mon.Failure("fence_node1_monitor_60000", "node2", "Lost connection to fencer")
    assert st.failures == (lost,)
    assert str(st.failures[0]) == "fence_node1_monitor_60000 on node2: Lost connection to fencer"
    assert crm_mon.parse(_text("crm_mon_service_on_node1.xml")).failures == ()


@pytest.mark.parametrize(("log", "daemon", "exited", "respawned"), [
    ("pacemaker_log_fenced_killed.txt", "pacemaker-fenced", "14:11:01.984", "14:11:02.014"),
    ("pacemaker_log_controld_killed.txt", "pacemaker-controld", "14:11:39.675", "14:11:39.775"),
])
def test_pacemaker_log_a_killed_subdaemon_exited_and_was_respawned(log: str, daemon: str, exited: str,
                                                                   respawned: str) -> None:
    """node1's log when one of pacemakerd's subdaemons was killed with SIGKILL: pacemakerd's word that
    it ended and that it started it again; the controller's retries to reach the fencer are neither."""
    events = pcmk_log.events(_text(log), 2026)
    ours = [(e.what, e.subject, e.at.strftime("%H:%M:%S.%f")[:12]) for e in events
            if e.what in ("exited", "respawned")]
    assert ours == [("exited", daemon, exited), ("respawned", daemon, respawned)]
    assert not [e for e in events if e.what in ("start asked", "stop asked", "failed")]


def test_crm_failcount_answers() -> None:
    assert failcount.parse(_text("crm_failcount_zero.txt")) == 0
    assert failcount.parse(_text("crm_failcount_one.txt")) == 1
    assert failcount.parse("scope=status  name=fail-count-mysql value=INFINITY\n") == failcount.INFINITY
    assert failcount.parse("Could not map name=mysql to a UUID\n") is None


def test_cluster_traces_fresh_and_running_member() -> None:
    """A member of a fresh image has none (only the shipped corosync.conf to remove); a running one has
    its units active and a CIB, and must go through pcs cluster destroy."""
    assert cluster_traces.parse(_text("cluster_traces_fresh_member.txt")) == []
    assert cluster_traces.parse(_text("cluster_traces_running_member.txt")) == [
        "corosync active", "pacemaker active", "a CIB"]
    assert cluster_traces.parse("failed\ninactive\nenabled\ndisabled\nnone\n") == [
        "corosync failed", "corosync enabled"]
    with pytest.raises(ValueError):
        cluster_traces.parse("inactive\n")


def test_a_takeovers_log_has_no_resource_active_twice_and_the_schedulers_report_is_caught() -> None:
    """The takeover's real log is clean; a line in the scheduler's format (`%s resource %s might be active
    on %u nodes (%s)`, Pacemaker 2) is caught, and so is 1.x's `is active on`."""
    log = _text("pacemaker-log_node2_takeover_after_power_off.txt")
    assert pacemaker_audit.reports(log) == []
    staged = ("Dec 02 15:48:41.263 node2 pacemaker-schedulerd[2124] (pcmk__native_merge_weights) 	error: "
              "systemd resource mysql might be active on 2 nodes (attempting recovery)")
    assert pacemaker_audit.reports(log + staged + "\n") == [staged]
    assert pacemaker_audit.reports("error: Resource mysql (systemd::mariadb) is active on 2 nodes\n")


def test_two_node_quorum() -> None:
    q = quorum.parse(_text("corosync-quorumtool_two_node.txt"))
    assert (q.quorate, q.expected_votes, q.total_votes, q.quorum) == (True, 2, 2, 1)
    assert q.flags == ("2Node", "Quorate", "WaitForAll")
    with pytest.raises(ParseError, match="Expected votes"):
        quorum.parse("Cannot initialize QUORUM service")


def test_a_lone_member_waiting_for_all() -> None:
    """node2 back from a fence, its cluster started with corosync's link still cut: votequorum blocks it
    until it has seen its peer ("Quorum: 1 Activity blocked")."""
    q = quorum.parse(_text("corosync-quorumtool_waiting_for_all.txt"))
    assert (q.quorate, q.expected_votes, q.total_votes, q.quorum) == (False, 2, 1, 1)
    assert q.flags == ("2Node", "WaitForAll")


def test_iscsi_disks_and_target_sessions() -> None:
    disks = scsi.parse(_text("lsblk_json_node2_iscsi.json"))
    assert [(d.name, d.lun, d.serial) for d in disks] == [("sda", 1, "beaf11"), ("sdb", 2, "beaf12")]
    assert disks[0].by_id == "/dev/disk/by-id/wwn-0x60000000000000000e00000000010001"
    with pytest.raises(ParseError):
        scsi.parse("lsblk: unknown column")


def test_lio_luns_carry_the_serial_hadrill_gave_them() -> None:
    disks = {d.lun: d for d in scsi.parse(_text("lsblk_json_node2_lio.json"))}
    target = Export("iqn.2026-11.io.hadrill:rhcs.shared", "192.168.8.110", ("/dev/sdb", "/dev/sdc"), ())
    for lun, disk in ((1, "/dev/sdb"), (2, "/dev/sdc")):
        assert disks[lun].serial == unit_serial(target, disk)
        assert disks[lun].wwn == "0x6001405" + unit_serial(target, disk)[:25]   # LIO's NAA from the serial
        assert (disks[lun].vendor, disks[lun].model) == ("LIO-ORG", "IBLOCK")


def test_the_target_lists_the_initiators_logged_in() -> None:
    node1, node2 = "iqn.2026-11.io.hadrill:rhcs.node1", "iqn.2026-11.io.hadrill:rhcs.node2"
    assert iscsi.logged_in(_text("lio_acls_info_two_sessions.txt")) == [node1, node2]
    assert iscsi.logged_in(_text("lio_acls_info_node2_logged_out.txt")) == [node1]
    with pytest.raises(ParseError):
        iscsi.logged_in("cat: '/sys/kernel/config/target/iscsi/x/tpgt_1/acls/*/info': No such file")


def test_the_export_maps_each_lun_to_each_initiator_then_enables_the_target() -> None:
    target = Export("iqn.2026-11.io.hadrill:rhcs.shared", "192.168.8.110", ("/dev/sdb", "/dev/sdc"),
                    ("iqn.a:node1", "iqn.a:node2"))
    lines = render_export(target).splitlines()
    tpg = "/sys/kernel/config/target/iscsi/iqn.2026-11.io.hadrill:rhcs.shared/tpgt_1"
    store = "/sys/kernel/config/target/core/iblock_0"
    assert lines.index(f"echo udev_path=/dev/sdb > {store}/hadrill_lun1/control") \
        < lines.index(f"echo udev_path=/dev/sdc > {store}/hadrill_lun2/control")
    assert lines.index(f"ln -s {tpg}/lun/lun_2 {tpg}/acls/iqn.a:node2/lun_2/lun") < len(lines) - 1
    assert f"mkdir {tpg}/np/192.168.8.110:3260" in lines
    assert lines[-2:] == [f"echo 0 > {tpg}/attrib/authentication", f"echo 1 > {tpg}/enable"]
    assert lines.index('if [ -d "$t" ]; then') < min(i for i, line in enumerate(lines) if "mkdir" in line)
    serials = {unit_serial(target, d) for d in target.disks}
    assert len(serials) == 2 and all(len(s) == 32 and int(s, 16) >= 0 for s in serials)
    assert render_export(target) == render_export(target)   # the same export, the same script


def test_gfs2_journal_recovery_from_the_kernel_journal() -> None:
    (rec,) = kernlog.recoveries(_text("journal-k_node2_gfs2_recovery.txt"))
    assert (rec.fsid, rec.jid, rec.result) == ("rhcs:shared.0", 1, "success")
    assert rec.at == datetime(2026, 12, 1, 2, 4, 48, 952431)


def _held(mounted: bool, vip: bool = False) -> Holdings:
    return Holdings(mysqld=mounted, vip=vip, mounted=mounted, role="Unconfigured", heartbeat=False,
                    pacemaker=True)


def test_shared_storage_invariants() -> None:
    one = {"node1": _held(True, vip=True), "node2": _held(False)}
    assert broken(one, shared_storage=True) == []
    both = {"node1": _held(True), "node2": _held(True)}
    assert broken(both, shared_storage=True) == ["the filesystem mounted on node1 and node2"]
    # the DRBD pair's rule (mounted only where Primary) does not apply to a shared LUN
    assert "the filesystem mounted on node1, which is Unconfigured" in broken(one)


def test_mariadb_serves_the_vip_on_a_wildcard_or_on_the_vip_itself() -> None:
    """testinfra's listening sockets: MariaDB's bind-address 0.0.0.0 serves the VIP; a socket on another
    address or port does not (testinfra's own tcp://PORT wants both 0.0.0.0 and ::, and refused it)."""
    assert service_state.serves_on(["tcp://0.0.0.0:22", "tcp://0.0.0.0:3306"], "192.168.8.100")
    assert service_state.serves_on(["tcp://192.168.8.100:3306"], "192.168.8.100")
    assert not service_state.serves_on(["tcp://127.0.0.1:3306", "tcp://0.0.0.0:33060"], "192.168.8.100")


def _ipmitool_args(*args: str) -> list[str]:
    """What fence_ipmilan's ipmitool (pacemaker.IPMITOOL_SCRIPT) hands the real ipmitool, read by sh."""
    script = IPMITOOL_SCRIPT.replace("exec /usr/bin/ipmitool", "printf '%s\\n'")
    out = subprocess.run(["sh", "-c", script, "ipmitool", *args], capture_output=True, text=True, check=True)
    return out.stdout.splitlines()


def test_fence_agents_empty_password_becomes_ipmitools_password_file() -> None:
    given = ["-I", "lanplus", "-H", "10.0.0.1", "-U", "admin", "-P", "", "chassis", "power", "status"]
    assert _ipmitool_args(*given) == [*given[:6], "-f", PASSWORD_FILE, *given[8:]]


def test_a_password_fence_agents_was_given_never_reaches_ipmitool() -> None:
    args = _ipmitool_args("-H", "a b", "-P", "s3cret -x", "chassis", "power", "on")
    assert args == ["-H", "a b", "-f", PASSWORD_FILE, "chassis", "power", "on"]


def test_what_a_member_held_is_read_from_the_monitors_timeline_and_never_assumed() -> None:
    """held_by: node2 held nothing while read; it took the mount; never read, it is unknown (an error)."""
    quiet = [(0.0, {"node1": "VIP mounted mysqld", "node2": UNKNOWN}),
             (0.5, {"node1": "VIP mounted mysqld", "node2": "nothing"}),
             (9.0, {"node1": "off", "node2": "nothing"})]
    assert held_by(quiet, "node2") == []
    took = [*quiet, (12.0, {"node1": "off", "node2": "mounted"})]
    assert held_by(took, "node2") == ["mounted"]
    with pytest.raises(AssertionError, match="never read node2"):
        held_by([(0.0, {"node1": "VIP mounted mysqld", "node2": UNKNOWN})], "node2")
