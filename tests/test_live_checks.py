"""The verify area's checks, on outputs captured from the lab's serving cluster (vm01 holding the group), and
each check shown to fail on a reading changed the way a wrong cluster would read."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from harness.ops.drbd import DrbdResource, Peer
from harness.probes import drbd as drbd_probe
from harness.probes import drbd_conf, mariadb
from harness.probes.heartbeat import parse_ha_cf
from harness.verdicts import live_checks
from harness.workloads.greeting import server_version

DATA = Path(__file__).parent / "data"
RES = DrbdResource((Peer("vm01", "192.168.8.22", "/dev/sdb1"), Peer("vm02", "192.168.8.23", "/dev/sdb1")),
                   "unused")


def _dump() -> drbd_conf.ResourceConf:
    return drbd_conf.parse_dump((DATA / "drbdadm_dump_all_vm01.txt").read_text())


def test_the_labs_resource_is_the_profiles_and_the_same_on_both() -> None:
    conf = _dump()
    assert live_checks.drbd_as_profile(conf, RES, "vm01") == []
    assert live_checks.dump_differences({"vm01": conf, "vm02": conf}) == []


def test_another_disk_protocol_or_secret_on_one_node_is_named_the_secret_unshown() -> None:
    conf = _dump()
    other = replace(conf, options={**conf.options, "protocol": "A", "shared-secret": "other"})
    assert live_checks.drbd_as_profile(other, RES, "vm02") == [
        "vm02: drbdadm dump: protocol A, the profile C"]
    found = live_checks.dump_differences({"vm01": conf, "vm02": other})
    assert "vm02: drbdadm dump, option protocol differs from vm01's: 'A' against 'C'" in found
    assert "vm02: drbdadm dump, option shared-secret differs from vm01's" in found
    assert not any("other" in line for line in found)
    moved = replace(RES, peers=(Peer("vm01", "192.168.8.22", "/dev/sdc1"), RES.peers[1]))
    assert live_checks.drbd_as_profile(conf, moved, "vm01") == [
        "vm01: drbdadm dump, on vm01: disk '/dev/sdb1', the profile '/dev/sdc1'"]


def test_the_global_section_says_usage_count_no() -> None:
    assert drbd_conf.parse_global((DATA / "drbdadm_dump_all_vm01.txt").read_text())["usage-count"] == "no"
    assert drbd_conf.parse_global("resource r0 {\n}\n") == {}


def test_a_replicating_pair_passes_and_a_pair_apart_or_mounted_twice_does_not() -> None:
    primary = drbd_probe.parse((DATA / "proc_drbd_connected_primary.txt").read_text()).minor(1)
    secondary = drbd_probe.parse((DATA / "proc_drbd_connected_secondary_uptodate.txt").read_text()).minor(1)
    states = {"vm01": primary, "vm02": secondary}
    assert live_checks.replication(states, {"vm01": True, "vm02": False}, "/data") == []
    assert live_checks.replication(states, {"vm01": True, "vm02": True}, "/data") == [
        "vm02: /data is mounted, but vm02 is not the Primary"]
    alone = drbd_probe.parse((DATA / "proc_drbd_wfconnection.txt").read_text()).minor(1)
    found = live_checks.replication({"vm01": primary, "vm02": alone}, {"vm01": True, "vm02": False}, "/data")
    assert found and found[0].startswith("vm02: /proc/drbd reads cs:WFConnection")


def test_the_books_timings_pass_with_warnings_and_a_warntime_past_deadtime_fails() -> None:
    cf = parse_ha_cf((DATA / "ha_cf_vm01.txt").read_text())
    problems, warnings = live_checks.heartbeat_timings("vm01", cf)
    assert problems == []
    assert warnings == ["vm01: ha.cf initdead 12 s is below twice deadtime (20 s)",
                        "vm01: ha.cf names 1 communication path(s): one lost link splits the cluster (two "
                        "are advised: a second network or a serial cable)"]
    late = replace(cf, settings={**cf.settings, "warntime": "11"})
    assert live_checks.heartbeat_timings("vm01", late)[0] == [
        "vm01: ha.cf warntime 11 s is not between keepalive 1 s and deadtime 10 s"]


def test_ha_cf_names_the_nodes_as_uname_does() -> None:
    cf = parse_ha_cf((DATA / "ha_cf_vm01.txt").read_text())
    assert live_checks.ha_nodes("vm01", cf, {"vm01": "vm01", "vm02": "vm02"}) == []
    assert live_checks.ha_nodes("vm01", cf, {"vm01": "vm01", "vm02": "db2"}) == [
        "vm01: ha.cf's node lines name ['vm01', 'vm02'], the nodes' uname -n is ['db2', 'vm01']"]


def test_mariadbs_durability_as_the_lab_has_it_and_without_it() -> None:
    variables = mariadb.parse_variables((DATA / "mariadb_variables_vm01.txt").read_text())
    assert variables["datadir"] == "/data/mysql/"
    assert live_checks.durability("vm01", variables) == ([], [])
    lax = {**variables, "innodb_flush_log_at_trx_commit": "2", "log_bin": "ON", "sync_binlog": "0"}
    problems, warnings = live_checks.durability("vm01", lax)
    assert problems == ["vm01: MariaDB innodb_flush_log_at_trx_commit = 2, not 1: a commit acknowledged "
                        "before the crash may be lost"]
    assert warnings == ["vm01: MariaDB's binary log is on with sync_binlog = 0, not 1"]


def test_mariadb_looking_up_its_clients_names_is_warned_of() -> None:
    assert live_checks.client_lookup("vm01", {"skip_name_resolve": "ON"}) == []
    assert live_checks.client_lookup("vm01", {"skip_name_resolve": "OFF"}) == [
        "vm01: MariaDB skip_name_resolve = OFF, not ON: every new client's address is looked up at login, "
        "and a name server out of reach holds each connection for its timeout"]
    assert live_checks.client_lookup("vm01", {})[0].startswith("vm01: MariaDB skip_name_resolve = ?")


def test_mariadbs_greeting_names_its_version() -> None:
    packet = bytes.fromhex((DATA / "mariadb_greeting_vip.hex").read_text().strip())
    assert "MariaDB" in server_version(packet)
