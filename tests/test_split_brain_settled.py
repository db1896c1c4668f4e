"""When the split brain's check stops waiting: DRBD leaves StandAlone the side that detected the split
brain, and WFConnection the side whose peer dropped the connection first (seen in the lab)."""

from __future__ import annotations

import pytest

from harness.probes.drbd import SPLIT_BRAIN_SETTLE_S, split_brain_dropped


@pytest.mark.parametrize(("connections", "alone_for_s", "dropped"), [
    (["StandAlone", "StandAlone"], 0.0, True),                            # both detected it
    (["StandAlone", "WFConnection"], SPLIT_BRAIN_SETTLE_S, True),         # one did; the other waits for ever
    (["StandAlone", "WFConnection"], SPLIT_BRAIN_SETTLE_S - 0.5, False),  # the other may still detect it
    (["WFConnection", "WFConnection"], None, False),                      # not connected yet
    (["Connected", "Connected"], None, False),                            # no split brain at all
    (["StandAlone", "Connected"], SPLIT_BRAIN_SETTLE_S, False),
    (["StandAlone", "WFReportParams"], SPLIT_BRAIN_SETTLE_S, False),      # a handshake under way
])
def test_the_check_waits_for_drbd_to_drop_the_connection(connections: list[str], alone_for_s: float | None,
                                                         dropped: bool) -> None:
    assert split_brain_dropped(connections, alone_for_s) is dropped
