"""Steps of features/drbd: split brain and its repair (7.2 step 10), power cuts under each protocol."""

from __future__ import annotations

import time

import pytest
from pytest_bdd import given, then, when

from harness.clusters.drbd import DrbdPair
from harness.fixtures import measured_part_over
from harness.lab.faults import Faults
from harness.node import on_each
from harness.ops import drbd as ops
from harness.ops import drbd_verify, fs
from harness.probes import drbd as drbd_probe
from harness.probes import drbd_log, files, host
from harness.report import attachments
from harness.scenario import Scenario, need, need_capability
from harness.verdicts import history, measurements
from harness.verdicts.drbd_audit import RESYNC_BOUND_S
from harness.verdicts.measurements import Measurement
from harness.waiting import eventually, pause
from harness.workloads.ackwriter import AckWriter, parse_records

from . import book
from .drbd_common import WHOLE, attach_proc_drbd

FILES_PER_NODE = 3


# -- 7.2 step 10: split brain ----------------------------------------------------------------------
@when("both nodes disconnect resource test")
def _(pair: DrbdPair, scenario: Scenario) -> None:
    scenario.log_marks = pair.mark_logs("split brain")
    for name in pair.names:
        ops.disconnect(pair.node(name), pair.res)


@when(book.parse("{name} is made Primary too and mounts /data"))
def _(pair: DrbdPair, name: str) -> None:
    ops.promote(pair.node(name), pair.res)
    ops.mount(pair.node(name), pair.res.device, pair.mountpoint)


@when("each node writes files of its own to /data")
def _(pair: DrbdPair, scenario: Scenario) -> None:
    for name in pair.names:
        paths = [f"{pair.mountpoint}/{name}-{i}.txt" for i in range(1, FILES_PER_NODE + 1)]
        fs.write_random_files(pair.node(name), paths)
    scenario.written = {name: files.checksums(pair.node(name), pair.mountpoint) for name in pair.names}
    attachments.attach_json("files on each node before the repair", scenario.written)


@when("both nodes connect resource test again")
def _(pair: DrbdPair) -> None:
    on_each([pair.node(n) for n in pair.names], lambda node: ops.connect(node, pair.res))


@then("/proc/drbd reads StandAlone on a node that detected the split brain, StandAlone or WFConnection "
      "on the other")
def _(pair: DrbdPair, scenario: Scenario) -> None:
    states = pair.await_split_brain()
    scenario.detected = [name for name, seen in states.items() if seen.connection == "StandAlone"]
    for name, seen in states.items():
        want = f"cs:{seen.connection} ro:Primary/Unknown ds:UpToDate/DUnknown"
        assert seen.state == want, f"{name}: {seen.state!r}, not {want!r}"
        assert seen.connection != "StandAlone" or seen.protocol == "", (
            f"{name}: a StandAlone line with protocol {seen.protocol!r}")
        attach_proc_drbd(pair, name)
    attachments.parameter("detected the split brain", ", ".join(scenario.detected))


@then(book.parse('the kernel log of each node that detected it says "{line}"'))
def _(pair: DrbdPair, line: str, scenario: Scenario) -> None:
    for name in pair.names:
        log = drbd_log.since(pair.node(name), scenario.log_marks[name])
        seen = "\n".join(log.lines)
        attachments.attach_text(f"kernel log of {name}", seen)
        if name in need(scenario.detected, "the nodes that detected the split brain"):
            assert log.split_brain_detected and log.quote(line), f"{name}: no {line!r} in\n{seen}"


SPELLINGS = {"as the book prints it": True, "in DRBD 8.4's own spelling": False}   # as_printed


@when(book.parse("the split brain is repaired with the book's procedure {spelling}, {victim} the victim and "
                 "{survivor} the survivor"))
def _(pair: DrbdPair, spelling: str, victim: str, survivor: str, scenario: Scenario) -> None:
    assert spelling in SPELLINGS, f"no spelling of the victim's connect {spelling!r}: {list(SPELLINGS)}"
    scenario.victim, scenario.survivor = victim, survivor
    scenario.repair_marks = pair.mark_logs("repair")
    pair.repair_split_brain(victim, survivor, as_printed=SPELLINGS[spelling])


