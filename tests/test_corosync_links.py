"""`corosync-cfgtool -s` captured on the rhcs lab: one link; a second added; link 0 cut on node1."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.probes import corosync_links
from harness.probes.errors import ParseError

DATA = Path(__file__).parent / "data"


def _links(name: str) -> corosync_links.Links:
    return corosync_links.parse((DATA / name).read_text())


def test_one_link_connected() -> None:
    links = _links("corosync-cfgtool_one_link.txt")
    assert links.states == {0: {2: "connected"}}
    assert links.towards_peers(1) == set()


def test_two_links_then_link_0_cut_while_link_1_carries() -> None:
    assert _links("corosync-cfgtool_two_links_link0_up.txt").states == {0: {2: "connected"},
                                                                         1: {2: "connected"}}
    cut = _links("corosync-cfgtool_two_links_link0_cut.txt")
    assert cut.towards_peers(0) == {"disconnected"} and cut.towards_peers(1) == {"connected"}


def test_no_link_listed_is_an_error() -> None:
    with pytest.raises(ParseError):
        corosync_links.parse("Could not initialize corosync configuration API error 2\n")
