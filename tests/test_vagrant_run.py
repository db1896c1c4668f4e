"""The vagrant provider end to end: the drbd topology (small disks) as Vagrant VMs on the lab's own
libvirtd, the DRBD initialize and switch-over features run on them with `hadrill run drbd --provider
vagrant`, and nothing left behind (its reports under reports/vagrant-provider/)."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from harness.lab.image import box as box_mod
from harness.lab.providers import libvirtd, netns
from harness.lab.providers.vagrant import VagrantLab
from harness.lab.providers.vagrantcli import VAGRANT_DIR
from harness.paths import reports_dir

pytestmark = [pytest.mark.lab, pytest.mark.slow]
ROOT = Path(__file__).resolve().parent.parent
SMALL_DRBD = ROOT / "tests" / "data" / "topologies" / "drbd-small.yaml"
LAB = "tvagrant"
SELECTED = "test_6_ or test_9_"   # 7.2 (6) initialize: three scenarios; 7.2 (9) the switch-over


def _addresses() -> str:
    """The machine's own (main namespace) addresses and links."""
    return subprocess.run(["ip", "-o", "addr"], capture_output=True, text=True, check=True).stdout


def test_the_accelerator_probe_tells_a_vcpu_that_starts_from_one_that_cannot() -> None:
    assert libvirtd.accel_works("tcg", "qemu64")            # software emulation starts everywhere
    assert not libvirtd.accel_works("tcg", "no-such-cpu")   # qemu refuses the model: no answer


def test_the_kernel_probe_tells_a_kernel_that_boots_from_a_file_that_does_not(tmp_path: Path) -> None:
    kernel = box_mod.kernel_of(box_mod.ensure())
    assert libvirtd.kernel_boots("tcg", "qemu64", kernel)      # the box's kernel prints its banner
    junk = tmp_path / "vmlinuz"
    junk.write_bytes(b"\0" * 4096)
    assert not libvirtd.kernel_boots("tcg", "qemu64", junk)     # qemu refuses it: no banner


@pytest.mark.parametrize("topology", ["drbd", "rhcs", str(SMALL_DRBD)])
def test_the_vagrantfile_validates_for_each_topology(topology: str, tmp_path: Path) -> None:
    env = {**os.environ, "VAGRANT_CWD": str(VAGRANT_DIR), "VAGRANT_DOTFILE_PATH": str(tmp_path),
           "VAGRANT_HOME": str(tmp_path / "home"), "VAGRANT_CHECKPOINT_DISABLE": "1",
           "HADRILL_TOPOLOGY": topology, "HADRILL_BOX": "hadrill/none"}
    done = subprocess.run(["vagrant", "validate"], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def test_drbd_initialize_and_switchover_pass_on_vagrant_vms() -> None:
    before = _addresses()
    reports = reports_dir() / "vagrant-provider"
    done = subprocess.run([sys.executable, "-m", "harness.cli", "run", "drbd", "--provider", "vagrant",
                           "--lab", str(SMALL_DRBD), "--name", LAB, "--", "-k", SELECTED],
                          cwd=ROOT, stdin=subprocess.DEVNULL, timeout=3600,
                          env={**os.environ, "HADRILL_REPORTS": str(reports)})
    assert done.returncode == 0
    suite = ET.parse(reports / "junit-drbd.xml").getroot().find("testsuite")
    assert suite is not None
    counts = {k: int(suite.get(k, "0")) for k in ("tests", "failures", "errors", "skipped")}
    assert counts == {"tests": 4, "failures": 0, "errors": 0, "skipped": 0}, counts
    assert VagrantLab(str(SMALL_DRBD), LAB).record() is None, "the lab's record is left"
    assert not netns.exists(netns.ns_name(LAB)), "the lab's namespace is left"
    assert _addresses() == before, "the machine's own namespace changed"