@then("an online verify (drbdadm verify) finds no block out of sync between the nodes")
def _(pair: DrbdPair, request: pytest.FixtureRequest) -> None:
    eventually(lambda: [pair.state(n) for n in pair.names], lambda states: all(map(drbd_probe.whole, states)),
               timeout=RESYNC_BOUND_S, interval=1.0, describe="DRBD whole on both nodes before the verify")
    measured_part_over(request.config)     # a comparison of the replicas: nothing of it is timed
    source = next((n for n in pair.names if pair.state(n).role == "Primary"), pair.names[0])
    peer = next(n for n in pair.names if n != source)
    result = drbd_verify.verify(pair.node(source), pair.node(peer), pair.res)
    attachments.parameter("online verify", f"{result.out_of_sync_kib} KiB out of sync, {result.took_s:.0f} s")
    attachments.attach_text(f"the kernel of {source} on the verify", result.kernel_says)
    found = result.out_of_sync_kib
    assert found == 0, f"the verify from {source} found {found} KiB out of sync:\n{result.kernel_says}"


@then("the resync after the repair was a bitmap resync, not a full one")
def _(pair: DrbdPair, scenario: Scenario) -> None:
    victim = scenario.victim
    log = eventually(lambda: drbd_log.since(pair.node(victim), scenario.repair_marks[victim]),
                     lambda seen: any(r.role == "SyncTarget" for r in seen.resyncs), timeout=60,
                     describe=f"a resync logged on {victim} after the repair")
    attachments.attach_text(f"kernel log of {victim} during the repair", "\n".join(log.lines))
    lines = "\n".join(log.lines)
    assert log.split_brain_solved_from == "peer", f"{victim} did not take the peer's data:\n{lines}"
    assert not log.full_sync, f"{victim} did a full sync: {log.quote('full sync')}"
    resyncs = [r for r in log.resyncs if r.role == "SyncTarget"]
    assert resyncs, f"no resync logged on {victim}"
    size_kib = host.block_size_bytes(pair.node(victim), pair.res.peer(victim).disk) // 1024
    attachments.parameter("resynced after the repair", f"{resyncs[0].kib} KiB of {size_kib} KiB")
    # a full sync moves the whole device; a bitmap resync only the blocks written while apart
    assert resyncs[0].kib < size_kib // 2, f"{resyncs[0].kib} KiB resynced of {size_kib}"


@then("after a switch-over to vm02, /data holds every file vm01 wrote and none of vm02's")
def _(pair: DrbdPair, scenario: Scenario) -> None:
    survivor, victim = scenario.survivor, scenario.victim
    pair.await_state(survivor, WHOLE)
    pair.switch_over(survivor, victim)
    scenario.after = after = files.checksums(pair.node(victim), pair.mountpoint)
    assert after == scenario.written[survivor], (
        f"{pair.mountpoint} on {victim} after the repair: {after}\n"
        f"{survivor} had written: {scenario.written[survivor]}")


@then(book.parse("the report lists the files discarded on {victim}, which are exactly the ones "
                 "{who} wrote"))
def _(victim: str, who: str, scenario: Scenario) -> None:
    before, after = scenario.written[victim], scenario.after
    discarded = sorted(path for path, digest in before.items() if after.get(path) != digest)
    attachments.attach_text(f"files discarded on {victim}", "\n".join(discarded) or "(none)")
    attachments.parameter("discarded files", f"{', '.join(discarded) or 'none'} ({len(discarded)})")
    own = sorted(f"{who}-{i}.txt" for i in range(1, FILES_PER_NODE + 1))
    assert discarded == own, f"discarded {discarded}, {who} wrote {own}"


# -- the protocol table: power cuts ----------------------------------------------------------------
@given(book.parse("the resource test is replicating with protocol {protocol}, vm01 Primary and /data "
                  "mounted on vm01"))
def _(pair: DrbdPair, protocol: str) -> None:
    if not pair.can("power"):
        pytest.skip(f"the {pair.provider_name} provider cannot cut a node's power")
    pair.ensure_replicating(book.host("vm01"), protocol=protocol, formatted=True, mounted=True, fresh_fs=True)


@when(book.parse("a writer on {name} appends fsync'ed numbered records to /data/records for {seconds:d} "
                 "seconds"))
def _(pair: DrbdPair, name: str, seconds: int, scenario: Scenario, machine_alone: float) -> None:
    writer = AckWriter(pair.node(name), f"{pair.mountpoint}/records")
    writer.start()
    scenario.writer = writer
    writer.wait_for(1, timeout=30)           # the first acknowledgement: the writer runs
    started = time.monotonic()
    writer.wait_for(10**9, timeout=seconds)  # a workload of this length, then the fault strikes
    scenario.write_s = time.monotonic() - started


