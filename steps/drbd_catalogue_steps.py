"""Steps of the fault catalogue's DRBD scenarios (features/drbd/inconsistent_peer.feature): a replica
behind, a resync under way, its source lost; what DRBD lets the other node do."""

from __future__ import annotations

import time

from pytest_bdd import then, when

from harness.clusters.drbd import DrbdPair
from harness.lab.faults import Faults
from harness.ops import drbd as ops
from harness.ops import files as file_ops
from harness.probes import drbd_log, logs
from harness.report import attachments
from harness.scenario import Scenario, need, need_capability

from . import book

REFUSED = "Need access to UpToDate data"      # drbdsetup's refusal to promote without an UpToDate disk


@when(book.parse("{behind} falls behind: disconnected while {name} writes {mib:d} MiB to /data"))
def _(pair: DrbdPair, behind: str, name: str, mib: int, scenario: Scenario) -> None:
    ops.disconnect(pair.node(behind), pair.res)
    pair.await_state(name, "cs:WFConnection ro:Primary/Unknown ds:UpToDate/DUnknown", timeout=30)
    file_ops.fill(pair.node(name), f"{pair.mountpoint}/behind.bin", mib)
    scenario.log_marks = pair.mark_logs("behind")


@when(book.parse("{behind} reconnects with its resync slowed to {kib:d} KiB/s"))
def _(pair: DrbdPair, behind: str, kib: int) -> None:
    for name in pair.names:
        ops.slow_resync(pair.node(name), pair.res, f"{kib}K")
    ops.connect(pair.node(behind), pair.res)
    pair.await_state(behind, "cs:SyncTarget ro:Secondary/Primary ds:Inconsistent/UpToDate", timeout=60)


@when(book.parse("{name}'s power is cut while {behind} is SyncTarget, its data Inconsistent"))
def _(pair: DrbdPair, name: str, behind: str, faults: Faults, scenario: Scenario) -> None:
    need_capability(pair.lab, "power", "cut a node's power")
    seen = pair.state(behind)
    attachments.parameter(f"/proc/drbd on {behind} before the cut",
                          f"{seen.state} oos:{seen.counters.get('oos')}")
    assert seen.connection == "SyncTarget", f"{behind} reads {seen.state}: the resync is not under way"
    scenario.fault, scenario.master = "power_off_sync_source", name
    scenario.cut_at = faults.power_off(name)


@then(book.parse("{behind} sees its peer gone, its data still Inconsistent"))
def _(pair: DrbdPair, behind: str, scenario: Scenario) -> None:
    seen = pair.await_state(behind, "cs:WFConnection ro:Secondary/Unknown ds:Inconsistent/DUnknown",
                            timeout=60)
    scenario.detect_s = round(time.monotonic() - need(scenario.cut_at, "the power cut's time"), 2)
    attachments.parameter("peer gone after (s)", scenario.detect_s)
    attachments.parameter(f"left to resync on {behind} (KiB)", seen.counters.get("oos"))


@then(book.parse("drbdadm primary on {behind} is refused: it needs access to UpToDate data"))
def _(pair: DrbdPair, behind: str) -> None:
    tried = ops.try_promote(pair.node(behind), pair.res)
    said = (tried.stdout + tried.stderr).strip()
    attachments.attach_text(f"drbdadm primary on {behind}", f"exit {tried.exit_code}\n{said}")
    assert not tried.ok and REFUSED in said, f"drbdadm primary on {behind}: exit {tried.exit_code}: {said}"
    assert pair.state(behind).role == "Secondary", f"{behind}: {pair.state(behind).state}"


@when(book.parse("{name} is powered on and DRBD started on it, and drbd.conf's resync rate is back on both "
                 "nodes"))
def _(pair: DrbdPair, name: str, faults: Faults) -> None:
    faults.power_on(name)
    ops.start_service(pair.node(name))        # the book: DRBD does not start at boot
    for each in pair.names:
        ops.adjust(pair.node(each), pair.res)


@then(book.parse("the resync goes on and completes: both nodes UpToDate, oos:0, {behind} never Primary"))
def _(pair: DrbdPair, behind: str, scenario: Scenario) -> None:
    done = pair.await_state(behind, "cs:Connected ro:Secondary/Secondary ds:UpToDate/UpToDate", timeout=180)
    assert done.counters.get("oos") == 0, f"{behind}: oos:{done.counters.get('oos')}"
    log = drbd_log.parse(logs.since(pair.node(behind), scenario.log_marks[behind]))
    attachments.attach_text(f"DRBD in {behind}'s kernel log from the fall-behind on", "\n".join(log.lines))
    promoted = [ln for ln in log.lines if "role( Secondary -> Primary )" in ln]
    assert not promoted, f"{behind} was Primary: {promoted[0]}"
    targets = [r for r in log.resyncs if r.role == "SyncTarget"]
    assert len(targets) >= 2, f"{behind} logged {len(targets)} resyncs as SyncTarget, not one and its sequel"
    attachments.parameter("resyncs on the way (KiB)", ", ".join(str(r.kib) for r in targets))
