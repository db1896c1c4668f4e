"""Benchmark of the holdings probe (mysqld, the cluster manager, the VIP, /data, DRBD's role: what the
invariant monitor and every takeover wait read, hundreds of times a run), on a node of a lab of its own,
side by side: the command it ran before (three `pidof` walks of /proc, `mountpoint`, two `sed`) against the
one it runs now (one walk by the shell's builtins; only `ip` started). Both read the same things; the
figures are the time per call through the node's open connection.

Run: .venv/bin/python bench/bench_holdings.py [--calls N]
"""

from __future__ import annotations

import argparse
import statistics
import time

from benchlib import lab_nodes

from harness.node import Node
from harness.probes import holdings

BEFORE = ('echo "mysqld: $(pidof mariadbd)"; echo "heartbeat: $(pidof heartbeat)"; '
          'echo "pacemaker: $(pidof pacemakerd)"; '
          "ip -o -4 addr show | sed 's/^/addr: /'; "
          'if mountpoint -q /data; then echo "mounted: yes"; else echo "mounted: no"; fi; '
          "sed -n 's/^ *1: /drbd: /p' /proc/drbd 2>/dev/null; true")


def per_call_ms(node: Node, command: str, calls: int) -> list[float]:
    times = []
    for _ in range(calls):
        start = time.monotonic()
        node.run(command)
        times.append((time.monotonic() - start) * 1000)
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--calls", type=int, default=100)
    args = ap.parse_args()
    now = holdings.command("/data", 1)
    with lab_nodes("drbd", "benchhold") as (_, nodes):
        node = nodes["vm01"]
        node.run("true")    # the connection is open before timing starts
        same = holdings.parse(node.run(BEFORE).stdout, "") == holdings.parse(node.run(now).stdout, "")
        before, after = per_call_ms(node, BEFORE, args.calls), per_call_ms(node, now, args.calls)
        empty = per_call_ms(node, "true", args.calls)
    b, a, e = (statistics.median(x) for x in (before, after, empty))
    print(f"{'ms per call (median of ' + str(args.calls) + ')':<34}{'before':>10}{'now':>10}{'ratio':>8}")
    print(f"{'holdings probe':<34}{b:>10.1f}{a:>10.1f}{b / a:>8.1f}")
    ib, ia = b - e, max(a - e, 0.1)
    print(f"{'the same less the round trip':<34}{ib:>10.1f}{ia:>10.1f}{ib / ia:>8.1f}")
    print(f"{'an empty command (`true`)':<34}{e:>10.1f}")
    print(f"both read the same holdings: {same}")


if __name__ == "__main__":
    main()
