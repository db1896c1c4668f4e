"""DRBD under pacemaker, read from outputs captured on the drbdpcmk lab: crm_mon's promotable clone, and
the fence-peer constraint in the CIB while vm01's DRBD port was dropped (crm-fence-peer.sh had left the
Promoted role to vm01 only) and after the heal (crm-unfence-peer.sh had removed it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.clusters.drbd_pacemaker import outlived
from harness.probes import crm_mon
from harness.probes import drbd as proc
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


@pytest.mark.parametrize(("attribute", "value"), [
    ('role="Master"', 'role="Started"'),
    ('score="-INFINITY" id="drbd-fence', 'score="100" id="drbd-fence'),
    ('operation="ne"', 'operation="eq"')])
def test_a_rule_not_forbidding_the_promoted_role_elsewhere_is_not_one(attribute: str, value: str) -> None:
    """The captured rule with one of its parts changed (another role, a preference, "only on vm01") no
    longer leaves the Promoted role to one node."""
    text = (DATA / "cib_constraints_drbd_fenced_by_handler.xml").read_text()
    assert attribute in text
    assert parse_promoted_only_on(text.replace(attribute, value)) == []


def test_crm_mon_says_where_the_drbd_clone_is_promoted() -> None:
    """crm_mon on the drbdpcmk lab with the service up: the promotable clone's two instances, Promoted on
    vm01 and Unpromoted on vm02, and the group on vm01; the 7.3 lab's clones are promoted nowhere."""
    st = crm_mon.parse((DATA / "crm_mon_drbd_promoted_on_vm01.xml").read_text())
    drbd = st.resources["drbd_data"]
    assert (drbd.clone, drbd.promoted, sorted(drbd.nodes)) == ("drbd_data-clone", ("vm01",), ["vm01", "vm02"])
    assert st.group_on("mysql_service") == "vm01"
    gfs2 = crm_mon.parse((DATA / "crm_mon_gfs2_clones_on_both.xml").read_text())
    assert all(not r.promoted for r in gfs2.resources.values())


def _state(name: str) -> proc.Resource:
    return proc.parse((DATA / name).read_text()).minor_or_unconfigured(1)


def test_a_fence_constraint_outlived_its_cause_once_both_disks_are_up_to_date_and_connected() -> None:
    found = parse_promoted_only_on((DATA / "cib_constraints_drbd_fenced_by_handler.xml").read_text())
    whole = {"vm01": _state("proc_drbd_connected_primary.txt"),
             "vm02": _state("proc_drbd_connected_secondary_uptodate.txt")}
    assert outlived(found, whole) == found
    for cut_off in ("proc_drbd_wfconnection.txt", "proc_drbd_connected_secondary_inconsistent.txt",
                    "proc_drbd_standalone_primary_splitbrain.txt"):   # the constraint still guards
        assert outlived(found, {**whole, "vm02": _state(cut_off)}) == [], cut_off
    assert outlived(found, {}) == []
    other = [PromotedOnlyOn("drbd-fence-by-handler-r9-other-clone", "other-clone", "vm01")]
    assert outlived(other, whole) == []          # not this clone's: not hadrill's to lift
