"""DRBD's initial sync over the lab's cluster network, with the vector NICs' GRO off and on, side by side.

Run: .venv/bin/python bench/bench_drbd_resync.py [--seconds N]
Each case boots a lab of its own, starts the resource `test` on both nodes, promotes vm01 and reads
/proc/drbd's out-of-sync counter over N seconds, then counts the TCP segments vm01 retransmitted.
"""

from __future__ import annotations

import argparse
import time

from harness.clusters.drbd import DrbdPair
from harness.lab.providers import umlnode
from harness.lab.providers.uml import UmlLab
from harness.node import Node, on_each
from harness.ops import drbd as ops

SECRET = "bench-only-secret"


def resync_rate(gro: bool, seconds: float) -> tuple[float, int]:
    """KiB/s of the initial sync and vm01's TCP retransmissions, on a fresh lab."""
    umlnode.NIC_GRO = gro
    lab = UmlLab("drbd", f"bgro{int(gro)}")
    lab.up()
    nodes = {a.name: Node(a) for a in lab.nodes()}
    try:
        pair = DrbdPair(lab, nodes, SECRET)
        pair.ensure_blank()
        for name in pair.names:
            ops.create_md(nodes[name], pair.res, warn=False)
        on_each(list(nodes.values()), lambda n: ops.up(n, pair.res))
        pair.await_state("vm01", "cs:Connected ro:Secondary/Secondary")
        ops.promote(nodes["vm01"], pair.res, force=True)
        start, before = time.monotonic(), pair.state("vm01").counters["oos"]
        time.sleep(seconds)  # a fixed window: the figure is the rate over it
        after, elapsed = pair.state("vm01").counters["oos"], time.monotonic() - start
        retrans = nodes["vm01"].run("nstat -az TcpRetransSegs | awk '/TcpRetransSegs/ {print $2}'").stdout
        return (before - after) / elapsed, int(retrans.strip() or 0)
    finally:
        for node in nodes.values():
            node.close()
        lab.down()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seconds", type=float, default=15.0)
    args = ap.parse_args()
    rows = [(gro, *resync_rate(gro, args.seconds)) for gro in (False, True)]
    print(f"{'vector NIC':<14}{'resync KiB/s':>14}{'TCP retransmits':>18}")
    for gro, rate, retrans in rows:
        print(f"{'gro=' + str(int(gro)):<14}{rate:>14,.0f}{retrans:>18,}")
    print(f"gro=1 resyncs {rows[1][1] / max(rows[0][1], 1):.0f}x faster over {args.seconds:.0f} s")


if __name__ == "__main__":
    main()
