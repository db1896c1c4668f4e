"""corosync.log read for what a disturbed cluster link did, on slices captured from the rhcs lab."""

from __future__ import annotations

from pathlib import Path

from harness.probes import corosync_log
from harness.probes.corosync_log import LinkChanges

DATA = Path(__file__).parent / "data"


def test_a_link_slowed_1000_ms_lost_the_token_and_formed_the_ring_again_with_both() -> None:
    """node2's log while node1's packets were held back 1 s: knet's link down for a second, the token
    late, then timed out, and a new membership with both members: no member left."""
    found = corosync_log.changes((DATA / "corosync_log_node2_link_slowed_1000ms.txt").read_text())
    assert found == LinkChanges(late_tokens=1, memberships=1, members_left=0, links_down=1)


def test_a_peer_that_stopped_left_the_membership_then_joined_again() -> None:
    """node1's log while node2's corosync was stopped and started: one membership without it, one with."""
    found = corosync_log.changes((DATA / "corosync_log_node1_peer_stopped_and_back.txt").read_text())
    assert found == LinkChanges(late_tokens=0, memberships=2, members_left=1, links_down=1)


def test_a_lossy_link_split_the_membership_for_a_moment() -> None:
    """node2's log while 20 % of node1's packets were lost (a fresh clone's make test): the token timed
    out, node2 formed a membership alone, then one with node1 again."""
    found = corosync_log.changes((DATA / "corosync_log_node2_lossy_20pct_member_left.txt").read_text())
    assert found == LinkChanges(late_tokens=1, memberships=2, members_left=1, links_down=1)
