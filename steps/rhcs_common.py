"""What the steps of features/rhcs share: the survivor's pacemaker log of a fenced takeover."""

from __future__ import annotations

from harness.clusters.pacemaker import PacemakerCluster
from harness.probes import pcmk_log
from harness.report import attachments
from harness.scenario import Scenario, need


def takeover(pcmk: PacemakerCluster, survivor: str, scenario: Scenario) -> list[pcmk_log.Event]:
    """The survivor's pacemaker log since the fault (attached to the report); its events and the fault's
    time on the survivor's clock go to the scenario."""
    at = need(scenario.fault_at, "the fault's time")
    text, events, origin = pcmk.takeover_log(survivor, scenario.log_cursors[survivor], at)
    attachments.attach_text(f"pacemaker.log of {survivor} from the fault on", text)
    scenario.events, scenario.origin = events, origin
    return events
