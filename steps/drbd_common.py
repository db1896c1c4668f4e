"""What the DRBD steps share: /proc/drbd as an attachment, the book's commands by their words, and a fault
that takes the replica away (Heartbeat's and pacemaker's areas alike): the Primary going on alone, DRBD's
port let through again, the pair whole again, the figures kept."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from harness.clusters.drbd import DrbdPair
from harness.lab.faults import Faults
from harness.node import Node, Result
from harness.ops import drbd as ops
from harness.probes import drbd
from harness.report import attachments
from harness.scenario import Scenario, need
from harness.verdicts import history, measurements
from harness.verdicts.measurements import Measurement
from harness.workloads.watch import ROWS_AFTER_RECOVERY, Watch, observe

ALONE_WITHIN_S = 90.0      # DRBD's timeout and ping-timeout are seconds; this bounds the wait generously
WHOLE = "cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate"     # a Primary with its replica back


def attach_proc_drbd(pair: DrbdPair, name: str, title: str = "") -> None:
    """/proc/drbd of a node as a named attachment of the step (the book shows it at each turn)."""
    attachments.attach_text(title or f"/proc/drbd on {name}", drbd.text(pair.node(name)))


def book_command(pair: DrbdPair, words: str) -> Callable[[Node], Result]:
    """The op that runs a command as the book writes it (`drbdadm create-md test`, ...) on a node, with the
    site's resource, devices and mount point."""
    commands: dict[str, Callable[[Node], Result]] = {
        "modprobe drbd": ops.load_module,
        "drbdadm create-md test": lambda n: ops.create_md(n, pair.res),
        "dd if=/dev/zero bs=1M count=1 of=/dev/sdb1": lambda n: ops.zero_start(n, pair.res.peer(n.name).disk),
        "/etc/init.d/drbd start": ops.start_service,
        "drbdadm primary test": lambda n: ops.promote(n, pair.res),
        "drbdadm secondary test": lambda n: ops.demote(n, pair.res),
        "mkfs.ext3 /dev/drbd1": lambda n: ops.mkfs(n, pair.res.device, pair.fs),
        "mount /dev/drbd1 /data": lambda n: ops.mount(n, pair.res.device, pair.mountpoint),
        "umount /data": lambda n: ops.umount(n, pair.mountpoint),
    }
    if words not in commands:
        raise KeyError(f"not a command of the book's DRBD chapter: {words!r}; known: {', '.join(commands)}")
    return commands[words]


def goes_on_alone(pair: DrbdPair, name: str, state: str, watch: Watch, scenario: Scenario) -> None:
    """The node reaches `state` (its peer gone) within ALONE_WITHIN_S of the fault, and the canary's rows are
    acknowledged again after it; when it went alone goes to the scenario and the report."""
    at = need(scenario.fault_at, "the fault's time")
    pair.await_state(name, state, timeout=ALONE_WITHIN_S)
    scenario.alone_at = time.monotonic()
    canary = watch.running_canary()
    before = len(canary.log.acked)
    got = canary.wait_for(before + ROWS_AFTER_RECOVERY, timeout=60)
    assert got >= before + ROWS_AFTER_RECOVERY, f"the canary's rows stopped: {canary.log.errors[-3:]}"
    attachments.parameter("DRBD alone after (s)", round(scenario.alone_at - at, 2))


def port_passes_after(faults: Faults, pair: DrbdPair, name: str, seconds: int, scenario: Scenario) -> None:
    """DRBD's port on the node let through again `seconds` after the fault."""
    observe(max(0.0, need(scenario.fault_at, "the fault's time") + seconds - time.monotonic()))
    scenario.restored_at = faults.pass_port(name, pair.site.interface, pair.res.port)


def caught_up(pair: DrbdPair, primary: str, scenario: Scenario) -> None:
    """The Primary whole again (its replica back, nothing out of sync); when, kept for the record."""
    resynced = pair.await_state(primary, WHOLE, timeout=120)
    scenario.resynced_at = time.monotonic()
    assert resynced.counters.get("oos") == 0, f"{primary}: oos:{resynced.counters.get('oos')}"


def record_replica_lost(scenario: Scenario, watch: Watch, stack: str, **more: Any) -> None:
    """A fault that took the replica away: rows acknowledged and lost, the canary's longest wait, when the
    Primary went on alone and how long it was without a replica, the monitor's findings."""
    acks = need(scenario.acks, "the canary's acknowledgements")
    at = need(scenario.fault_at, "the fault's time")
    alone = need(scenario.alone_at, "when the Primary went on alone")
    findings = watch.stop_monitor()
    outage = acks.outage_s(at)
    measurements.record(Measurement(
        scenario.name, stack, need(scenario.fault, "the fault"), acked=len(acks.numbers),
        lost=len(scenario.lost), rto_s=None if outage is None else round(outage, 2),
        violations=len(findings.episodes), coverage=findings.coverage, alone_after_s=round(alone - at, 2),
        without_redundancy_s=round(need(scenario.resynced_at, "the resync's end") - alone, 2),
        **history.figures(scenario.verdict), **more))