@when(book.parse("{name}'s power is cut while the writer runs"))
def _(pair: DrbdPair, name: str, scenario: Scenario, faults: Faults) -> None:
    _cut_power(name, scenario, faults)


@when(book.parse("{name}'s cluster cable is pulled while the writer runs"))
def _(pair: DrbdPair, name: str, scenario: Scenario, faults: Faults) -> None:
    need_capability(pair.lab, "cut_link", "pull a node's cluster cable")
    scenario.pulled_at = faults.cut_link(name)


@when(book.parse("{name}'s power is cut {seconds:d} seconds later, while its /proc/drbd still reads "
                 "Connected"))
def _(pair: DrbdPair, name: str, seconds: int, scenario: Scenario, faults: Faults) -> None:
    pause(max(0.0, need(scenario.pulled_at, "the cable pull's time") + seconds - time.monotonic()))
    seen = pair.state(name)
    attachments.parameter(f"/proc/drbd on {name} just before the power cut", seen.state)
    assert seen.connection == "Connected", (
        f"{name} reads {seen.state!r} before its power cut: DRBD had already ended the connection, so "
        f"{name} wrote on alone and any protocol would lose what it acknowledged from there")
    _cut_power(name, scenario, faults)
    acks = need(scenario.acks, "the writer's acknowledgements")
    scenario.acks_after_pull = sum(1 for _, t in acks.acked if t > need(scenario.pulled_at, "the pull"))
    attachments.parameter("acknowledgements received after the cable was pulled", scenario.acks_after_pull)


def _cut_power(name: str, scenario: Scenario, faults: Faults) -> None:
    scenario.cut_at = faults.power_off(name)
    if scenario.writer is None:
        raise AssertionError("no writer was started in this scenario")
    scenario.acks = scenario.writer.stop()
    assert scenario.acks.numbers, "the writer had acknowledged nothing before the cut"


@then(book.parse("{name} sees its peer gone"))
def _(pair: DrbdPair, name: str, scenario: Scenario) -> None:
    pair.await_state(name, "cs:WFConnection", timeout=60)
    scenario.detect_s = round(time.monotonic() - need(scenario.cut_at, "the power cut's time"), 2)


@when(book.parse("{name} is made Primary and mounts /data"))
def _(pair: DrbdPair, name: str) -> None:
    ops.promote(pair.node(name), pair.res)
    ops.mount(pair.node(name), pair.res.device, pair.mountpoint)


@then(book.parse("the acknowledged records missing on {name} are counted and recorded for protocol "
                 "{protocol}"))
def _(pair: DrbdPair, name: str, protocol: str, scenario: Scenario) -> None:
    present = parse_records(files.read(pair.node(name), f"{pair.mountpoint}/records"))
    acks = need(scenario.acks, "the writer's acknowledgements")
    acked = acks.numbers
    verdict = history.judged(acks, present, name, ordered=True)    # an append-only file keeps the order
    lost = list(verdict.lost)
    scenario.present, scenario.verdict = present, verdict
    measurements.record(Measurement(
        scenario.name, "drbd", "power_off", acked=len(acked), lost=len(lost), protocol=protocol,
        present=len(present), unacked_present=len(set(present) - set(acked)), detect_s=scenario.detect_s,
        acks_after_pull=scenario.acks_after_pull,
        records_per_s=round(len(acked) / scenario.write_s, 1) if scenario.write_s else None,
        **history.figures(verdict)))
    if lost:
        attachments.attach_text("acknowledged records missing", " ".join(map(str, lost[:1000])))


@then(book.parse("protocol {protocol} lost {allowed} acknowledged records"))
def _(protocol: str, allowed: str, scenario: Scenario) -> None:
    present = set(need(scenario.present, "the records found on the survivor"))
    verdict = need(scenario.verdict, "the writer's history checked")
    holes = sorted(set(range(1, max(present, default=0) + 1)) - present)
    assert not holes, f"protocol {protocol}: the peer's records have holes (write order broken): {holes[:20]}"
    assert not verdict.anomalies_besides("lost"), \
        f"protocol {protocol}: the records on the peer: {verdict.summary()}"
    if allowed == "no":
        assert not scenario.lost, f"protocol {protocol} lost {len(scenario.lost)} acknowledged records"
    elif allowed == "some":
        assert scenario.lost, (f"protocol {protocol} lost none of its acknowledged records ("
                               f"{scenario.acks_after_pull} acknowledgements received after the pull)")
    else:
        raise ValueError(f"the feature may say 'no' or 'some' acknowledged records lost, not {allowed!r}")
