"""A host's fence device as a site gives it in an inventory (the Pacemaker part of the site profile):

    fence: {agent: fence_ipmilan, ip: 192.0.2.21, username: admin}   # its password: secrets.bmc_password

The agent is the one hadrill configures (IPMI over LAN, lanplus); the password is never in the inventory,
only a reference to it under `secrets:`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from harness.lab.problems import Checker, did_you_mean

FENCE_KEYS = {"agent", "ip", "username"}
IPMI_AGENT = "fence_ipmilan"
AGENTS = (IPMI_AGENT,)           # what `pcs stonith create` is given here (see ops/pacemaker.py)
USERNAME_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.@-]{0,31}")


@dataclass(frozen=True)
class FenceDevice:
    agent: str
    ip: str              # the BMC's address, reached from the cluster's members
    username: str


def parse(c: Checker, where: str, raw: Any) -> FenceDevice | None:
    """The host's fence device, or None where the host gives none (problems in c)."""
    if raw is None:
        return None
    data = c.mapping(f"{where}.", raw, FENCE_KEYS)
    if not isinstance(raw, dict):
        return None
    agent = c.text(f"{where}.agent", data.get("agent"))
    if agent and agent not in AGENTS:
        c.problems.append(f"{where}.agent: {agent!r} is not an agent hadrill configures"
                          + did_you_mean(agent, list(AGENTS), "agents"))
    return FenceDevice(agent=agent, ip=c.ip(f"{where}.ip", data.get("ip")),
                       username=c.matching(f"{where}.username", data.get("username"), USERNAME_RE,
                                           "a BMC user name"))
