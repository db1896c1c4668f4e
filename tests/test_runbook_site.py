"""The runbook after a run on a site: its plan is made for the hosts the run ran on, and it says where."""

from __future__ import annotations

from pathlib import Path

import pytest
from inventory_files import UNREACHABLE

from harness.cli import docs, main
from harness.report import run_files

# A plan reaches no host; were it to try, nothing would leave this machine.
INVENTORY = "name: staging\ntopology: drbd\n" + UNREACHABLE % "127.0.0.100" + """\
hosts:
  - {name: alpha, address: 127.0.0.10, cluster_address: 127.0.0.20, disks: {sdc: /dev/vdc}, disposable: true}
  - {name: bravo, address: 127.0.0.11, cluster_address: 127.0.0.21, disks: {sdc: /dev/vdc}, disposable: true}
site:
  nodes: {vm01: alpha, vm02: bravo}
  drbd: {resource: r0, minor: 0, disk: sdc, port: 7790}
  filesystem: {mountpoint: /srv/db, type: ext4}
"""


def test_the_run_s_site_is_kept_for_the_runbook(tmp_path: Path) -> None:
    run_files.write_target(tmp_path, "ssh", "inventory.yaml", None)
    typed = str(Path("inventory.yaml").absolute())
    assert run_files.target(tmp_path) == {"provider": "ssh", "inventory": typed, "topology": None}
    assert run_files.target(tmp_path / "none") == {}
    assert docs.site({}).startswith("not recorded")
    ran = {"provider": "uml", "inventory": None, "topology": None}
    assert docs.site(ran) == "each area's own lab, provider uml"


def test_after_a_run_on_an_inventory_the_runbook_plans_for_its_hosts(tmp_path: Path) -> None:
    inventory = tmp_path / "inventory.yaml"
    inventory.write_text(INVENTORY)
    reports = tmp_path / "reports"
    reports.mkdir()
    run_files.write_target(reports, "ssh", str(inventory), None)
    assert main(["docs", "--reports", str(reports), "drbd"]) == 0
    html = (reports / "runbook" / "index.html").read_text()
    assert f"Ran on: the hosts of the inventory {inventory} (provider ssh)" in html
    assert "[alpha]" in html and "[bravo]" in html and "[vm01]" not in html
    assert "drbdadm create-md r0" in html and "/srv/db" in html


def test_a_runbook_whose_run_s_inventory_is_gone_says_so(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    run_files.write_target(tmp_path, "ssh", str(tmp_path / "gone.yaml"), None)
    assert main(["docs", "--reports", str(tmp_path), "drbd"]) == 2
    assert "the last run's inventory" in capsys.readouterr().err
