"""A node's holdings streamed: one shell loop on the node reads them every interval and prints a line,
timestamped by the node's time since boot (/proc/uptime: a step of the wall clock moves neither the
stamps nor the loop's sleep), on one SSH channel that stays open.

The loop uses only the shell's builtins (no program is started per sample: inside a node each one costs
more than the reading): the VIP from the kernel's local routes (/proc/net/fib_trie), the mount from
/proc/mounts, DRBD's role from /proc/drbd, each file taken whole by mapfile (a `read` loop costs five
times as much in a node), and every 5th sample the processes by a walk of /proc (14 ms in a lab node: the
costliest reading, and the processes change less suddenly than an address or a role); it sleeps with
`read -t` on a FIFO of its own for what is left of the interval. The readings come in the reverse of the
order a cluster starts them, as in holdings.py.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from harness.probes.errors import ParseError
from harness.probes.holdings import PROCESS_WALK, Holdings, as_in_proc_mounts

INTERVAL_S = 0.1        # 10 samples a second: the VIP, the mount, DRBD's role
PROCESSES_EVERY = 5     # the walk of /proc for the processes: every 5th sample (twice a second)

_LOOP = r"""
f=$(mktemp -u) && mkfifo "$f" && exec 3<>"$f" && rm -f "$f" || exit 97
i=0; m=0; h=0; p=0
while :; do
  read -r t _ < /proc/uptime; s=${t/./}
  fresh=0
  if (( i++ % EVERY == 0 )); then
    fresh=1; m=0; h=0; p=0
    @PROCESS_WALK@
  fi
  v=0; a=
  mapfile -t L < /proc/net/fib_trie
  for l in "${L[@]}"; do
    l=${l#"${l%%[![:space:]]*}"}
    case "$l" in "|-- "*) a=${l#|-- };; "/32 host LOCAL"*) [ "$a" = "$VIP" ] && v=1;; esac
  done
  x=0
  mapfile -t L < /proc/mounts
  for l in "${L[@]}"; do l=${l#* }; [ "${l%% *}" = "$MP" ] && x=1; done
  ro=Unconfigured
  if [ -r /proc/drbd ]; then
    mapfile -t L < /proc/drbd
    for l in "${L[@]}"; do
      l=${l#"${l%%[![:space:]]*}"}
      case "$l" in "$MINOR: "*) ro=${l#*ro:}; ro=${ro%%/*};; esac
    done
  fi
  echo "$t procs=$fresh mysqld=$m heartbeat=$h pacemaker=$p vip=$v mounted=$x role=$ro"
  read -r e _ < /proc/uptime; e=${e/./}; w=$(( INTERVAL_US - (10#$e - 10#$s) * 10000 ))
  (( w > 0 )) && printf -v w '%d.%06d' $(( w / 1000000 )) $(( w % 1000000 )) && read -r -t "$w" -u 3
done
""".replace("@PROCESS_WALK@", PROCESS_WALK)


@dataclass(frozen=True)
class Sample:
    at: float           # seconds since the node booted when the sample began (1/100 s steps)
    held: Holdings      # the processes as last walked (this sample's walk if processes_read)
    processes_read: bool


def command(vip: str, mountpoint: str, minor: int, interval_s: float = INTERVAL_S,
            processes_every: int = PROCESSES_EVERY) -> str:
    """The loop, for bash; it runs until its channel is closed. Each sample starts
    interval_s after the one before (the sleep is what is left of it)."""
    env = (f"VIP={shlex.quote(vip)} MP={shlex.quote(as_in_proc_mounts(mountpoint))} MINOR={int(minor)} "
           f"INTERVAL_US={round(interval_s * 1e6)} EVERY={int(processes_every)}")
    return f"{env} exec bash -c {shlex.quote(_LOOP)}"


def parse_line(line: str) -> Sample:
    """One line of the loop's output."""
    stamp, _, rest = line.strip().partition(" ")
    fields = dict(word.partition("=")[::2] for word in rest.split())
    try:
        return Sample(float(stamp), Holdings(
            mysqld=fields["mysqld"] == "1", vip=fields["vip"] == "1", mounted=fields["mounted"] == "1",
            role=fields["role"] or "Unconfigured", heartbeat=fields["heartbeat"] == "1",
            pacemaker=fields["pacemaker"] == "1"), fields["procs"] == "1")
    except (KeyError, ValueError):
        raise ParseError("a line of the holdings stream",
                         "UPTIME procs= mysqld= heartbeat= pacemaker= vip= mounted= role=", line) from None
