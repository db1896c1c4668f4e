"""The embedded lab: each node a Debian kernel run as a User-Mode Linux process, inside a namespace."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from harness import progress
from harness.lab.image import build as image_build
from harness.lab.providers import bmc_control, labstate, netns, procs, ready, umlnode, umlstates
from harness.lab.providers.base import Capabilities, ProviderError
from harness.lab.providers.labstate import LabRecord, NodeRecord
from harness.lab.providers.topolab import TopologyLab
from harness.lab.topology import DEFAULT_TOPOLOGY
from harness.node import NodeAccess
from harness.paths import remove_tree

BOOT_TIMEOUT = 180.0


class UmlLab(TopologyLab):
    """A lab of UML nodes from a topology, in the network namespace hadrill-<name>."""

    name = "uml"
    capabilities = Capabilities(power=True, freeze=True, cut_link=True, reset=True,
                                managed=True, disposable=True, fence_device=True, snapshot=True)

    def __init__(self, topology: str = DEFAULT_TOPOLOGY, lab_name: str | None = None):
        super().__init__(topology, lab_name)
        self.dir = labstate.lab_dir(self.lab_name)
        self._children: dict[str, subprocess.Popen[bytes]] = {}
        self._abort = threading.Event()  # set when a boot is given up (Ctrl-C, a node failed)

    # -- paths -------------------------------------------------------------------------
    def node_dir(self, node: str) -> Path:
        return umlnode.folder(self.dir, node)

    def console(self, node: str) -> Path:
        return labstate.console(self.lab_name, node)

    def console_log(self, node: str) -> Path | None:
        return self.console(node)

    # -- the labs on this machine ---------------------------------------------------------
    @classmethod
    def names(cls) -> list[str]:
        return labstate.all_names()

    @classmethod
    def recorded_topology(cls, name: str) -> str | None:
        return rec.topology if (rec := labstate.load(name)) else None

    @classmethod
    def stale_names(cls) -> list[str]:
        return [n for n in labstate.all_names() if (rec := labstate.load(n)) is not None and rec.stale()]

    # -- lifecycle -----------------------------------------------------------------------
    def record(self) -> LabRecord | None:
        return labstate.load(self.lab_name)

    def up(self) -> None:
        rec = self.record()
        if rec and rec.phase in ("creating", "booting") and not rec.stale():
            raise ProviderError(f"lab {self.lab_name!r} is being brought up by PID {rec.owner_pid}")
        if rec and rec.phase == "ready" and self._all_running(rec):
            for node in [n for n in self.bmcs() if not self.bmc_running(n)]:
                self.start_bmc(node)
            progress.say(f"lab {self.lab_name} is already up")
            return
        if rec or netns.exists(self.ns):
            progress.say(f"lab {self.lab_name}: sweeping what an earlier run left")
            self.down()
        image = image_build.ensure()
        with progress.stage(f"lab {self.lab_name}: boot {len(self.topology.nodes)} nodes"):
            start = time.monotonic()
            try:
                rec = self._create(image.path, image.kernel.binary)
                self._boot_all(rec)
                rec.phase, rec.boot_seconds = "ready", round(time.monotonic() - start, 1)
                labstate.save(rec)
                for node in self.bmcs():   # each recorded in lab.json as it starts
                    self.start_bmc(node)
            except BaseException:
                self.down()  # nothing left running; the consoles stay under reports/
                raise

    def _create(self, image: Path, kernel: Path) -> LabRecord:
        rec = LabRecord(self.lab_name, self.topology_ref, self.ns, str(image), str(kernel))
        rec.nodes = {n.name: NodeRecord(uuid.uuid4().hex) for n in self.topology.nodes}
        labstate.save(rec)  # recorded before anything is made, so a crash can be swept
        cluster = (self.topology.client, *self.bmcs().values())  # the client and the nodes' BMCs
        netns.create(self.ns, {"cluster": [f"{a}/{self.topology.subnet.prefixlen}" for a in cluster],
                               "mgmt": [f"{self.topology.mgmt_gateway}/24"]})
        umlnode.keygen(self.dir / "id_ed25519", f"hadrill@{self.lab_name}")
        for spec in self.topology.nodes:
            umlnode.make_files(self.node_dir(spec.name), self.topology, spec, self.dir / "id_ed25519.pub")
            for network in netns.NETWORKS:
                netns.add_tap(self.ns, spec.name, network)
        umlnode.write_ssh_files(self.topology, self.ns, self.dir, self.ssh_config, self.known_hosts)
        rec.phase = "booting"
        labstate.save(rec)
        return rec

    def _boot_all(self, rec: LabRecord) -> None:
        for spec in self.topology.nodes:
            self._start(rec, spec.name)
        self._abort.clear()
        pool = ThreadPoolExecutor(max_workers=len(self.topology.nodes))
        try:
            for future in [pool.submit(self.wait_ready, name) for name in self.topology.names]:
                future.result()
        except BaseException:
            self._abort.set()  # the other waits stop at their next look
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _start(self, rec: LabRecord, node: str) -> None:
        cmd = umlnode.command(self.topology, self.topology.node(node), self.node_dir(node), Path(rec.kernel),
                              Path(rec.image), rec.nodes[node].machine_id)
        started, self._children[node] = umlnode.boot(self.ns, cmd, self.console(node))
        rec.nodes[node].process, rec.nodes[node].frozen = started.to_json(), False
        labstate.save(rec)

    def wait_ready(self, node: str, timeout: float = BOOT_TIMEOUT) -> None:
        """Wait until the node answers SSH with its pinned key and systemd has finished booting."""
        up, last = ready.wait(self.ssh_config, node, timeout, 0.5, lambda: self._still_booting(node))
        if not up:
            raise ProviderError(f"{node} did not come up in {timeout:.0f} s (last: {last!r}); "
                                f"see {self.console(node)}")

    def _still_booting(self, node: str) -> None:
        """Raises if the node's boot was given up (Ctrl-C, another node failed) or its kernel ended."""
        if self._abort.is_set():
            raise ProviderError(f"{node}: boot given up")
        rec = self.record()
        started = rec.nodes[node].started() if rec else None
        if started is None or not procs.members(started):
            raise ProviderError(f"{node} stopped while booting; see {self.console(node)}")

    def _all_running(self, rec: LabRecord) -> bool:
        return netns.exists(self.ns) and all(
            (s := n.started()) is not None and procs.members(s) for n in rec.nodes.values())

    def down(self) -> None:
        """Stop every recorded process, then whatever else is in the namespace; remove it all."""
        rec = self.record()
        if rec:
            for helper in rec.helpers.values():  # the BMCs first: none may power a node on again
                procs.kill_group(procs.Started(**helper))
            for node in rec.nodes.values():
                started = node.started()
                if started:
                    procs.signal_group(started, signal.SIGCONT)  # a frozen node must die too
                    procs.kill_group(started)
        netns.remove(self.ns)
        for child in self._children.values():
            child.poll()
        remove_tree(self.dir, ignore_errors=True)

    def reset(self) -> None:
        """Back to freshly booted nodes with empty disks (same keys, same names)."""
        rec = self._require_up()
        with progress.stage(f"lab {self.lab_name}: reset"):
            self._off_and_booted(rec, lambda: umlnode.blank_disks(self.dir, self.topology))

    # -- known states: the nodes' disk files, kept and put back (umlstates) ------------------
    def has_state(self, key: str) -> bool:
        rec = self.record()
        return rec is not None and umlstates.kept(self.dir, rec, key)

    def save_state(self, key: str) -> None:
        """Every node powered down cleanly, its disk files kept as the state `key`, booted again."""
        rec = self._require_up()
        with progress.stage(f"lab {self.lab_name}: keep the state {key}"):
            try:
                umlstates.power_down(self.ssh_config, rec)
            except BaseException:
                self._off_and_booted(rec, lambda: None)   # a node that did not halt is killed, not kept
                raise
            self._off_and_booted(rec, lambda: umlstates.keep(self.dir, rec, key, self.topology))

    def restore_state(self, key: str) -> None:
        """Every node powered off, its disk files put back from the state `key`, booted again."""
        rec = self._require_up()
        if not umlstates.kept(self.dir, rec, key):   # looked at before any node is touched
            raise ProviderError(f"no complete state {key!r} is kept in {self.dir / 'states'}")
        with progress.stage(f"lab {self.lab_name}: restore the state {key}"):
            self._off_and_booted(rec, lambda: umlstates.put_back(self.dir, rec, key, self.topology))

    def _off_and_booted(self, rec: LabRecord, between: Callable[[], object]) -> None:
        """Every node off (killed if still running), its links plugged, `between` done, all booted."""
        with labstate.locked(self.lab_name):
            for node in rec.nodes:
                self._kill(rec, node)
                for network in netns.NETWORKS:
                    netns.set_link(self.ns, node, network, True)
            between()
        self._boot_all(rec)

    # -- status and access ---------------------------------------------------------------
    def status(self) -> dict[str, object]:
        rec = self.record()
        if rec is None:
            return {"lab": self.lab_name, "provider": self.name, "phase": "absent", "nodes": {}}
        ns = self.ns if netns.exists(self.ns) else None
        nodes = {name: umlnode.status(node, self.topology.node(name), ns) for name, node in rec.nodes.items()}
        return {"lab": self.lab_name, "provider": self.name, "topology": rec.topology,
                "phase": rec.phase, "netns": rec.netns, "boot_seconds": rec.boot_seconds,
                "ssh_config": str(self.ssh_config), "nodes": nodes}

    def nodes(self) -> list[NodeAccess]:
        return [NodeAccess(n.name, self.ssh_config, self.known_hosts, n.address,
                           {d.name: f"/dev/{d.name}" for d in n.disks}) for n in self.topology.nodes]

    # -- faults --------------------------------------------------------------------------
    def _require_up(self) -> LabRecord:
        if (rec := self.record()) is None or rec.phase != "ready":
            raise ProviderError(f"lab {self.lab_name!r} is not up (hadrill lab up --name {self.lab_name})")
        return rec

    def _kill(self, rec: LabRecord, node: str) -> None:
        if started := rec.nodes[node].started():
            procs.signal_group(started, signal.SIGCONT)
            procs.kill_group(started)
        if child := self._children.pop(node, None):
            child.poll()   # reaped now (it was killed), not left a zombie until the object is collected
        rec.nodes[node].process, rec.nodes[node].frozen = None, False
        labstate.save(rec)

    def power_off(self, node: str) -> None:
        """A pulled plug: every process of the node killed at once."""
        self.topology.node(node)
        with labstate.locked(self.lab_name):
            self._kill(self._require_up(), node)

    def power_on(self, node: str, wait: bool = True) -> bool:
        """Boot the node again on its own disks; returns when it answers SSH (at once if not `wait`)."""
        with labstate.locked(self.lab_name):
            rec = self._require_up()
            started = rec.nodes[node].started()
            if started and procs.members(started):
                raise ProviderError(f"{node} is already powered on")
            self._start(rec, node)
        if wait:
            self.wait_ready(node)
        return True

    def _group_signal(self, node: str, sig: int, frozen: bool) -> None:
        with labstate.locked(self.lab_name):
            rec = self._require_up()
            started = rec.nodes[node].started()
            if not started or not procs.signal_group(started, sig):
                raise ProviderError(f"{node} is powered off")
            rec.nodes[node].frozen = frozen
            labstate.save(rec)

    def freeze(self, node: str) -> None:
        """Stop the node dead (SIGSTOP to all its processes): it neither runs nor answers."""
        self._group_signal(node, signal.SIGSTOP, True)

    def thaw(self, node: str) -> None:
        self._group_signal(node, signal.SIGCONT, False)

    def cut_link(self, node: str) -> None:
        """Pull the node's cluster cable (its tap leaves the bridge); the management link stays up."""
        self._require_up()
        netns.set_link(self.ns, self.topology.node(node).name, "cluster", False)

    def restore_link(self, node: str) -> None:
        self._require_up()
        netns.set_link(self.ns, self.topology.node(node).name, "cluster", True)

    # -- fence devices (a virtual BMC per node that has a `bmc` address) ---------------------
    def bmcs(self) -> dict[str, str]:
        return bmc_control.addresses(self.topology)

    def start_bmc(self, node: str) -> None:
        self._children[f"bmc-{node}"] = bmc_control.start(self, node)

    def stop_bmc(self, node: str) -> None:
        bmc_control.stop(self, node)

    def bmc_log(self, node: str) -> str:
        return bmc_control.log_text(self, node)

    def bmc_running(self, node: str) -> bool:
        return bmc_control.running(self, node)

    def node_pid(self, node: str) -> int | None:
        """The PID of the node's kernel while it is powered on (a new one after each power on)."""
        started = rec.nodes[node].started() if (rec := self.record()) else None
        return started.pid if started and procs.members(started) else None

