"""The verify area is read-only, proved on a live cluster of a site whose names are all its own (the
`renamed` topology: alpha and bravo, r0 on /dev/drbd0 over sdc, port 7790, ext4 on /srv/db): the embedded
lab is brought to the book's serving state (Heartbeat on both nodes, the group on one) by the verify area
itself, then taken as an inventory whose hosts are all `disposable: false` and verified again through the
ssh provider. The guard lets that run go, every scenario passes, and its transcript holds reads only, with
the site's names in its commands; the runbook written after that run names the site's hosts and resource,
for what ran and for what it plans."""

from __future__ import annotations

import json
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
LAB = "tverify"


def _hadrill(*args: str, reports: Path, verb: str = "run") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "harness.cli", verb, *args], cwd=ROOT, text=True,
                          capture_output=True, stdin=subprocess.DEVNULL, timeout=3600,
                          env={**os.environ, "HADRILL_REPORTS": str(reports)})


def _counts(junit: Path) -> dict[str, int]:
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None
    return {k: int(suite.get(k, "0")) for k in ("tests", "failures", "errors", "skipped")}


def test_verify_passes_on_protected_hosts_and_runs_reads_only(tmp_path: Path) -> None:
    reports = reports_dir() / "verify-read-only"
    lab = UmlLab("renamed", LAB)
    try:
        made = _hadrill("verify", "--name", LAB, "--topology", "renamed", "--keep-lab",
                        reports=reports / "lab")
        assert made.returncode == 0, made.stdout[-3000:] + made.stderr[-2000:]
        inventory = tmp_path / "inventory.yaml"
        inventory.write_text(lab_inventory.dump(lab_inventory.inventory(lab, disposable=False)))
        done = _hadrill("verify", "--provider", "ssh", "--inventory", str(inventory), reports=reports / "ssh")
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
        assert _counts(reports / "ssh" / "junit-drbd.xml") == {"tests": 4, "failures": 0, "errors": 0,
                                                                "skipped": 0}
        transcript = (reports / "ssh" / "transcript.jsonl").read_text()
        entries = [json.loads(line) for line in transcript.splitlines()]
        assert len(entries) > 20
        assert [e["command"] for e in entries if e["kind"] != "read"] == []
        assert {e["node"] for e in entries} == {"alpha", "bravo"}
        assert any("drbdadm dump r0" in e["command"] for e in entries), "the site's resource was not read"
        _runbook_names_the_site(reports / "ssh", inventory)
    finally:
        lab.down()


def _runbook_names_the_site(reports: Path, inventory: Path) -> None:
    """`hadrill docs` after the ssh run: its hosts, resource and mount point, never the book's lab's."""
    written = _hadrill(reports=reports, verb="docs")
    assert written.returncode == 0, written.stdout[-3000:] + written.stderr[-2000:]
    html = (reports / "runbook" / "index.html").read_text()
    assert f"the hosts of the inventory {inventory}" in html
    assert "[alpha]" in html and "[bravo]" in html, "the ran steps do not name the site's hosts"
    assert "drbdadm create-md r0" in html and "/srv/db" in html, "the planned steps are not the site's"
    assert "[vm01]" not in html and "[vm02]" not in html
