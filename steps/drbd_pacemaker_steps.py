"""Steps of features/drbd_pacemaker: book 7.2's DRBD and MariaDB run by pacemaker with fencing."""

from __future__ import annotations

from pytest_bdd import given, then

from harness.clusters.drbd_pacemaker import DrbdPacemakerCluster
from harness.ops import drbd as drbd_ops
from harness.ops import pacemaker_drbd as pd
from harness.probes import files
from harness.report import attachments
from harness.scenario import Scenario

from . import book
from .rhcs_common import fencing_problems

STACK = "drbd_pacemaker"     # measurements' name for book 7.2 on pacemaker


@given(book.parse("pacemaker runs mysql_service on {name}, DRBD Promoted there"))
def _(drbd_pcmk: DrbdPacemakerCluster, name: str, scenario: Scenario) -> None:
    scenario.stack = STACK      # its figures apart from the 7.3 cluster's, beside Heartbeat's on this pair
    assert name == drbd_pcmk.preferred, f"the service's preferred node is {drbd_pcmk.preferred}, not {name}"
    drbd_pcmk.mysql.ensure()


@then(book.parse("crm_mon shows drbd_data Promoted on {name} only and mysql_service started on {same}"))
def _(drbd_pcmk: DrbdPacemakerCluster, name: str, same: str) -> None:
    st = drbd_pcmk.status()
    res = st.resources.get(pd.DRBD_PRIMITIVE)
    attachments.parameter("drbd_data", f"{res.role} on {', '.join(res.nodes)}; Promoted on "
                                       f"{', '.join(res.promoted) or 'none'}" if res else "not in crm_mon")
    assert res is not None, f"crm_mon lists no {pd.DRBD_PRIMITIVE}"
    assert res.promoted == (name,), f"{pd.DRBD_PRIMITIVE} is Promoted on {res.promoted or 'no node'}"
    assert sorted(res.nodes) == sorted(drbd_pcmk.names), f"{pd.DRBD_PRIMITIVE} runs on {res.nodes}"
    assert st.group_on(drbd_pcmk.mysql.name) == same, f"{drbd_pcmk.mysql.name} runs on {st.group_on('x')}"


@then(book.parse("{name} is DRBD Primary with /data, the VIP and mysqld, and {other} is Secondary with "
                 "none of them"))
def _(drbd_pcmk: DrbdPacemakerCluster, name: str, other: str) -> None:
    held = {n: drbd_pcmk.mysql.holdings(n) for n in (name, other)}
    attachments.parameter("held", {n: h.summary() for n, h in held.items()})
    assert drbd_pcmk.mysql.holds(name), f"{name} holds {held[name].summary()}"
    h = held[other]
    assert h.role == "Secondary" and not (h.mounted or h.vip or h.mysqld), f"{other} holds {h.summary()}"


@then("stonith is enabled with a started fence device for each node")
def _(drbd_pcmk: DrbdPacemakerCluster) -> None:
    problems = fencing_problems(drbd_pcmk)
    assert not problems, "\n".join(problems)


@then("each node's drbd.conf has `fencing resource-and-stonith` and the crm-fence-peer.sh handlers")
def _(drbd_pcmk: DrbdPacemakerCluster) -> None:
    for name in drbd_pcmk.names:
        text = files.read(drbd_pcmk.node(name), drbd_ops.CONF_PATH)
        missing = [line.strip() for line in drbd_ops.FENCING.splitlines() if line.strip() not in text]
        assert not missing, f"{name}'s {drbd_ops.CONF_PATH} lacks {missing}"
