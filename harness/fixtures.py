"""The clusters and workloads a scenario's steps work on, as pytest fixtures (a plugin the root conftest
loads): every node of the lab, the DRBD pair, Heartbeat on it, the pacemaker cluster, the service they
serve, the scenario's watch (canary and monitor) and its record; and each scenario's turn on the machine
(lab/turns.py): shared, alone from its measured part to its last step."""

from __future__ import annotations

import json
import time
from collections.abc import Generator, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from harness import progress, waiting
from harness.clusters import left_serving
from harness.clusters.base import Cluster, ServiceCluster
from harness.clusters.drbd import DrbdPair
from harness.clusters.drbd_pacemaker import DrbdPacemakerCluster
from harness.clusters.heartbeat import HeartbeatCluster
from harness.clusters.pacemaker import PacemakerCluster
from harness.clusters.resync_end import ResyncEndWatch
from harness.lab.faults import Faults
from harness.lab.providers.base import Provider
from harness.lab.turns import NONE, MachineTurn
from harness.node import Node
from harness.ops import files
from harness.paths import reports_dir
from harness.plugin import LAB_STAYS_KEY
from harness.report import attachments, run_files
from harness.report.transcript import TRANSCRIPT
from harness.scenario import Scenario, is_scenario
from harness.verdicts.drbd_audit import RESYNC_BOUND_S, DrbdAudit, rejoin
from harness.verdicts.kernel_audit import KernelAudit
from harness.verdicts.pacemaker_audit import PacemakerAudit
from harness.verdicts.process_lists import ProcessListWatch
from harness.workloads.watch import Watch

DRBD_SECRETS = ("drbd_shared_secret",)
HEARTBEAT_SECRETS = ("mariadb_canary_password",)
PACEMAKER_SECRETS = ("hacluster_password", "bmc_password", "mariadb_canary_password")


TURN = MachineTurn()
OPEN: dict[str, Watch | Faults] = {}     # the running scenario's watch and faults, while they are open


def pytest_keyboard_interrupt(excinfo: pytest.ExceptionInfo[BaseException]) -> None:
    waiting.start_stopping()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, Any, Any]:
    """A scenario holds the machine shared from its set-up to its teardown (not in a plan: no lab)."""
    if not _takes_turns(item):
        return (yield)
    TURN.new_account()
    started = time.monotonic()
    TURN.share()
    try:
        return (yield)
    finally:
        TURN.release()
        _account(item, time.monotonic() - started)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, Any, Any]:
    """A scenario's steps are over: nothing of its teardown (faults undone, a node brought back, the audits)
    is timed, so it shares the machine again and other sessions' scenarios run beside it."""
    if _takes_turns(item):
        TURN.share_again()
    return (yield)


def _takes_turns(item: pytest.Item) -> bool:
    """A scenario run on a lab (a plan has none) takes its turns on the machine."""
    return is_scenario(item) and not item.config.getoption("--hadrill-plan")


def _account(item: pytest.Item, wall_s: float) -> None:
    """The scenario's turn on the machine, a line of the run's turns.jsonl (the session by its junit file)."""
    xml = getattr(item.config.option, "xmlpath", None)
    session = Path(xml).stem.removeprefix("junit-") if xml else str(item.config.getoption("hadrill_topology"))
    line = {"session": session, "scenario": item.nodeid, "wall_s": round(wall_s, 2),
            "waited_s": round(TURN.waited_s, 2), "alone_s": round(TURN.alone_s, 2)}
    with (reports_dir() / run_files.TURNS).open("a") as out:
        out.write(json.dumps(line) + "\n")


@pytest.fixture(scope="session", autouse=True)
def process_lists(request: pytest.FixtureRequest) -> Iterator[None]:
    """Through a session of scenarios, every node's process list and this machine's watched for the run's
    secrets (verdicts/process_lists.py), written to reports/process-lists-<lab>.json for `make checks`."""
    session = request.session
    if request.config.getoption("--hadrill-plan") or not any(is_scenario(i) for i in session.items):
        yield
        return
    lab: Provider = request.getfixturevalue("lab")
    request.getfixturevalue("secrets")     # registered for redaction: what the watch looks for
    watch = ProcessListWatch(lab.nodes())
    watch.start()
    yield
    label = getattr(lab, "lab_name", lab.name)
    watch.stop().write(reports_dir() / f"process-lists-{label}.json")


