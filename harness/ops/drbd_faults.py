"""A failing backing disk under DRBD, made with the DRBD module's own fault injection (a kernel built with
CONFIG_DRBD_FAULT_INJECTION has its enable_faults, fault_rate and fault_devs parameters): every data
write DRBD sends to the node's backing disk, for the chosen minor, completes with an I/O error, as a
dying disk's would. Healing the disk stops that; `drbdadm adjust` then attaches it again as drbd.conf
says."""

from __future__ import annotations

from shlex import quote as q

from harness import kinds
from harness.node import Node, Result

PARAMETERS = "/sys/module/drbd/parameters"
DATA_WRITES = 1 << 4          # DRBD_FAULT_DT_WR: data written to the backing disk (the module's fault types)


def injectable(node: Node) -> bool:
    """Whether the node's DRBD module takes injected faults (built with CONFIG_DRBD_FAULT_INJECTION); a
    read."""
    return node.sh("test", "-w", f"{PARAMETERS}/enable_faults", warn=True).ok


@kinds.destructive
def fail_data_writes(node: Node, minor: int) -> Result:
    """From now on every data write to the backing disk of DRBD's minor fails (fault_rate 100 %)."""
    if not 0 <= minor < 32:
        raise ValueError(f"minor {minor}: the module's fault_devs mask holds minors 0 to 31")
    return node.run(f"test -w {PARAMETERS}/enable_faults && echo {1 << minor} > {PARAMETERS}/fault_devs && "
                    f"echo 100 > {PARAMETERS}/fault_rate && echo {DATA_WRITES} > {PARAMETERS}/enable_faults")


@kinds.change
def heal(node: Node, resource: str) -> Result:
    """No more injected faults; the resource brought back to drbd.conf (its disk attached again)."""
    return node.run(f"echo 0 > {PARAMETERS}/enable_faults && echo 0 > {PARAMETERS}/fault_rate && "
                    f"echo 0 > {PARAMETERS}/fault_devs && drbdadm adjust {q(resource)}", timeout=120)
