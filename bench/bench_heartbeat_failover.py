"""Heartbeat's failover after a power cut of the master, with deadtime 10 s (hadrill's choice) and 5 s, side
by side: the canary's outage and its phases from the survivor's ha-log.

Run: .venv/bin/python bench/bench_heartbeat_failover.py [--runs N]
One lab of its own (bhb); for each deadtime, N power cuts of vm01 while the canary writes through the VIP.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

from benchlib import canary_and_faults, lab_nodes, outage_after, print_medians

from harness.clusters.drbd import DrbdPair
from harness.clusters.heartbeat import HeartbeatCluster
from harness.lab.providers.uml import UmlLab
from harness.node import Node

PASSWORD = "bench-only-canary"
PHASES = ("dead", "drbddisk", "Filesystem", "IPaddr", "mysql", "complete")


def one_cut(lab: UmlLab, ha: HeartbeatCluster, nodes: dict[str, Node], deadtime: int,
            run: int) -> dict[str, float]:
    """A power cut of vm01 under the canary; the outage and the phases, in seconds after the cut."""
    ha.cluster = replace(ha.cluster, deadtime_s=deadtime, warntime_s=min(4, deadtime - 1))
    ha.ensure_running()
    table = f"bench_d{deadtime}_r{run}_{int(time.time())}"
    with canary_and_faults(lab, nodes, ha.vip, PASSWORD, table) as (canary, faults):
        since = ha.log_cursors()["vm02"]
        cut = faults.power_off("vm01")
        ha.await_group("vm02")
        outage = outage_after(canary, cut)
        _, found = ha.phases("vm02", since, cut)
        return {"outage": outage, **found}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=2)
    args = ap.parse_args()
    with lab_nodes("drbd", "bhb") as (lab, nodes):
        pair = DrbdPair(lab, nodes, "bench-only-secret")
        ha = HeartbeatCluster(pair, lab.vip(), PASSWORD)
        results = {f"deadtime {d} s": [one_cut(lab, ha, nodes, d, r) for r in range(args.runs)]
                   for d in (10, 5)}
    print(f"power cut of vm01, {args.runs} runs each; median seconds after the cut (ha-log: whole seconds)")
    print_medians(results, ("outage", *PHASES))


if __name__ == "__main__":
    main()
