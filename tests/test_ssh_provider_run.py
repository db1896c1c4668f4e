"""The DRBD chapter on hosts the harness did not make: an embedded lab, taken as an inventory, run with
`hadrill run drbd --provider ssh --inventory FILE` (its reports under reports/ssh-provider/).

The procedure whole (steps 1-10) and one power cut, through the inventory's power commands: what the
provider does. The other power cuts (protocol B, the cable pulled first) and the checkers' negative controls
test DRBD and hadrill's checkers, not the provider; `make test` runs them on the embedded lab."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from harness.lab import lab_inventory
from harness.lab.providers.uml import UmlLab
from harness.paths import reports_dir

pytestmark = [pytest.mark.lab, pytest.mark.slow]
ROOT = Path(__file__).resolve().parent.parent
# protocol C's plain power cut, no negative control (their names: "16 KiB changed past DRBD", "a staged ...")
ONE_POWER_CUT = "(not power_cut or (power_cut_on_the_primary and C-no)) and not changed_past and not staged"


def test_the_drbd_features_pass_through_the_ssh_provider(tmp_path: Path) -> None:
    lab = UmlLab("drbd", "tsshrun")
    lab.up()
    try:
        inventory = tmp_path / "inventory.yaml"
        inventory.write_text(lab_inventory.dump(lab_inventory.inventory(lab)))
        reports = reports_dir() / "ssh-provider"
        done = subprocess.run([sys.executable, "-m", "harness.cli", "run", "drbd", "--provider", "ssh",
                               "--inventory", str(inventory), "--", "-k", ONE_POWER_CUT],
                              cwd=ROOT, stdin=subprocess.DEVNULL,
                              env={**os.environ, "HADRILL_REPORTS": str(reports)}, timeout=3600)
        assert done.returncode == 0
        suite = ET.parse(reports / "junit-drbd.xml").getroot().find("testsuite")
        assert suite is not None
        counts = {k: int(suite.get(k, "0")) for k in ("tests", "failures", "errors", "skipped")}
        assert counts == {"tests": 16, "failures": 0, "errors": 0, "skipped": 0}, counts
    finally:
        lab.down()
