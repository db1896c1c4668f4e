"""`hadrill plan`: the book's commands in order per host, classified by their ops, with no host reached."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import audited
import pytest


@pytest.fixture(scope="module")
def drbd_plan(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict[str, Any]], list[str]]:
    """`hadrill plan drbd --lab drbd --json`, watched by an audit hook; the plan and what was seen."""
    done, seen = audited.run(["plan", "drbd", "--lab", "drbd", "--json"], tmp_path_factory.mktemp("plan"))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), seen


def _commands(plan: list[dict[str, Any]], scenario: str) -> list[tuple[str, str, str]]:
    sc = next(s for s in plan if s["name"] == scenario)
    return [(c["node"], c["kind"], c["command"]) for st in sc["steps"] for c in st["commands"]]


def test_no_host_is_reached(drbd_plan: tuple[list[dict[str, Any]], list[str]]) -> None:
    _, seen = drbd_plan
    assert not audited.connects(seen), seen
    started = audited.programs(seen)
    assert started, "the audit hook saw nothing: it did not run"
    assert all("pytest" in e and "--hadrill-plan" in e for e in started), started  # no ssh, no ip netns


Plan = tuple[list[dict[str, Any]], list[str]]


def test_the_book_s_commands_in_order_for_both_hosts(drbd_plan: Plan) -> None:
    plan, _ = drbd_plan
    got = _commands(plan, "7.2 (6) create-md over a filesystem: the book's dd fallback")
    book = [c for c in got if re.match(r"drbdadm create-md|dd if=/dev/zero", c[2])]
    assert book == [("vm01", "destructive", "drbdadm create-md test"),
                    ("vm02", "destructive", "drbdadm create-md test"),
                    ("vm01", "destructive", "dd if=/dev/zero bs=1M count=1 of=/dev/sdb1"),
                    ("vm02", "destructive", "dd if=/dev/zero bs=1M count=1 of=/dev/sdb1"),
                    ("vm01", "destructive", "drbdadm create-md test"),
                    ("vm02", "destructive", "drbdadm create-md test")]
    start = _commands(plan, "7.2 (6) start on both hosts, promote vm01, watch the initial sync")
    for node in ("vm01", "vm02"):
        assert (node, "change", "/etc/init.d/drbd start") in start
    assert ("vm01", "destructive", "drbdsetup /dev/drbd1 primary -o") in start


@pytest.mark.parametrize(("scenario", "node", "command"), [
    ("7.2 (7) mkfs.ext3 on the primary only", "vm01", "mkfs.ext3 -q /dev/drbd1"),
    ("7.2 (10) split brain detected on both hosts, repaired with vm02 as the victim, in DRBD 8.4's own "
     "spelling", "vm02", "drbdadm connect --discard-my-data test"),
    ("7.2 (10) split brain detected on both hosts, repaired with vm02 as the victim, as the book prints it",
     "vm02", "drbdadm -- --discard-my-data connect test"),
    ("7.2 protocol C: power cut on the primary", "vm01", "(uml provider) power off vm01"),
])
def test_destroying_commands_are_marked(drbd_plan: tuple[list[dict[str, Any]], list[str]], scenario: str,
                                        node: str, command: str) -> None:
    plan, _ = drbd_plan
    assert (node, "destructive", command) in _commands(plan, scenario)


DESTROYS = re.compile(r"^(mkfs|wipefs|fdisk|drbdadm create-md|dd if=/dev/zero .*of=/dev/(sd|vd|drbd))"
                      r"|--discard-my-data|\| fdisk|power off|freeze|pcs stonith (fence|confirm)")


def test_no_destroying_command_is_classified_as_less(tmp_path: Path) -> None:
    """The ops' marks are the one source; this keeps them honest over every area's plan."""
    done, _ = audited.run(["plan", "--json"], tmp_path)
    assert done.returncode == 0, done.stderr
    wrong = {(c["kind"], c["command"]) for sc in json.loads(done.stdout) for st in sc["steps"]
             for c in st["commands"] if c["kind"] != "destructive" and DESTROYS.search(c["command"])}
    assert not wrong, wrong
    # a dry run's verdicts and figures are no one's: none lands in the user's reports folder
    left = sorted(p.name for p in (tmp_path / "reports").glob("*.jsonl"))
    assert not {"claims.jsonl", "measurements.jsonl"} & set(left), left