@pytest.fixture
def machine_alone(request: pytest.FixtureRequest) -> float:
    """The machine to this scenario alone from here to its end: its measured part (workload, monitor,
    faults) runs while no other session's scenario does. The seconds it waited for them."""
    if waiting.dry_run() or TURN.held == NONE:
        return 0.0
    waited = TURN.alone()
    if waited >= 1:
        progress.say_uncaptured(request.config, f"waited {waited:.0f} s for other sessions' scenarios to "
                                "measure alone")
    attachments.parameter("waited for other sessions' scenarios before measuring (s)", f"{waited:.1f}")
    return waited


def measured_part_over(config: pytest.Config) -> None:
    """The scenario's measured part is over (canary and monitor stopped, every fault undone): the machine
    is shared again for what is left, such as an online verify. Refused while anything still measures."""
    watch, faults = OPEN.get("watch"), OPEN.get("faults")
    measuring = isinstance(watch, Watch) and watch.measuring
    left = faults.to_undo if isinstance(faults, Faults) else []
    if measuring or left:
        raise AssertionError(f"the measured part is not over: canary or monitor running {measuring}, "
                             f"faults to undo {left}")
    waited = TURN.share_again()
    if waited >= 1:
        progress.say_uncaptured(config, f"waited {waited:.0f} s for another session's measured part")


def _missing(secrets: dict[str, str], names: tuple[str, ...]) -> str:
    """What is missing of the secrets named, said; empty when none is."""
    missing = ", ".join(name for name in names if name not in secrets)
    return f"no secret {missing}: give it in the lab's secrets or a secrets file" if missing else ""


def _require(secrets: dict[str, str], names: tuple[str, ...]) -> None:
    if problem := _missing(secrets, names):
        pytest.fail(problem)


@pytest.fixture(scope="session")
def every_node(lab: Provider, nodes: dict[str, Node]) -> Cluster:
    """Every node of the lab, whatever cluster it is part of."""
    return Cluster(lab, nodes, [access.name for access in lab.nodes()])


@pytest.fixture(scope="session")
def pair(request: pytest.FixtureRequest, lab: Provider, nodes: dict[str, Node],
         secrets: dict[str, str]) -> Iterator[DrbdPair]:
    """The site's DRBD pair with its resource (the secret from the lab's secrets). A run that changed a
    lab outliving it leaves Heartbeat's group served on the pair, as the book's 7.2 ends."""
    _require(secrets, DRBD_SECRETS)
    drbd_pair = DrbdPair(lab, nodes, secrets[DRBD_SECRETS[0]])
    yield drbd_pair
    if touched := _to_put_back(request):
        left_serving.leave("Heartbeat's group", touched, partial(_serve_heartbeat, drbd_pair, secrets),
                           partial(progress.say_uncaptured, request.config))


@pytest.fixture(scope="session")
def ha(pair: DrbdPair, secrets: dict[str, str]) -> HeartbeatCluster:
    """Heartbeat on the DRBD pair, MariaDB the group's `mysql`, the canary's password from the secrets."""
    _require(secrets, HEARTBEAT_SECRETS)
    return HeartbeatCluster(pair, pair.lab.vip(), secrets[HEARTBEAT_SECRETS[0]])


@pytest.fixture(scope="session")
def pcmk(request: pytest.FixtureRequest, lab: Provider, nodes: dict[str, Node],
         secrets: dict[str, str]) -> Iterator[PacemakerCluster]:
    """The book's 7.3 cluster on the lab: storage node, two members, fencing, the MySQL service. A run
    that changed a lab outliving it leaves the service running there, fencing on."""
    _require(secrets, PACEMAKER_SECRETS)
    cluster = PacemakerCluster(lab, nodes, secrets, name="rhcs")
    yield cluster
    if touched := _to_put_back(request):
        left_serving.leave(f"the service {cluster.mysql.name}", touched, partial(_serve_pacemaker, cluster),
                           partial(progress.say_uncaptured, request.config))


@pytest.fixture(scope="session")
def drbd_pcmk(lab: Provider, nodes: dict[str, Node], secrets: dict[str, str]) -> DrbdPacemakerCluster:
    """Book 7.2 on pacemaker: the site's DRBD pair with fencing, the group following the Promoted role."""
    _require(secrets, DRBD_SECRETS + PACEMAKER_SECRETS)
    return DrbdPacemakerCluster(DrbdPair(lab, nodes, secrets[DRBD_SECRETS[0]]), secrets)


