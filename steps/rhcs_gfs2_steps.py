"""Steps of features/rhcs/gfs2.feature: GFS2 on both members at once, and its journal recovery after a
member loses power (book 7.3, point 7)."""

from __future__ import annotations

import itertools
import uuid

from pytest_bdd import given, then, when

from harness.clusters.gfs2 import GFS2_MOUNTPOINT
from harness.clusters.pacemaker import PacemakerCluster
from harness.lab.faults import Faults
from harness.ops import files as file_ops
from harness.probes import files, kernlog, logs, pcmk_log
from harness.report import attachments
from harness.scenario import Scenario, need, need_capability
from harness.verdicts import measurements
from harness.verdicts.measurements import Measurement
from harness.waiting import eventually

from . import book
from .rhcs_common import takeover

WRITES_LOG = f"{GFS2_MOUNTPOINT}/writer.log"
LINES_AFTER_RECOVERY = 30


@given(book.parse("GFS2 with {journals:d} journals is on the second shared LUN, mounted on /shared on "
                  "{a} and {b} by the cluster"))
def _(pcmk: PacemakerCluster, journals: int, a: str, b: str) -> None:
    assert journals == len(pcmk.names), f"a journal per member: {len(pcmk.names)}, not {journals}"
    disk = pcmk.gfs2.ensure()
    attachments.parameter("GFS2 LUN", f"{disk.by_id} (LUN {disk.lun})")
    for name in (a, b):
        assert pcmk.gfs2.mounted(name), f"GFS2 is not mounted on {name}"


@when(book.parse("{name} writes a file to /shared"))
def _(pcmk: PacemakerCluster, name: str, scenario: Scenario) -> None:
    token = uuid.uuid4().hex
    path = f"{GFS2_MOUNTPOINT}/from-{name}-{token[:8]}.txt"
    file_ops.write(pcmk.node(name), path, token)
    scenario.token, scenario.path = token, path


@then(book.parse("{name} reads the same file from /shared at once"))
def _(pcmk: PacemakerCluster, name: str, scenario: Scenario) -> None:
    got = files.read(pcmk.node(name), scenario.path, warn=True).strip()
    assert got == scenario.token, f"{name} reads {got!r} from {scenario.path}, not {scenario.token!r}"


@when(book.parse("{victim}'s power is cut while {writer} writes a line to /shared every 100 ms"))
def _(pcmk: PacemakerCluster, victim: str, writer: str, faults: Faults, scenario: Scenario) -> None:
    need_capability(pcmk.lab, "power", "cut a node's power")
    node = pcmk.node(writer)
    scenario.writer_node, scenario.writer_log = writer, WRITES_LOG
    scenario.writer_pid = file_ops.start_line_writer(node, WRITES_LOG)
    scenario.master, scenario.log_cursors = victim, pcmk.log_cursors()
    scenario.kernel_since = logs.journal_now(node)
    eventually(lambda: files.line_count(node, WRITES_LOG), lambda n: n >= 10, timeout=30,
               describe="the writer's lines")
    scenario.fault_at = faults.power_off(victim)


@then(book.parse("{survivor} fences {victim} and recovers {again}'s journal, as {survivor2}'s kernel log "
                 "shows"))
def _(pcmk: PacemakerCluster, survivor: str, victim: str, again: str, survivor2: str,
      scenario: Scenario) -> None:
    assert (again, survivor2) == (victim, survivor), "the step names the nodes inconsistently"
    node = pcmk.node(survivor)
    since = need(scenario.kernel_since, "the writer's clock at the fault")
    text = eventually(lambda: logs.since(node, since),
                      lambda t: bool(kernlog.recoveries(t)), timeout=180, interval=2.0,
                      describe=f"GFS2's journal recovery in {survivor}'s kernel log")
    attachments.attach_text(f"{survivor}'s kernel log (GFS2, DLM)",
                          "\n".join(line for line in text.splitlines() if "gfs2" in line or "dlm" in line))
    recovered = kernlog.recoveries(text)[0]
    events = takeover(pcmk, survivor, scenario)
    fenced = pcmk_log.first(events, "fenced", victim)
    scenario.recovered, scenario.fenced = recovered, fenced
    assert recovered.result == "success", f"the journal recovery: {recovered}"
    assert fenced is not None, f"{survivor}'s pacemaker log shows no fencing of {victim}"
    assert fenced.at <= recovered.at, f"journal {recovered.jid} recovered at {recovered.at}, before " \
                                      f"{victim} was fenced at {fenced.at}"


@then(book.parse("{name} goes on writing to /shared after the recovery, every line it wrote there"))
def _(pcmk: PacemakerCluster, name: str, scenario: Scenario) -> None:
    node = pcmk.node(name)
    before = files.line_count(node, WRITES_LOG)
    eventually(lambda: files.line_count(node, WRITES_LOG), lambda n: n >= before + LINES_AFTER_RECOVERY,
               timeout=60, describe=f"{LINES_AFTER_RECOVERY} more lines in {WRITES_LOG}")
    file_ops.stop_process(node, need(scenario.writer_pid, "the writer's PID"))
    scenario.writer_pid = None
    lines = [line.split() for line in files.read(node, WRITES_LOG).splitlines()]
    numbers = [int(n) for n, _ in lines]
    stamps = [float(t) for _, t in lines]
    longest = max(b - a for a, b in itertools.pairwise(stamps))
    attachments.parameter("lines written / longest pause", f"{len(numbers)} / {longest:.1f} s")
    origin = need(scenario.origin, "the fault's time on the survivor's clock")
    recovered = need(scenario.recovered, "the journal's recovery")
    phases = pcmk_log.phases(scenario.events, origin, need(scenario.master, "the node whose power was cut"),
                             {})
    phases["journal_recovered"] = round((recovered.at - origin).total_seconds(), 2)
    measurements.record(Measurement(
        scenario.name, "pacemaker", "power_off", acked=len(numbers),
        lost=len(set(range(1, len(numbers) + 1)) - set(numbers)), filesystem="gfs2",
        rto_s=round(longest, 2), phases=phases,        # no invariant monitor here: no violations recorded
        fence_before_recovery=scenario.fenced.at <= recovered.at if scenario.fenced else None))
    assert numbers == list(range(1, len(numbers) + 1)), f"lines missing or repeated in {WRITES_LOG}"

