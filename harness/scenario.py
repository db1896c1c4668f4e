"""What one scenario carries from step to step: a typed record, made fresh for each scenario (the
`scenario` fixture), so that a Then step reads what its When step saw and nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

import pytest
from pytest_bdd.scenario import scenario_wrapper_template_registry

from harness.lab.providers.base import Provider
from harness.node import Result
from harness.ops.iscsi import Export
from harness.probes.corosync_log import LinkChanges
from harness.probes.crm_mon import FenceEvent
from harness.probes.kernlog import Recovery
from harness.probes.logs import Cursor
from harness.probes.pcmk_log import Event
from harness.verdicts.history import Verdict
from harness.workloads.acks import AckLog
from harness.workloads.ackwriter import AckWriter

if TYPE_CHECKING:
    from harness.clusters.fencing import FenceMark

T = TypeVar("T")


def need(value: T | None, what: str) -> T:
    """A value an earlier step of the scenario must have recorded; a clear failure if none did (never a
    default standing in for it)."""
    if value is None:
        raise AssertionError(f"no earlier step of this scenario recorded {what}")
    return value


def need_capability(lab: Provider, capability: str, fault: str) -> None:
    """Skip the scenario, naming what is missing, where the provider cannot inject the fault it needs
    (checked at the fault itself: a scenario that needs no fault of that kind runs)."""
    if not getattr(lab.capabilities, capability):
        pytest.skip(f"the {lab.name} provider cannot {fault} (no {capability!r} capability)")


@dataclass
class Move:
    """One relocation of a service: to which node, when (monotonic), and where each node's log stood."""

    to: str
    at: float
    log_cursors: dict[str, Cursor]


@dataclass
class Scenario:
    """The facts of one scenario, by what they are about."""

    name: str = ""                                  # the test's name (measurements and verdicts carry it)
    stack: str = ""                                 # the cluster stack its figures are kept under, if set
    # -- the fault ----------------------------------------------------------------------------------
    fault: str | None = None                        # power_off, freeze, cut_link, standby, kill_mysqld, ...
    master: str | None = None                       # the node the fault struck (the one serving before)
    fault_at: float | None = None                   # monotonic time of the fault
    log_cursors: dict[str, Cursor] = field(default_factory=dict)   # each node's cluster log before it
    log_marks: dict[str, Cursor] = field(default_factory=dict)     # each node's kernel log before it
    restored_at: float | None = None                # the cable plugged back
    rejoin_at: float | None = None                  # the master back in the cluster
    signal: str = ""                                # what killed mysqld or a cluster daemon
    daemon: str = ""                                # the cluster daemon killed
    outcome: str = ""                               # what the cluster did about it: respawned, fenced
    left_on: str = ""                               # the node serving once the cluster settled
    restarts_before: int | None = None              # mariadb.service's restarts before the kill
    fail_count_before: int | None = None            # the resource's fail count before it
    fail_count_after: int | None = None             # and once the cluster recovered it
    survivor_boot: str | None = None                # the boot ID of a node that must not be fenced
    fencing_before: tuple[FenceEvent, ...] = ()     # the cluster's fencing history before the fault
    phases: dict[str, float] = field(default_factory=dict)   # noted as it went, s after the fault
    fence_mark: FenceMark | None = None             # the fence devices' records before the fault
    corosync_logs: dict[str, Cursor] = field(default_factory=dict)   # each member's corosync.log before it
    delay_ms: int | None = None                     # what a slow link held each packet back
    link_changes: dict[str, LinkChanges] = field(default_factory=dict)   # each member's corosync.log on it
    links_seen: dict[int, dict[int, str]] | None = None   # corosync's links while one was cut
    # -- writers and what they acknowledged ---------------------------------------------------------
    writer: AckWriter | None = None
    write_s: float = 0.0                            # how long the record writer ran before the fault
    cut_at: float | None = None                     # the power cut under the record writer
    pulled_at: float | None = None                  # the cluster cable pulled under the record writer
    acks_after_pull: int | None = None              # acknowledgements received after that (some of
                                                    # records written before it, still on their way)
    detect_s: float | None = None                   # from the cut until the peer saw it
    link_dead_s: float | None = None                # from a channel's cut until the peer said it dead
    link_up_s: float | None = None                  # from its heal until the peer said it up
    loss_pct: int | None = None                     # a lossy link's share of packets lost
    packets_missed: int | None = None               # what the peer's cluster stack found missing
    acks: AckLog | None = None
    present: list[int] | None = None                # numbers found on the survivor, in their order
    verdict: Verdict | None = None                  # the writer's history checked against them
    alone_at: float | None = None                   # the Primary going on without its peer
    resynced_at: float | None = None                # both nodes UpToDate again
    resync_kib: int | None = None
    # -- DRBD's split brain -------------------------------------------------------------------------
    written: dict[str, dict[str, str]] = field(default_factory=dict)   # node -> path -> md5 before repair
    after: dict[str, str] = field(default_factory=dict)                # path -> md5 after the switch-over
    detected: list[str] | None = None               # the nodes left StandAlone by the split brain
    victim: str = ""
    survivor: str = ""
    repair_marks: dict[str, Cursor] = field(default_factory=dict)
    aa_md5: str = ""                                # the book's aa.txt, before the switch-over
    promoted_by: str = ""
    # -- where the group went -----------------------------------------------------------------------
    after_return: str | None = None                 # the holder once the master had rejoined
    second_outage_s: float | None = None
    group_back_at: float | None = None              # the group on one node again after a partition
    started_at: float | None = None                 # Heartbeat started by the scenario
    group_at: dict[str, float] = field(default_factory=dict)
    log_cursor: Cursor | None = None                # one node's ha-log before a start
    start: Result | None = None                     # the result of that start
    # -- pacemaker's takeover -----------------------------------------------------------------------
    events: list[Event] = field(default_factory=list)
    origin: datetime | None = None                  # the fault on the survivor's clock
    fence_before_mount: bool | None = None
    fence_evidence: str = ""
    service_up_at: float | None = None
    frozen_pid: int | None = None
    thawed: str = ""
    moves: list[Move] = field(default_factory=list)
    fence_failed_at: float | None = None
    took_over_while_broken: bool | None = None      # seen by the monitor while the fence device was broken
    confirmed_at: float | None = None
    boot_id: str | None = None
    # -- shared storage and GFS2 --------------------------------------------------------------------
    target: Export | None = None                    # the storage node's iSCSI export
    token: str = ""
    path: str = ""
    writer_node: str = ""
    writer_pid: str | None = None                   # the line writer's, until it is stopped
    writer_log: str = ""                            # the file it appends to
    kernel_since: Cursor | None = None              # the writer's node journal at the fault
    recovered: Recovery | None = None
    fenced: Event | None = None
    lun: str = ""                                   # the shared LUN storage fencing guards (by-id path)
    clock_before: float | None = None               # a node's clock offset just before it was stepped
    keys: dict[str, str] = field(default_factory=dict)   # each member's reservation key on it

    @property
    def lost(self) -> list[int]:
        """Acknowledged, not found: what the writer's history checked says (nothing before it is)."""
        return list(self.verdict.lost) if self.verdict else []


def is_scenario(item: pytest.Item) -> bool:
    """True for a test pytest-bdd made of a feature's scenario."""
    func = getattr(item, "obj", None)
    return callable(func) and func in scenario_wrapper_template_registry