def _to_put_back(request: pytest.FixtureRequest) -> list[str]:
    stays = request.config.stash.get(LAB_STAYS_KEY, False)
    return left_serving.to_put_back(stays, (entry for _, entry in TRANSCRIPT.entries))


def _serve_heartbeat(drbd_pair: DrbdPair, secrets: dict[str, str]) -> str:
    if problem := _missing(secrets, HEARTBEAT_SECRETS):
        raise left_serving.NotLeftServing(problem)
    ha = HeartbeatCluster(drbd_pair, drbd_pair.lab.vip(), secrets[HEARTBEAT_SECRETS[0]])
    ha.ensure_running()
    return _serving(ha.serving(), f"Heartbeat started, but no node serves:\n{ha.held_by_each()}")


def _serve_pacemaker(cluster: PacemakerCluster) -> str:
    cluster.mysql.ensure()
    return _serving(cluster.status().group_on(cluster.mysql.name), f"{cluster.mysql.name} runs nowhere")


def _serving(holder: str | None, otherwise: str) -> str:
    if holder is None:
        raise left_serving.NotLeftServing(otherwise)
    return holder


@pytest.fixture(scope="session")
def service(ha: HeartbeatCluster) -> HeartbeatCluster:
    """The service the shared steps watch: Heartbeat's group (an area on another cluster overrides it)."""
    return ha


@pytest.fixture
def watch(service: ServiceCluster, machine_alone: float) -> Iterator[Watch]:
    """The scenario's canary and invariant monitor, stopped when it ends; the machine the scenario's own."""
    w = Watch(service)
    OPEN["watch"] = w
    try:
        yield w
    finally:
        w.close()
        OPEN.pop("watch", None)


@pytest.fixture
def scenario(request: pytest.FixtureRequest) -> Iterator[Scenario]:
    """What this scenario's steps leave for the next ones; a writer still running when it ends (a step
    failed between its start and the fault or step that ends it) stopped, as it holds the filesystem."""
    record = Scenario(name=request.node.name)
    yield record
    if waiting.dry_run():       # a plan: nothing was started
        return
    if record.writer is not None and record.writer.running:
        record.writer.stop()
    if record.writer_pid is not None:
        _stop_line_writer(request, record.writer_node, record.writer_pid, record.writer_log)


def _stop_line_writer(request: pytest.FixtureRequest, name: str, pid: str, path: str) -> None:
    """A line writer the scenario left on `name`, unless the node is off (it died with its power)."""
    lab: Provider = request.getfixturevalue("lab")
    if name not in lab.powered_off():
        files.stop_line_writer(request.getfixturevalue("nodes")[name], pid, path)


@pytest.fixture
def faults(lab: Provider, nodes: dict[str, Node], machine_alone: float) -> Iterator[Faults]:
    """Faults a scenario injects, on a machine the scenario has to itself; undone (link restored, thawed,
    fence repaired) when it ends; a node powered off is brought back where DRBD is used (to audit the
    pair), else left off until needed."""
    log = Faults(lab, nodes)
    OPEN["faults"] = log
    off = lab.powered_off()
    audit, pcmk = KernelAudit.start(nodes, off), PacemakerAudit.start(nodes, off)
    yield log
    OPEN.pop("faults", None)
    failed = log.undo()
    if failed:
        pytest.fail("could not undo faults: " + "; ".join(failed))
    if waiting.stopping():    # the run is stopping: the faults undone, no audit (it may take minutes)
        return
    off = lab.powered_off()
    audit.finish(nodes, off)
    attachments.parameter("the kernel's log after the fault", audit.render())
    if pcmk.cursors:
        pcmk.finish(nodes, off)
        attachments.parameter("pacemaker.log after the fault", pcmk.render())
    site = lab.site()
    drbd = DrbdAudit().finish(nodes, off, bring_back=lambda name: rejoin(lab, nodes, name),
                              watch=ResyncEndWatch(nodes, site.resource, site.minor))
    if drbd.used:
        attachments.parameter("DRBD after the fault", drbd.render())
    if audit.failures:
        pytest.fail(f"the kernel reported a failure of its own after the fault: {audit.render()}")
    if pcmk.failures:
        pytest.fail(f"pacemaker found a resource active on several nodes after the fault: {pcmk.render()}")
    if drbd.failures or drbd.unread:
        pytest.fail(f"DRBD was not whole {RESYNC_BOUND_S:.0f} s after the fault: {drbd.render()}")
