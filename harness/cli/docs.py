"""`hadrill docs`: the living runbook from the features, the plan, and the last run's transcript, results,
claims and figures; with --pdf, also a PDF printed by headless Chromium."""

from __future__ import annotations

import argparse
import shutil
import subprocess
from pathlib import Path
from typing import Any

from harness.areas import project_root
from harness.cli import targets
from harness.lab.providers import registry
from harness.lab.providers.base import ProviderError
from harness.paths import reports_dir
from harness.report import run_files, runbook, runbook_html
from harness.verdicts import claims, measurements

PDF_TIMEOUT_S = 180


class PdfError(RuntimeError):
    """The PDF could not be printed (no Chromium, or Chromium failed)."""


def chromium() -> str:
    """Chromium's path, or a PdfError that says how to get it."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise PdfError("no chromium on PATH: `apt-get install chromium` (make setup installs it)")
    return found


def print_pdf(page: Path, out: Path) -> Path:
    """The HTML page printed to out by headless Chromium (its print stylesheet applies)."""
    command = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
               f"--print-to-pdf={out}", page.resolve().as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=PDF_TIMEOUT_S, check=False)
    if done.returncode != 0 or not out.exists() or out.stat().st_size == 0:
        said = done.stderr.strip()[-500:]
        raise PdfError(f"chromium could not print {page} (exit {done.returncode}): {said}")
    return out


def site(ran_on: dict[str, Any]) -> str:
    """Where the run ran, as the runbook's header says it."""
    if not ran_on:
        return "not recorded (no run, or one before hadrill kept it): planned for the embedded labs"
    if ran_on.get("inventory"):
        return f"the hosts of the inventory {ran_on['inventory']} (provider {ran_on.get('provider', 'ssh')})"
    lab = f"the {ran_on['topology']} lab" if ran_on.get("topology") else "each area's own lab"
    return f"{lab}, provider {ran_on.get('provider', 'uml')}"


def plan_like_the_run(areas: list[str], ran_on: dict[str, Any]) -> list[dict[str, Any]]:
    """The areas planned for the site the last run ran on (its inventory's hosts, or its lab)."""
    if ran_on.get("inventory") and not Path(ran_on["inventory"]).exists():
        raise ProviderError(f"the last run's inventory {ran_on['inventory']} is gone: the runbook cannot "
                            "plan for its hosts")
    like_the_run = argparse.Namespace(areas=areas, topology=ran_on.get("topology"), allow_disruptive=None,
                                      provider=ran_on.get("provider", registry.DEFAULT_KIND),
                                      inventory=ran_on.get("inventory"))
    return targets.planned(like_the_run, project_root())


def cmd_docs(areas: list[str], pdf: bool) -> int:
    """The runbook from the plan (made for the site the last run ran on) and that run's files."""
    reports = reports_dir()
    ran_on = run_files.target(reports)
    planned = plan_like_the_run(areas, ran_on)
    chapters = runbook.build(planned, runbook.load_transcript(reports / "transcript.jsonl"),
                             runbook.load_results(reports / "allure-results"),
                             claims.load(reports / "claims.jsonl"),
                             measurements.load(reports / "measurements.jsonl"))
    html, md = runbook_html.write(chapters, reports / "runbook", site(ran_on))
    print(f"runbook: {html} and {md}")
    if pdf:
        try:
            print(f"runbook as PDF: {print_pdf(html, html.with_name('runbook.pdf'))}")
        except (PdfError, subprocess.TimeoutExpired) as exc:
            print(f"hadrill docs: {exc}")
            return 2
    return 0
