"""What the steps of features/rhcs share: the pacemaker cluster, and the phases of a fenced takeover."""

from __future__ import annotations

from typing import Any

import pytest

from harness.clusters.pacemaker import PacemakerCluster
from harness.lab.providers.base import Provider
from harness.node import Node
from harness.probes import pcmk_log
from harness.report import attachments

NEEDED_SECRETS = ("hacluster_password", "bmc_password", "mariadb_canary_password")


@pytest.fixture(scope="session")
def pcmk(lab: Provider, nodes: dict[str, Node], secrets: dict[str, str]) -> PacemakerCluster:
    """The book's 7.3 cluster on the lab: storage node, two members, fencing, the MySQL service."""
    missing = [name for name in NEEDED_SECRETS if name not in secrets]
    if missing:
        pytest.fail(f"no secret {', '.join(missing)}: give it in the lab's secrets or a secrets file")
    return PacemakerCluster(lab, nodes, secrets, name="rhcs")


def takeover(pcmk: PacemakerCluster, survivor: str, facts: dict[str, Any]) -> list[pcmk_log.Event]:
    """The survivor's pacemaker log since the fault (attached to the report), its events kept in facts
    with the fault's time on the survivor's clock."""
    text, events, origin = pcmk.takeover_log(survivor, facts["log_offset"][survivor], facts["fault_at"])
    attachments.attach_text(f"pacemaker.log of {survivor} from the fault on", text)
    facts.update(events=events, origin=origin)
    return events
