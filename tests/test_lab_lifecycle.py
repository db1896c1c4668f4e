"""The embedded lab for real: faults, reset, idempotent up, two labs side by side, SIGKILL mid-boot."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from harness.lab.faults import Faults, power_on_any_off
from harness.lab.providers import labstate, netns, procs
from harness.lab.providers.base import ProviderError
from harness.lab.providers.uml import UmlLab
from harness.node import Node
from harness.report.secrets import REDACTOR
from harness.verdicts.kernel_audit import KernelAudit
from harness.verdicts.pacemaker_audit import PacemakerAudit
from harness.verdicts.process_lists import ProcessListWatch
from harness.waiting import eventually

pytestmark = pytest.mark.lab


@pytest.fixture(scope="module")
def lab() -> Iterator[UmlLab]:
    lab = UmlLab("drbd", "tfaults")
    lab.up()
    yield lab
    lab.down()


_OPEN: list[Node] = []


@pytest.fixture(autouse=True)
def _close_nodes() -> Iterator[None]:
    """Every connection a test opened is closed after it: a left-over one keeps its keepalive thread going
    (and logging) after the lab is gone."""
    yield
    while _OPEN:
        _OPEN.pop().close()


def _node(lab: UmlLab, name: str) -> Node:
    node = Node(lab.node(name))
    _OPEN.append(node)
    return node


def _pings(node: Node, address: str) -> bool:
    return node.sh("ping", "-c", "1", "-W", "1", address, warn=True, timeout=10).ok


def _reaches(node: Node, address: str) -> bool:
    """The link works again: a plugged-in cable may take a moment (ARP, the bridge port)."""
    eventually(lambda: _pings(node, address), bool, timeout=20, interval=0.2,
               describe=f"{node.name} to reach {address}")
    return True


def _pids(lab: UmlLab, node: str) -> list[int]:
    rec = labstate.load(lab.lab_name)
    assert rec is not None
    started = rec.nodes[node].started()
    return procs.members(started) if started else []


def test_up_again_is_a_no_op(lab: UmlLab) -> None:
    before = _pids(lab, "vm01")
    start = time.monotonic()
    lab.up()
    assert time.monotonic() - start < 5
    assert _pids(lab, "vm01") == before


def test_power_off_kills_every_process_and_power_on_boots_again(lab: UmlLab) -> None:
    vm01, vm02 = _node(lab, "vm01"), _node(lab, "vm02")
    vm02.run("echo survived > /root/mark && sync")
    assert _pids(lab, "vm02")
    lab.power_off("vm02")
    vm02.close()
    assert _pids(lab, "vm02") == []
    assert lab.status()["nodes"]["vm02"]["state"] == "off"  # type: ignore[index]
    assert not _pings(vm01, "192.168.8.23")
    lab.power_on("vm02")
    assert vm02.run("cat /root/mark").stdout.strip() == "survived"  # same disks after the cut
    assert _reaches(vm01, "192.168.8.23")


def test_freeze_stops_the_node_and_thaw_lets_it_go_on(lab: UmlLab) -> None:
    vm01 = _node(lab, "vm01")
    lab.freeze("vm02")
    try:
        assert all(procs.stopped(pid) for pid in _pids(lab, "vm02"))
        assert not _pings(vm01, "192.168.8.23")
    finally:
        lab.thaw("vm02")
    assert _reaches(vm01, "192.168.8.23")
    assert _node(lab, "vm02").run("uname -n").stdout.strip() == "vm02"


def test_cut_link_isolates_the_cluster_network_only(lab: UmlLab) -> None:
    vm01, vm02 = _node(lab, "vm01"), _node(lab, "vm02")
    lab.cut_link("vm02")
    try:
        assert lab.status()["nodes"]["vm02"]["link"] == "cut"  # type: ignore[index]
        assert not _pings(vm01, "192.168.8.23")
        assert vm02.run("uname -n").stdout.strip() == "vm02"  # management link still up
    finally:
        lab.restore_link("vm02")
    assert lab.status()["nodes"]["vm02"]["link"] == "up"  # type: ignore[index]
    assert _reaches(vm01, "192.168.8.23")


def test_reset_gives_fresh_nodes_with_empty_disks(lab: UmlLab) -> None:
    vm01 = _node(lab, "vm01")
    vm01.run("echo data | dd of=/dev/sdb conv=fsync status=none && touch /root/old")
    lab.reset()
    vm01.close()
    assert vm01.run("test -e /root/old", warn=True).exit_code == 1
    assert vm01.run("head -c 4096 /dev/sdb | tr -d '\\0' | wc -c").stdout.strip() == "0"


def test_a_kept_state_boots_again_on_its_disks_root_and_data(lab: UmlLab) -> None:
    vm01 = _node(lab, "vm01")
    vm01.run("echo kept > /root/state && printf kept | dd of=/dev/sdb conv=fsync status=none")
    lab.freeze("vm02")   # a frozen node is let go to power down, not left out
    lab.save_state("t-kept")
    assert lab.has_state("t-kept") and not lab.has_state("t-other")
    vm01.close()
    assert lab.status()["nodes"]["vm02"]["state"] == "running"  # type: ignore[index]
    vm01.run("echo changed > /root/state && sync && printf gone | dd of=/dev/sdb conv=fsync status=none")
    lab.restore_state("t-kept")
    vm01.close()
    assert vm01.run("cat /root/state").stdout.strip() == "kept"
    assert vm01.run("head -c 4 /dev/sdb").stdout == "kept"
    with pytest.raises(ProviderError, match="no complete state"):
        lab.restore_state("t-other")


def test_two_labs_at_once_do_not_see_each_other(lab: UmlLab) -> None:
    other = UmlLab("drbd", "tother")
    other.up()
    try:
        lab.power_off("vm02")  # 192.168.8.23 is now only up in the other lab
        try:
            assert not _pings(_node(lab, "vm01"), "192.168.8.23")
            assert _reaches(_node(other, "vm01"), "192.168.8.23")
        finally:
            lab.power_on("vm02")
        keys = {lab.known_hosts.read_text(), other.known_hosts.read_text()}
        assert len(keys) == 2
    finally:
        other.down()
    assert not netns.exists(other.ns)


def test_sigkill_mid_boot_then_down_leaves_nothing() -> None:
    name = "tkilled"
    up, rec = _start_up_and_wait_for_boot(name)
    os.kill(up.pid, signal.SIGKILL)
    up.wait()
    groups = [n.started() for n in rec.nodes.values()]
    assert any(g and procs.members(g) for g in groups), "nothing was left to sweep: the test proves nothing"
    assert netns.exists(netns.ns_name(name))
    down = subprocess.run([sys.executable, "-m", "harness.cli", "lab", "down", "--name", name],
                          capture_output=True, text=True)
    assert down.returncode == 0, down.stderr
    assert all(procs.members(g) == [] for g in groups if g)
    assert not netns.exists(netns.ns_name(name))
    assert labstate.load(name) is None


def _start_up_and_wait_for_boot(name: str) -> tuple[subprocess.Popen[bytes], labstate.LabRecord]:
    up = subprocess.Popen([sys.executable, "-m", "harness.cli", "lab", "up", "--name", name],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        rec = labstate.load(name)
        if rec and rec.phase == "booting" and all(n.process for n in rec.nodes.values()):
            return up, rec
        time.sleep(0.05)
    up.kill()
    raise AssertionError("the lab never reached its boot")


def test_ctrl_c_mid_boot_takes_the_lab_down() -> None:
    up, rec = _start_up_and_wait_for_boot("tint")
    up.send_signal(signal.SIGINT)
    assert up.wait(timeout=60) == 130
    assert all(procs.members(g) == [] for g in (n.started() for n in rec.nodes.values()) if g)
    assert not netns.exists(netns.ns_name("tint"))
    assert labstate.load("tint") is None


def test_a_scenarios_faults_are_undone_newest_first_a_node_powered_off_left_off(lab: UmlLab) -> None:
    nodes = {name: _node(lab, name) for name in ("vm01", "vm02")}
    faults = Faults(lab, nodes)
    faults.cut_link("vm02")
    faults.power_off("vm02")
    assert lab.status()["nodes"]["vm02"]["state"] == "off"  # type: ignore[index]
    assert faults.undo() == []
    status = lab.status()["nodes"]["vm02"]  # type: ignore[index]
    assert status["state"] == "off" and status["link"] == "up"
    assert [what for _, what in faults.log] == ["cut link vm02", "power off vm02",
                                                "left off until needed: vm02", "undo: restore link vm02"]
    assert power_on_any_off(lab, nodes) == ["vm02"]
    assert lab.status()["nodes"]["vm02"]["state"] == "running"  # type: ignore[index]
    assert _reaches(nodes["vm02"], lab.topology.node("vm01").address)
    assert power_on_any_off(lab, nodes) == []


def test_the_kernel_audit_sees_a_failure_report_and_reads_a_rebooted_node_from_its_boot(lab: UmlLab) -> None:
    """Negative control: a BUG line staged in vm01's kernel log after the mark fails the audit; vm02,
    powered off and on since its mark, is read from its boot and is clean; a node off is not read."""
    nodes = {name: _node(lab, name) for name in ("vm01", "vm02")}
    audit = KernelAudit.start(nodes, [])
    nodes["vm01"].run("echo 'BUG: hadrill staged failure report' > /dev/kmsg")
    lab.power_off("vm02")
    nodes["vm02"].close()
    assert KernelAudit(dict(audit.marks)).finish(nodes, ["vm02"]).unread == {"vm02": "off"}
    lab.power_on("vm02")
    done = audit.finish(nodes, [])
    assert list(done.failures) == ["vm01"]
    assert "BUG: hadrill staged failure report" in done.failures["vm01"][0]
    assert done.found["vm02"] == [], done.render()
    assert KernelAudit.start(nodes, []).finish(nodes, []).failures == {}


def test_the_pacemaker_audit_sees_a_resource_active_twice_staged_in_a_nodes_log(lab: UmlLab) -> None:
    """Negative control: a scheduler line staged in vm01's pacemaker.log after the audit began fails it;
    vm02, with no pacemaker.log, is not read at all."""
    nodes = {name: _node(lab, name) for name in ("vm01", "vm02")}
    log = "/var/log/pacemaker/pacemaker.log"
    nodes["vm01"].run(f"mkdir -p /var/log/pacemaker && echo 'hadrill: before the fault' >> {log}")
    nodes["vm02"].run(f"rm -f {log}")
    audit = PacemakerAudit.start(nodes, [])
    assert list(audit.cursors) == ["vm01"]
    nodes["vm01"].run(f"echo 'error: systemd resource mysql might be active on 2 nodes (attempting recovery)'"
                      f" >> {log}")
    done = audit.finish(nodes, [])
    assert list(done.failures) == ["vm01"], done.render()
    assert PacemakerAudit.start(nodes, []).finish(nodes, []).failures == {}
    nodes["vm01"].run(f"rm -f {log}")


def test_a_fault_repaired_by_the_scenario_is_not_undone_again(lab: UmlLab) -> None:
    faults = Faults(lab, {name: _node(lab, name) for name in ("vm01", "vm02")})
    faults.cut_link("vm01")
    faults.restore_link("vm01")
    assert lab.status()["nodes"]["vm01"]["link"] == "up"  # type: ignore[index]
    assert faults.undo() == []
    assert [what for _, what in faults.log] == ["cut link vm01", "restore link vm01"]
    with pytest.raises(ValueError, match="nothing to undo"):
        faults.power_on("vm01")


def test_what_goes_to_a_commands_stdin_is_not_on_its_command_line(lab: UmlLab) -> None:
    """The node's shell prints its own command line, then what came on stdin (cat ends only when stdin is
    closed): the secret is in the second part only. The transcript shows it as a here-document."""
    node = _node(lab, "vm01")
    seen = node.run("tr '\\0' ' ' < /proc/$$/cmdline; echo; cat", stdin="s3cret-on-stdin\n", timeout=30)
    cmdline, _, fed = seen.stdout.partition("\n")
    assert "tr" in cmdline and "s3cret" not in cmdline, cmdline
    assert fed == "s3cret-on-stdin\n"
    assert seen.command.endswith("<<'HADRILL_STDIN'\ns3cret-on-stdin\nHADRILL_STDIN")


def test_the_process_list_watch_finds_a_secret_on_a_command_line(lab: UmlLab) -> None:
    """The negative control of the process-list watch: a secret on a node's command line is found there,
    masked; before it, nothing is found on any node nor here."""
    secret = "hadrill-control-7f3a9c"
    REDACTOR.register(secret)
    watch = ProcessListWatch(lab.nodes(), interval_s=0.2)
    watch.start()
    try:
        eventually(lambda: dict(watch.watched.walks), lambda w: len(w) == 3 and min(w.values()) >= 2,
                   timeout=30, describe="two walks on each node and here")
        assert watch.watched.found == [], "a clean lab has a secret on a command line"
        _node(lab, "vm01").run(f"sh -c 'sleep 2' {secret}")
    finally:
        watched = watch.stop()
    assert {f.where for f in watched.found} == {"vm01"}, watched.found
    assert all(secret not in f.args and "***" in f.args for f in watched.found)
