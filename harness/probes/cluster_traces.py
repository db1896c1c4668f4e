"""What a cluster left on a member: its units running or enabled, a CIB. None means no cluster ever ran
there, so removing the shipped corosync.conf is all a `pcs cluster destroy` would change."""

from __future__ import annotations

from harness.node import Node

UNITS = ("corosync", "pacemaker")
CIB = "/var/lib/pacemaker/cib/cib.xml"
# one command: each unit's is-active and is-enabled, then whether the CIB exists
_PROBE = (f"systemctl is-active {' '.join(UNITS)}; systemctl is-enabled {' '.join(UNITS)}; "
          f"test -e {CIB} && echo cib || echo none")


def parse(text: str) -> list[str]:
    """The traces in the probe's output: 'corosync active', 'pacemaker enabled', 'a CIB', ..."""
    words = text.split()
    if len(words) != 2 * len(UNITS) + 1:
        raise ValueError(f"expected {2 * len(UNITS) + 1} words from the cluster-traces probe, got {text!r}")
    active, enabled, cib = words[:len(UNITS)], words[len(UNITS):-1], words[-1]
    traces = [f"{u} {s}" for u, s in zip(UNITS, active, strict=True) if s not in ("inactive", "unknown")]
    traces += [f"{u} {s}" for u, s in zip(UNITS, enabled, strict=True) if s not in ("disabled", "masked")]
    return traces + (["a CIB"] if cib == "cib" else [])


def read(node: Node) -> list[str]:
    return parse(node.run(_PROBE, warn=True).stdout)
