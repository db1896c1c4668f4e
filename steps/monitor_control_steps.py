"""Steps of features/drbd/invariant_monitor.feature: the invariant monitor's negative controls, a double
VIP and a double Primary staged on purpose while it watches."""

from __future__ import annotations

import pytest
from pytest_bdd import given, then, when

from harness.clusters.drbd import DrbdPair
from harness.clusters.heartbeat import HeartbeatCluster
from harness.ops import drbd as ops
from harness.ops import heartbeat as hb
from harness.ops import staging
from harness.report import attachments
from harness.waiting import pause
from harness.workloads.invariants import UNREAD_BOUND_S, Episode
from harness.workloads.watch import Watch

from . import book


@given(book.parse("{name} holds the VIP"))
def _(ha: HeartbeatCluster, name: str, request: pytest.FixtureRequest) -> None:
    staging.hold_vip(ha.node(name), ha.vip, ha.site)
    request.addfinalizer(lambda: hb.release_vip(ha.node(name), ha.vip, ha.site))


@when(book.parse("{name} also holds the VIP for {ms:d} ms"))
def _(ha: HeartbeatCluster, name: str, ms: int) -> None:
    staging.hold_vip_for(ha.node(name), ha.vip, ha.site, ms / 1000)


@when(book.parse("{name} disconnects and is made Primary by force for {seconds:d} second, then "
                 "reconnects discarding its data"))
def _(pair: DrbdPair, name: str, seconds: int) -> None:
    node = pair.node(name)
    ops.disconnect(node, pair.res)
    ops.promote(node, pair.res, force=True)
    pause(seconds)     # the double Primary's length
    ops.demote(node, pair.res)
    ops.connect(node, pair.res, discard_my_data=True)
    pair.await_state(name, "cs:Connected ro:Secondary/Primary", timeout=60)


def _episodes(watch: Watch, what: str) -> list[Episode]:
    """The monitor's episodes of `what`, attached to the step that asks for them (each step its own)."""
    findings = watch.stop_monitor()
    origin = watch.monitor.started_at if watch.monitor else 0.0
    seen = [e for e in findings.episodes if e.what == what]
    attachments.attach_text(f"the monitor's reports of {what}",
                            "\n".join(e.render(origin) for e in seen) or "(none)")
    return seen


@then(book.parse("the invariant monitor reports the VIP on {a} and {b}, for less than {limit:d} second"))
def _(watch: Watch, a: str, b: str, limit: int) -> None:
    seen = _episodes(watch, f"the VIP on {a} and {b}")
    assert len(seen) == 1, f"the monitor reported {len(seen)} double VIPs, not 1"
    length = seen[0].last - seen[0].first
    attachments.parameter("the double VIP as the monitor saw it (s)", round(length, 3))
    assert length < limit, f"a double VIP of {length:.2f} s reported for one staged for less than {limit} s"


@then(book.parse("it reports DRBD Primary on {a} and {b}"))
def _(watch: Watch, a: str, b: str) -> None:
    seen = _episodes(watch, f"DRBD Primary on {a} and {b}")
    assert seen, "the monitor did not report the staged double Primary"
    length = round(seen[0].last - seen[0].first, 3)
    attachments.parameter("the double Primary as the monitor saw it (s)", length)


@then("it read every node throughout, none unread for longer than its bound")
def _(watch: Watch) -> None:
    findings = watch.stop_monitor()
    attachments.parameter("coverage", f"{findings.coverage:.1%}" if findings.coverage is not None else "-")
    assert not findings.unread_beyond(UNREAD_BOUND_S), findings.longest_unread()
    others = [e.what for e in findings.episodes if not e.what.startswith(("the VIP", "DRBD Primary"))]
    assert not others, f"the monitor reported more than was staged: {others}"
