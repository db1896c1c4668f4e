"""Known states: their keys, and the embedded lab's kept disk files (sparse copies, complete or refused)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.clusters.known_states import key
from harness.lab.providers import umlnode, umlstates
from harness.lab.providers.base import ProviderError
from harness.lab.providers.labstate import LabRecord
from harness.lab.topology import load as load_topology


def test_a_key_changes_with_its_recipe_only() -> None:
    assert key("hb", "ha.cf A", "drbd.conf") == key("hb", "ha.cf A", "drbd.conf")
    assert key("heartbeat-installed", "ha.cf A") != key("heartbeat-installed", "ha.cf B")
    assert key("heartbeat-installed", "ab", "c") != key("heartbeat-installed", "a", "bc")
    assert key("drbd-fresh-ext3", "x").startswith("drbd-fresh-ext3-")


def test_another_image_or_kernel_keeps_its_states_apart() -> None:
    rec = LabRecord("t", "drbd", "hadrill-t", "/cache/image-1.ext4", "/cache/linux-1")
    assert umlstates.stored_name(rec, "s") == umlstates.stored_name(rec, "s")
    other_image = LabRecord("t", "drbd", "hadrill-t", "/cache/image-2.ext4", "/cache/linux-1")
    other_kernel = LabRecord("t", "drbd", "hadrill-t", "/cache/image-1.ext4", "/cache/linux-2")
    assert umlstates.stored_name(rec, "s") != umlstates.stored_name(other_image, "s")
    assert umlstates.stored_name(rec, "s") != umlstates.stored_name(other_kernel, "s")


@pytest.fixture(autouse=True)
def _state_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """hadrill's state folder is the test's own (a kept state is removed only inside it)."""
    monkeypatch.setenv("HADRILL_STATE", str(tmp_path))


def _disks(lab_dir: Path) -> None:
    """Each node's disk files as a lab has them: large, sparse, a little data at the start."""
    for node, files in umlstates.disk_files(lab_dir, load_topology("drbd")).items():
        for f in files:
            f.parent.mkdir(parents=True, exist_ok=True)
            with open(f, "wb") as out:
                out.write(f"{node} {f.name}".encode())
                out.truncate(256 << 20)


def test_kept_files_are_sparse_and_put_back_whole(tmp_path: Path) -> None:
    topology, rec = load_topology("drbd"), LabRecord("t", "drbd", "hadrill-t", "/i", "/k")
    _disks(tmp_path)
    kept = umlstates.keep(tmp_path, rec, "s", topology)
    assert umlstates.kept(tmp_path, rec, "s")
    copy = kept / "vm01" / "sdb.img"
    assert copy.stat().st_size == 256 << 20 and copy.stat().st_blocks * 512 < 1 << 20
    sdb = umlnode.folder(tmp_path, "vm02") / "sdb.img"
    sdb.write_bytes(b"changed")
    umlstates.put_back(tmp_path, rec, "s", topology)
    assert sdb.read_bytes()[:10] == b"vm02 sdb.i" and sdb.stat().st_size == 256 << 20


def test_a_state_cut_short_is_never_put_back(tmp_path: Path) -> None:
    topology, rec = load_topology("drbd"), LabRecord("t", "drbd", "hadrill-t", "/i", "/k")
    _disks(tmp_path)
    kept = umlstates.keep(tmp_path, rec, "s", topology)
    (kept / umlstates.COMPLETE).unlink()
    assert not umlstates.kept(tmp_path, rec, "s")
    with pytest.raises(ProviderError, match="no complete state"):
        umlstates.put_back(tmp_path, rec, "s", topology)
