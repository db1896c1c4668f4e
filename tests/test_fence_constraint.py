"""DRBD's fence-peer constraint read from the CIB, on constraints captured from the drbdpcmk lab: while
vm01's DRBD port was dropped (crm-fence-peer.sh had left the Promoted role to vm01 only), and after the
heal (crm-unfence-peer.sh had removed it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.probes.errors import ParseError
from harness.probes.pcmk_config import PromotedOnlyOn, parse_locations, parse_promoted_only_on

DATA = Path(__file__).parent / "data"


def test_the_handlers_constraint_leaves_the_promoted_role_to_vm01() -> None:
    found = parse_promoted_only_on((DATA / "cib_constraints_drbd_fenced_by_handler.xml").read_text())
    assert found == [PromotedOnlyOn("drbd-fence-by-handler-test-drbd_data-clone", "drbd_data-clone", "vm01")]


def test_after_the_resync_there_is_none_and_the_services_own_constraints_stay() -> None:
    text = (DATA / "cib_constraints_drbd_service.xml").read_text()
    assert parse_promoted_only_on(text) == []
    assert {(c.resource, c.node, c.score) for c in parse_locations(text)} >= {
        ("mysql_service", "vm01", "100"), ("mysql_service", "vm02", "50")}


def test_not_constraints_fails_loudly() -> None:
    with pytest.raises(ParseError):
        parse_promoted_only_on("<resources/>")
