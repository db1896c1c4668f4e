"""pacemaker's fenced failover (book 7.3) after a power cut and after a freeze of node1, side by side: the
canary's outage and its phases from node2's pacemaker log (detection, fencing, filesystem, IP, database).

Run: .venv/bin/python bench/bench_rhcs_failover.py [--runs N]
One lab of its own (brh); for each fault, N runs while the canary writes through the VIP.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from benchlib import canary_and_faults, lab_nodes, outage_after, print_medians

from harness.clusters.pacemaker import PacemakerCluster
from harness.lab.providers.uml import UmlLab
from harness.node import Node
from harness.ops import pacemaker as pm
from harness.probes import pcmk_log

PHASES = ("detection", "fence_requested", "fenced", *pm.SERVICE_PHASES.values())


def one_failover(lab: UmlLab, pcmk: PacemakerCluster, nodes: dict[str, Node], fault: str,
                 run: int) -> dict[str, float]:
    """One fault of node1 under the canary; the outage and the phases, in seconds after the fault."""
    pcmk.mysql.ensure()
    table = f"bench_{fault}_{run}"
    with canary_and_faults(lab, nodes, pcmk.mysql.vip, pcmk.mysql.canary_password, table) as (canary, faults):
        since = pcmk.log_cursors()["node2"]
        inject: Callable[[str], float] = faults.power_off if fault == "power_off" else faults.freeze
        at = inject("node1")
        pcmk.mysql.await_on("node2")
        outage = outage_after(canary, at)
        _, events, origin = pcmk.takeover_log("node2", since, at)
        found = pcmk_log.phases(events, origin, "node1", pm.SERVICE_PHASES)
        return {"outage": outage, **found}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=2)
    args = ap.parse_args()
    with lab_nodes("rhcs", "brh") as (lab, nodes):
        pcmk = PacemakerCluster(lab, nodes, lab.secrets(), name="rhcs")
        results = {f: [one_failover(lab, pcmk, nodes, f, r) for r in range(args.runs)]
                   for f in ("power_off", "freeze")}
    print(f"node1 fenced by node2, {args.runs} runs each; median seconds after the fault")
    print_medians(results, ("outage", *PHASES))


if __name__ == "__main__":
    main()
