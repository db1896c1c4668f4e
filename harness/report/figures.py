"""A fault scenario's measured figures as a reader sees them: a label and a value with its unit, in a
fixed order; a figure not measured is not shown."""

from __future__ import annotations

from typing import Any

LABELS = {   # key of measurements.jsonl: (what it is, its unit)
    "fault": ("fault", ""), "protocol": ("DRBD protocol", ""),
    "acked": ("writes acknowledged", ""), "lost": ("acknowledged, then not found (lost)", ""),
    "unexpected": ("found, never attempted", ""), "duplicated": ("found more than once", ""),
    "unacked_present": ("found, though never acknowledged", ""), "recovered": ("attempted, found", ""),
    "rto_s": ("outage: the longest time without a write after the fault", "s"),
    "first_outage_s": ("first outage", "s"), "rejoin_outage_s": ("outage when the node rejoined", "s"),
    "longest_without_writes_s": ("longest time without a write", "s"),
    "detect_s": ("from the cut until the peer noticed", "s"),
    "after_confirmation_s": ("takeover after the fence device confirmed", "s"),
    "alone_after_s": ("until the Primary went on alone", "s"),
    "without_redundancy_s": ("without a second up-to-date copy", "s"), "resync_kib": ("resynced", "KiB"),
    "violations": ("invariants broken (episodes)", ""), "coverage": ("time the monitor read every node", "%"),
    "records_per_s": ("writes per second", ""), "signal": ("signal", ""), "to": ("moved to", ""),
    "survivor": ("survivor", ""), "recovered_by": ("recovered by", ""), "filesystem": ("filesystem", ""),
    "writes_resumed": ("writes resumed", ""), "fail_count": ("the resource's fail count after it", ""),
    "acks_after_pull": ("acknowledged after the cable was pulled", ""),
    "fence_before_mount": ("fenced before the mount", ""),
    "fence_before_recovery": ("fenced before the journal recovery", ""),
    "took_over_while_fence_broken": ("took over while the fence device was broken", ""),
    "innodb_crash_recovery": ("InnoDB recovered from a crash", ""),
    "innodb_start_s": ("MariaDB's start, its crash recovery included", "s"),
    "delay_ms": ("each packet held back", "ms"), "late_tokens": ("corosync tokens late", ""),
    "memberships": ("corosync memberships formed", ""), "links_down": ("knet links gone down", ""),
}


def _value(value: Any, unit: str) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if unit == "%":
        return f"{value:.1%}"
    return f"{value} {unit}".rstrip()


def rows(measured: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) for each figure the record holds, in LABELS' order."""
    return [(label, _value(measured[key], unit)) for key, (label, unit) in LABELS.items()
            if measured.get(key) is not None]


def phases(measured: dict[str, Any]) -> list[tuple[str, float]]:
    """The timeline's phases, in the order they came (s after the fault)."""
    return sorted(measured.get("phases", {}).items(), key=lambda phase: phase[1])
