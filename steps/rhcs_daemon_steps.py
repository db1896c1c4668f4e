"""Steps of features/rhcs where a daemon of the cluster stack dies on a member (daemon_killed.feature):
pacemakerd starts a subdaemon of its own again; corosync has no such watcher and its member is fenced
(the Then steps of that case are the power cut's). The member's pacemaker log, its process table and
crm_mon are the evidence."""

from __future__ import annotations

import time

from pytest_bdd import then, when

from harness.clusters.pacemaker import PacemakerCluster
from harness.lab.faults import Faults
from harness.ops import pacemaker as pm
from harness.probes import host, pcmk_log
from harness.report import attachments
from harness.scenario import Scenario, need
from harness.waiting import eventually

from . import book
from .rhcs_common import fault_begins

RESPAWN_TIMEOUT_S = 60.0      # pacemakerd checks its children every few seconds; a loaded machine
CLEANUP_TIMEOUT_S = 60.0


@when(book.parse("the cluster daemon {daemon} on {name} is killed with {signal} while the canary writes"))
def _(pcmk: PacemakerCluster, daemon: str, name: str, signal: str, faults: Faults,
      scenario: Scenario) -> None:
    fault_begins(pcmk, scenario, f"kill_{daemon.replace('-', '_')}", name)
    scenario.daemon, scenario.signal = daemon, signal
    scenario.fault_at = time.monotonic()
    pm.kill_daemon(pcmk.node(name), daemon, signal)


def _respawn(pcmk: PacemakerCluster, name: str, daemon: str, scenario: Scenario,
             year: int) -> tuple[str, pcmk_log.Event | None, pcmk_log.Event | None]:
    """name's pacemaker log since the cursor taken just before the kill (which bounds it), and pacemakerd's
    word in it that the daemon exited and that it started it again."""
    text = pcmk.log_since(name, scenario.log_cursors[name])
    events = pcmk_log.events(text, year)
    return text, pcmk_log.first(events, "exited", daemon), pcmk_log.first(events, "respawned", daemon)


@then(book.parse("pacemakerd on {name} started {daemon} again, as {again}'s pacemaker log and its "
                 "process table show"))
def _(pcmk: PacemakerCluster, name: str, daemon: str, again: str, scenario: Scenario) -> None:
    assert again == name, f"the step names {name} and {again}"
    origin = pcmk.on_clock(name, need(scenario.fault_at, "the kill's time"))    # an estimate: the figure's
    text, exited, respawned = eventually(
        lambda: _respawn(pcmk, name, daemon, scenario, origin.year), lambda got: got[2] is not None,
        timeout=RESPAWN_TIMEOUT_S, interval=1.0, describe=f"pacemakerd's respawn of {daemon} in {name}'s log")
    attachments.attach_text(f"pacemaker.log of {name} from the kill on", text)
    node = pcmk.node(name)
    running, parents = host.pids(node, daemon), host.pids(node, pm.PACEMAKERD)
    parent = host.parent_pid(node, running[0]) if len(running) == 1 else None
    attachments.parameter(f"{daemon} on {name}", f"PID {running}, parent {parent} (pacemakerd: {parents})")
    scenario.phases["respawned"] = round((need(respawned, "the respawn").at - origin).total_seconds(), 2)
    assert exited is not None, f"{name}'s log does not say that {daemon} was killed"
    assert len(running) == 1 and parent in parents, \
        f"{daemon} runs as {running} on {name}, parent {parent}, not once under pacemakerd {parents}"


@then(book.parse("the failed actions the kill left are cleaned up with pcs resource cleanup"))
def _(pcmk: PacemakerCluster, scenario: Scenario) -> None:
    name = need(scenario.master, "the node the kill struck")
    left = pcmk.status().failures
    attachments.parameter("failed actions after the kill", [str(f) for f in left] or "none")
    if left:
        pm.cleanup(pcmk.node(name))
    eventually(lambda: pcmk.status().failures, lambda failures: not failures, timeout=CLEANUP_TIMEOUT_S,
               interval=2.0, describe="no failed action left after pcs resource cleanup")
