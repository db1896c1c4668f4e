"""Steps of features/rhcs/gfs2.feature: GFS2 on both members at once, and its journal recovery after a
member loses power (book 7.3, point 7)."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

import pytest
from pytest_bdd import given, parsers, then, when

from harness.clusters.pacemaker import GFS2_MOUNTPOINT, PacemakerCluster
from harness.lab.faults import Faults
from harness.ops import files
from harness.probes import kernlog, pcmk_log
from harness.report import attachments
from harness.verdicts import measurements
from harness.waiting import eventually

from .rhcs_common import takeover

WRITES_LOG = f"{GFS2_MOUNTPOINT}/writer.log"
LINES_AFTER_RECOVERY = 30


@given(parsers.parse("GFS2 with {journals:d} journals is on the second shared LUN, mounted on /shared on "
                     "{a} and {b} by the cluster"))
def _(pcmk: PacemakerCluster, journals: int, a: str, b: str) -> None:
    assert journals == len(pcmk.names), f"a journal per member: {len(pcmk.names)}, not {journals}"
    disk = pcmk.ensure_gfs2()
    attachments.parameter("GFS2 LUN", f"{disk.by_id} (LUN {disk.lun})")
    for name in (a, b):
        assert pcmk.gfs2_mounted(name), f"GFS2 is not mounted on {name}"


@when(parsers.parse("{name} writes a file to /shared"))
def _(pcmk: PacemakerCluster, name: str, facts: dict[str, Any]) -> None:
    token = uuid.uuid4().hex
    path = f"{GFS2_MOUNTPOINT}/from-{name}-{token[:8]}.txt"
    files.write(pcmk.node(name), path, token)
    facts.update(token=token, path=path)


@then(parsers.parse("{name} reads the same file from /shared at once"))
def _(pcmk: PacemakerCluster, name: str, facts: dict[str, Any]) -> None:
    got = pcmk.node(name).run(f"cat {facts['path']}", warn=True).stdout.strip()
    assert got == facts["token"], f"{name} reads {got!r} from {facts['path']}, not {facts['token']!r}"


@when(parsers.parse("{victim}'s power is cut while {writer} writes a line to /shared every 100 ms"))
def _(pcmk: PacemakerCluster, victim: str, writer: str, faults: Faults, facts: dict[str, Any]) -> None:
    node = pcmk.node(writer)
    pid = files.start_line_writer(node, WRITES_LOG)
    facts.update(writer=writer, writer_pid=pid, master=victim,
                 log_offset=pcmk.log_offsets(), kernel_since=node.run("date -u '+%F %T'").stdout.strip())
    eventually(lambda: _lines(pcmk, writer), lambda n: n >= 10, timeout=30, describe="the writer's lines")
    facts["fault_at"] = faults.power_off(victim)


def _lines(pcmk: PacemakerCluster, name: str) -> int:
    return int(pcmk.node(name).run(f"wc -l < {WRITES_LOG}").stdout.strip() or 0)


@then(parsers.parse("{survivor} fences {victim} and recovers {again}'s journal, as {survivor2}'s kernel log "
                    "shows"))
def _(pcmk: PacemakerCluster, survivor: str, victim: str, again: str, survivor2: str,
      facts: dict[str, Any]) -> None:
    assert (again, survivor2) == (victim, survivor), "the step names the nodes inconsistently"
    node = pcmk.node(survivor)
    text = eventually(lambda: kernlog.since(node, facts["kernel_since"]),
                      lambda t: bool(kernlog.recoveries(t)), timeout=180, interval=2.0,
                      describe=f"GFS2's journal recovery in {survivor}'s kernel log")
    attachments.attach_text(f"{survivor}'s kernel log (GFS2, DLM)",
                          "\n".join(line for line in text.splitlines() if "gfs2" in line or "dlm" in line))
    recovered = kernlog.recoveries(text)[0]
    events = takeover(pcmk, survivor, facts)
    fenced = pcmk_log.first(events, "fenced", victim)
    facts.update(recovered=recovered, fenced=fenced)
    assert recovered.result == "success", f"the journal recovery: {recovered}"
    assert fenced is not None, f"{survivor}'s pacemaker log shows no fencing of {victim}"
    assert fenced.at <= recovered.at, f"journal {recovered.jid} recovered at {recovered.at}, before " \
                                      f"{victim} was fenced at {fenced.at}"


@then(parsers.parse("{name} goes on writing to /shared after the recovery, every line it wrote there"))
def _(pcmk: PacemakerCluster, name: str, facts: dict[str, Any], request: pytest.FixtureRequest) -> None:
    node = pcmk.node(name)
    before = _lines(pcmk, name)
    eventually(lambda: _lines(pcmk, name), lambda n: n >= before + LINES_AFTER_RECOVERY, timeout=60,
               describe=f"{LINES_AFTER_RECOVERY} more lines in {WRITES_LOG}")
    files.stop_process(node, facts["writer_pid"])
    lines = [line.split() for line in node.run(f"cat {WRITES_LOG}").stdout.splitlines()]
    numbers = [int(n) for n, _ in lines]
    stamps = [float(t) for _, t in lines]
    longest = max(b - a for a, b in itertools.pairwise(stamps))
    attachments.parameter("lines written / longest pause", f"{len(numbers)} / {longest:.1f} s")
    origin = facts["origin"]
    phases = pcmk_log.phases(facts["events"], origin, facts["master"], {})
    phases["journal_recovered"] = round((facts["recovered"].at - origin).total_seconds(), 2)
    measurements.record({"scenario": request.node.name, "stack": "pacemaker", "fault": "power_off",
                         "filesystem": "gfs2", "acked": len(numbers),
                         "lost": len(set(range(1, len(numbers) + 1)) - set(numbers)),
                         "rto_s": round(longest, 2), "phases": phases, "violations": 0,
                         "fence_before_mount": None, "fence_before_recovery": True})
    assert numbers == list(range(1, len(numbers) + 1)), f"lines missing or repeated in {WRITES_LOG}"

