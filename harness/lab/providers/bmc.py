"""A lab node's virtual BMC: IPMI over LAN (pyghmi's BMC server) whose chassis power acts on the node.

The lab runs one per node that has a `bmc` address, inside its namespace on the cluster network, so a
fence agent in a node (fence_ipmilan) reaches it as it would a server's BMC. Power off is the lab's
pulled plug; power on boots the node and answers at once, as a BMC does not wait for the OS.
Run as `python -m harness.lab.providers.bmc LAB TOPOLOGY NODE ADDRESS`; the password comes in the
environment (HADRILL_BMC_PASSWORD), never on the command line where `ps` would show it.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harness.lab.providers.uml import UmlLab

from harness.lab.providers.base import BMC_USER
from harness.lab.providers.bmc_control import PASSWORD_ENV

USER = BMC_USER     # the user each member's fence device is given (providers/base.py)
PORT = 623


def say(node: str, what: str) -> None:
    """One line of the BMC's log (its stdout, kept under reports/consoles/)."""
    stamp = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    print(f"{stamp} bmc {node}: {what}", flush=True)


def make_bmc(lab: UmlLab, node: str, address: str, password: str) -> object:
    """The BMC server of `node`, bound to address:623."""
    from pyghmi.ipmi import bmc

    class LabBmc(bmc.Bmc):  # type: ignore[misc]
        def get_power_state(self) -> str:
            return "off" if node in lab.powered_off() else "on"

        def power_off(self) -> int:
            if node not in lab.powered_off():
                lab.power_off(node)
            say(node, "chassis power off: done")
            return 0

        def power_on(self) -> int:
            if node in lab.powered_off():
                lab.power_on(node, wait=False)
            say(node, "chassis power on: booting")
            return 0

        def power_cycle(self) -> int:
            self.power_off()
            return self.power_on()

        power_reset = power_cycle
        power_shutdown = power_off

    return LabBmc({USER: password}, port=PORT, address=address)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness.lab.providers.bmc", description=__doc__)
    for name in ("lab", "topology", "node", "address"):
        parser.add_argument(name)
    args = parser.parse_args(argv)
    password = os.environ.pop(PASSWORD_ENV, "")
    if not password:
        parser.error(f"{PASSWORD_ENV} is not set")
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # nodes this BMC boots are reaped when they die
    from pyghmi.ipmi import bmc

    from harness.lab.providers.uml import UmlLab
    server = make_bmc(UmlLab(args.topology, args.lab), args.node, args.address, password)
    say(args.node, f"listening on {args.address}:{PORT} (IPMI v2.0 lanplus, user {USER})")
    try:
        bmc.Bmc.listen(timeout=30)  # serves every BMC registered in this process: here, `server`
    finally:
        del server
    return 0


if __name__ == "__main__":
    sys.exit(main())
