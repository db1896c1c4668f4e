"""The guard's rule, and its hold on each command of a run: a refused command never leaves this machine."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.kinds import refusal
from harness.node import GuardRefused, Node, NodeAccess
from harness.ops import drbd as drbd_ops
from harness.ops import fs
from harness.ops.drbd import DrbdResource, Peer
from harness.report.transcript import Transcript

RES = DrbdResource((Peer("vm01", "192.168.8.22", "/dev/sdb1"),), "unused")


def test_reads_and_changes_run_anywhere_destruction_only_where_disposable() -> None:
    for kind in ("read", "change"):
        assert refusal(kind, "db1", protected=True, disruptive_allowed=False) is None
    assert refusal("destructive", "db1", protected=False, disruptive_allowed=False) is None
    assert "not marked disposable" in str(refusal("destructive", "db1", True, True))


def test_disruption_runs_on_a_protected_host_only_where_the_run_allows_it() -> None:
    assert "--allow-disruptive db1" in str(refusal("disruptive", "db1", True, False))
    assert refusal("disruptive", "db1", True, True) is None


def _node(tmp_path: Path, protected: bool, disruptive_allowed: bool = False) -> tuple[Node, Transcript]:
    # loopback and a closed port: a command that got past the guard would fail to connect, and go nowhere
    config = tmp_path / "ssh_config"
    config.write_text("Host db1\n  HostName 127.0.0.1\n  Port 1\n")
    access = NodeAccess("db1", config, tmp_path / "known_hosts", "127.0.0.1",
                        protected=protected, disruptive_allowed=disruptive_allowed)
    transcript = Transcript()
    return Node(access, transcript), transcript


def test_a_destructive_op_on_a_protected_host_is_refused_and_said_in_the_transcript(tmp_path: Path) -> None:
    node, transcript = _node(tmp_path, protected=True, disruptive_allowed=True)
    with pytest.raises(GuardRefused, match=r"refused by the guard on db1: mkfs\.ext3 -q /dev/drbd1"):
        drbd_ops.mkfs(node, "/dev/drbd1")
    [(_, entry)] = transcript.entries
    assert entry.exit_code is None and entry.kind == "destructive"
    assert "refused by the guard" in entry.stderr


def test_a_forced_promote_is_destructive_a_plain_demote_disruptive(tmp_path: Path) -> None:
    node, _ = _node(tmp_path, protected=True)
    with pytest.raises(GuardRefused, match=r"drbdadm primary --force test: db1 is not marked disposable"):
        drbd_ops.promote(node, RES, force=True)
    with pytest.raises(GuardRefused, match="--allow-disruptive db1"):
        drbd_ops.demote(node, RES)
    with pytest.raises(GuardRefused, match="wipefs"):
        fs.wipe_signatures(node, "/dev/sdb")
