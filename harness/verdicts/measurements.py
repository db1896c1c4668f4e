"""Measured figures of fault scenarios: one typed record each, one JSON line in reports/measurements.jsonl,
and the report's parameters (with a timeline of the phases). A figure not measured is absent."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from harness.paths import reports_dir
from harness.report import attachments, timeline
from harness.verdicts import claims

CORE = ("scenario", "stack", "fault", "acked", "lost")   # every record has these, whatever was measured


@dataclass(frozen=True)
class Measurement:
    """What one fault scenario measured. Only the core figures are always there; the rest are those the
    scenario observed."""

    scenario: str
    stack: str                                   # drbd, heartbeat, pacemaker
    fault: str                                   # power_off, freeze, cut_link, relocate, ...
    acked: int                                   # numbers the writer saw acknowledged
    lost: int                                    # acknowledged, then not found
    rto_s: float | None = None                   # the writer's longest outage after the fault
    phases: dict[str, float] = field(default_factory=dict)   # s after the fault, from the node's logs
    violations: int | None = None                # invariant episodes the monitor saw
    coverage: float | None = None                # share of the time the monitor read every live node
    protocol: str | None = None                  # DRBD's replication protocol
    present: int | None = None                   # numbers found on the survivor
    unacked_present: int | None = None           # found, though never acknowledged
    unexpected: int | None = None                # found, never attempted
    duplicated: int | None = None                # found more than once
    recovered: int | None = None                 # attempted, not acknowledged, found (fine)
    detect_s: float | None = None                # from the cut until the peer noticed
    acks_after_pull: int | None = None           # acknowledgements received after the cable was pulled
    records_per_s: float | None = None
    signal: str | None = None
    writes_resumed: bool | None = None
    longest_without_writes_s: float | None = None
    recovered_by: str | None = None
    first_outage_s: float | None = None
    rejoin_outage_s: float | None = None
    survivor: str | None = None
    to: str | None = None                        # where a relocation went
    filesystem: str | None = None
    fence_before_mount: bool | None = None
    fence_before_recovery: bool | None = None
    took_over_while_fence_broken: bool | None = None
    after_confirmation_s: float | None = None
    alone_after_s: float | None = None           # from a replication cut until the Primary went on alone
    without_redundancy_s: float | None = None    # from then until both nodes were UpToDate again
    resync_kib: int | None = None                # what the returning peer resynced
    fail_count: int | None = None                # the failed resource's fail count once recovered
    innodb_crash_recovery: bool | None = None    # InnoDB replayed its redo log at the server's start
    innodb_start_s: float | None = None          # from the server's start to ready for connections
    delay_ms: int | None = None                  # a slow link: each packet held back this long
    loss_pct: int | None = None                  # a lossy link: the share of packets lost
    packets_missed: int | None = None            # heartbeats the peer found missing (its ha-log)
    memberships: int | None = None               # corosync memberships formed during the fault (a member)
    late_tokens: int | None = None               # corosync tokens late beyond token_warning (a member)
    links_down: int | None = None                # knet links seen going down during it (a member)
    members_left: int | None = None              # memberships formed without a member (a member)

    def figures(self) -> dict[str, Any]:
        """The record as written: the core figures, and each other one that was measured."""
        data = asdict(self)
        return {k: v for k, v in data.items() if k in CORE or (v is not None and v != {})}


def path() -> Path:
    return reports_dir() / "measurements.jsonl"


def record(measurement: Measurement) -> None:
    """Append one measurement; its figures also become parameters of the test in the report."""
    figures = measurement.figures()
    out = path()
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "a") as f:     # the title: the name the runbook knows the scenario by
        f.write(json.dumps({**figures, "title": claims.title()}, sort_keys=True) + "\n")
    for key, value in figures.items():
        if key != "scenario":
            attachments.parameter(key, value)
    attachments.attach_json("measurement", figures)
    if measurement.phases:
        attachments.attach_svg("timeline", timeline.svg(measurement.phases))


def load(file: Path | None = None) -> list[dict[str, Any]]:
    file = file or path()
    if not file.exists():
        return []
    return [json.loads(line) for line in file.read_text().splitlines() if line.strip()]
