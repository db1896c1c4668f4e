"""The book on hosts the harness did not make, named all their own way, then verified read-only: an embedded
lab of the `renamed` topology (alpha and bravo, r0 on /dev/drbd0 over sdc, port 7790, ext4 on /srv/db),
taken as an inventory (its reports under reports/ssh-provider/).

`hadrill run drbd --provider ssh` runs the procedure whole (steps 1-10) and one power cut, through the
inventory's power commands: what the provider does. The other power cuts (protocol B, the cable pulled first)
and the checkers' negative controls test DRBD and hadrill's checkers, not the provider; `make test` runs them
on the embedded lab. The run leaves the site serving (Heartbeat's group on the pair), so `hadrill run verify`
on the same hosts, all `disposable: false`, follows it: the guard lets it go, every scenario passes, and its
transcript holds reads only, with the site's names in its commands; the runbook written after it names the
site's hosts and resource, for what ran and for what it plans."""

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
LAB = "tsshrun"
# protocol C's plain power cut, no negative control (their names: "16 KiB changed past DRBD", "a staged ...")
ONE_POWER_CUT = "(not power_cut or (power_cut_on_the_primary and C-no)) and not changed_past and not staged"


def _hadrill(*args: str, reports: Path, verb: str = "run") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "harness.cli", verb, *args], cwd=ROOT, text=True,
                          capture_output=True, stdin=subprocess.DEVNULL, timeout=3600,
                          env={**os.environ, "HADRILL_REPORTS": str(reports)})


def _counts(junit: Path) -> dict[str, int]:
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None
    return {k: int(suite.get(k, "0")) for k in ("tests", "failures", "errors", "skipped")}


def test_the_drbd_area_then_verify_pass_through_the_ssh_provider_on_a_site_of_its_own_names(
        tmp_path: Path) -> None:
    reports = reports_dir() / "ssh-provider"
    lab = UmlLab("renamed", LAB)
    lab.up()
    try:
        staging = tmp_path / "staging.yaml"
        staging.write_text(lab_inventory.dump(lab_inventory.inventory(lab)))
        done = _hadrill("drbd", "--provider", "ssh", "--inventory", str(staging), "--", "-k", ONE_POWER_CUT,
                        reports=reports / "drbd")
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
        assert _counts(reports / "drbd" / "junit-drbd.xml") == {"tests": 16, "failures": 0, "errors": 0,
                                                                 "skipped": 0}
        assert "left serving, from alpha" in done.stdout + done.stderr, done.stderr[-2000:]
        protected = tmp_path / "production.yaml"
        protected.write_text(lab_inventory.dump(lab_inventory.inventory(lab, disposable=False)))
        _verify_reads_only(protected, reports / "verify")
        _runbook_names_the_site(reports / "verify", protected)
    finally:
        lab.down()


def _verify_reads_only(inventory: Path, reports: Path) -> None:
    """verify on hosts not disposable (its Background only looks): passes on what the run left, reading."""
    done = _hadrill("verify", "--provider", "ssh", "--inventory", str(inventory), reports=reports)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert _counts(reports / "junit-drbd.xml") == {"tests": 4, "failures": 0, "errors": 0, "skipped": 0}
    entries = [json.loads(line) for line in (reports / "transcript.jsonl").read_text().splitlines()]
    assert len(entries) > 20
    assert [e["command"] for e in entries if e["kind"] != "read"] == []
    assert {e["node"] for e in entries} == {"alpha", "bravo"}
    assert any("drbdadm dump r0" in e["command"] for e in entries), "the site's resource was not read"


def _runbook_names_the_site(reports: Path, inventory: Path) -> None:
    """`hadrill docs` after the verify run: its hosts, resource and mount point, never the book's lab's."""
    written = _hadrill(reports=reports, verb="docs")
    assert written.returncode == 0, written.stdout[-3000:] + written.stderr[-2000:]
    html = (reports / "runbook" / "index.html").read_text()
    assert f"the hosts of the inventory {inventory}" in html
    assert "[alpha]" in html and "[bravo]" in html, "the ran steps do not name the site's hosts"
    assert "drbdadm create-md r0" in html and "/srv/db" in html, "the planned steps are not the site's"
    assert "[vm01]" not in html and "[vm02]" not in html
