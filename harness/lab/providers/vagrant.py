"""Vagrant VMs (vagrant-libvirt) from the project's Vagrantfile, run by a libvirtd of the lab's own.

The lab owns a network namespace (hadrill-<name>) where its libvirtd, qemu, dnsmasq and vagrant run:
Vagrant's networks and the book's never touch the machine's own. The harness reaches the VMs as root by
the key Vagrant put in, through the namespace, against host keys pinned just after they were made. Faults
go through libvirt (power off `virsh destroy`, freeze `virsh suspend`); a cut cable, tc in the guest."""

from __future__ import annotations

import json
import os
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from harness import progress
from harness.lab.image import box as box_mod
from harness.lab.providers import libvirtd, link_cut, netns, procs, ready
from harness.lab.providers.base import Capabilities, ProviderError
from harness.lab.providers.topolab import TopologyLab
from harness.lab.providers.vagrantcli import SshEntry, Vagrant, VagrantError, parse_ssh_config
from harness.lab.sshconf import SshHost, render_config, render_known_hosts
from harness.lab.topology import DEFAULT_TOPOLOGY, Topology
from harness.node import NodeAccess
from harness.paths import checked_name, remove_tree, reports_dir, state_dir, valid_name

BOOT_TIMEOUT_S = 600.0
DESTROY_TIMEOUT_S = 120.0
CLUSTER_INTERFACE = "eth1"      # eth0 is Vagrant's management network
DISK_LETTERS = "bcdefgh"        # vda is the root disk; the topology's disks follow on virtio


@dataclass
class VagrantRecord:
    """What a vagrant lab made (vagrant.json): enough to take it down after a crash."""

    name: str
    topology: str
    box: str
    phase: str = "creating"                 # creating, ready
    owner_pid: int = field(default_factory=os.getpid)
    libvirtd: dict[str, int | str] | None = None
    boot_seconds: float | None = None
    driver: str = ""                        # libvirt's domain type the VMs were made with (kvm, qemu)

    def stale(self) -> bool:
        return self.phase != "ready" and not procs.alive(self.owner_pid)

    def daemon(self) -> procs.Started | None:
        """The lab's libvirtd as it was started, if it was."""
        return procs.Started(**self.libvirtd) if self.libvirtd else None  # type: ignore[arg-type]


def lab_root() -> Path:
    return state_dir() / "vagrant"


class VagrantLab(TopologyLab):
    """The topology's nodes as Vagrant VMs on libvirt, in the namespace hadrill-<name>."""

    name = "vagrant"
    cluster_interface = CLUSTER_INTERFACE
    capabilities = Capabilities(power=True, freeze=True, cut_link=True, managed=True, disposable=True)

    def __init__(self, topology: str = DEFAULT_TOPOLOGY, lab_name: str | None = None, box: str | None = None):
        super().__init__(topology, lab_name)
        self.box = box or os.environ.get("HADRILL_BOX")   # None: the local box built from the recipe
        self.dir = lab_root() / self.lab_name
        self.kernel: Path | None = None     # the local box's kernel, once known: the KVM probe boots it

    # -- the labs on this machine ---------------------------------------------------------
    @classmethod
    def default_name(cls, topology: Topology) -> str:
        return f"vg-{topology.name}"

    @classmethod
    def names(cls) -> list[str]:
        root = lab_root()
        return sorted(p.name for p in root.iterdir()
                      if valid_name(p.name) and (p / "vagrant.json").exists()) if root.exists() else []

    @classmethod
    def recorded_topology(cls, name: str) -> str | None:
        rec = record_of(name)
        return rec.topology if rec else None

    @classmethod
    def stale_names(cls) -> list[str]:
        return [n for n in cls.names() if (rec := record_of(n)) is not None and rec.stale()]

    # -- paths and record ------------------------------------------------------------------
    @property
    def libvirt_dir(self) -> Path:
        return self.dir / "libvirt"

    @property
    def logs(self) -> Path:
        """Where the consoles and logs go (under reports/, kept after down)."""
        return reports_dir() / "consoles" / self.lab_name

    def console_log(self, node: str) -> Path | None:
        return self.logs / f"{node}.log"

    def record(self) -> VagrantRecord | None:
        return record_of(self.lab_name)

    def _save(self, rec: VagrantRecord) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        tmp = self.dir / "vagrant.json.tmp"
        tmp.write_text(json.dumps(asdict(rec), indent=2) + "\n")
        os.replace(tmp, self.dir / "vagrant.json")

    def _topology_setting(self) -> str:
        """What the Vagrantfile's HADRILL_TOPOLOGY says: a built-in name, or a file's absolute path."""
        ref = self.topology_ref
        return str(Path(ref).absolute()) if ref.endswith((".yaml", ".yml")) else ref

    def vagrant(self, box: str) -> Vagrant:
        """The vagrant command with this lab's settings and box."""
        settings = {"HADRILL_TOPOLOGY": self._topology_setting(), "HADRILL_BOX": box,
                    "HADRILL_LIBVIRT_URI": libvirtd.uri(self.libvirt_dir),
                    "HADRILL_LIBVIRT_DRIVER": libvirtd.driver(self.kernel),
                    "HADRILL_CONSOLE_DIR": str(self.logs)}
        return Vagrant(self.ns, self.dir / "dotvagrant", settings, self.logs / "vagrant.log")

    # -- lifecycle -----------------------------------------------------------------------
    def up(self) -> None:
        """Make the namespace and its libvirtd, `vagrant up` the topology, pin keys, wait for boot."""
        rec = self.record()
        if rec and rec.phase == "ready" and self._daemon_running(rec):
            progress.say(f"vagrant lab {self.lab_name} is already up")
            return
        if rec and not rec.stale() and rec.phase != "ready":
            raise ProviderError(f"vagrant lab {self.lab_name!r} is being brought up by PID {rec.owner_pid}")
        if rec or netns.exists(self.ns):
            progress.say(f"vagrant lab {self.lab_name}: sweeping what an earlier run left")
            self.down()
        if not libvirtd.installed():
            raise ProviderError("the vagrant provider needs vagrant, vagrant-libvirt, libvirt-daemon, "
                                "libvirt-clients and qemu-system-x86 (make vagrant-setup installs them)")
        self.logs.mkdir(parents=True, exist_ok=True)
        box = self.box or self._local_box()
        start = time.monotonic()
        rec = VagrantRecord(self.lab_name, self.topology_ref, box)
        self._save(rec)   # recorded before anything is made, so a crash can be swept
        try:
            self._create(rec)
            rec.phase, rec.boot_seconds = "ready", round(time.monotonic() - start, 1)
            self._save(rec)
        except BaseException:
            self.down()
            raise

    def _local_box(self) -> str:
        """The box built from the node image's recipe, added to Vagrant once."""
        built = box_mod.ensure()
        self.kernel = box_mod.kernel_of(built)
        vagrant = self.vagrant(built.name)
        self.dir.mkdir(parents=True, exist_ok=True)
        boxes = vagrant.boxes()
        if built.name not in boxes:
            with progress.stage(f"vagrant: add box {built.name}"):
                vagrant.run("box", "add", "--name", built.name, str(built.path), in_ns=False)
        for old in boxes:   # earlier builds of the local box, no longer the recipe's
            if old.startswith(box_mod.BOX_PREFIX) and old != built.name and not self._others_use(old):
                vagrant.run("box", "remove", "--force", old, in_ns=False)
        return built.name

    def _others_use(self, box: str) -> bool:
        """Whether another vagrant lab on this machine runs on this box."""
        return any((rec := record_of(name)) is not None and rec.box == box
                   for name in self.names() if name != self.lab_name)

    def _create(self, rec: VagrantRecord) -> None:
        netns.create(self.ns, {})
        started = libvirtd.start(self.libvirt_dir, self.ns)
        rec.libvirtd, rec.driver = started.to_json(), libvirtd.driver(self.kernel)
        self._save(rec)
        vagrant = self.vagrant(rec.box)
        with progress.stage(f"vagrant lab {self.lab_name}: up {len(self.topology.nodes)} VMs "
                            f"({rec.driver}, box {rec.box})"):
            vagrant.run("up", "--provider=libvirt")
        self._write_ssh_files(parse_ssh_config(vagrant.run("ssh-config")))
        with ThreadPoolExecutor(max_workers=len(self.topology.nodes)) as pool:
            list(pool.map(self.wait_ready, self.topology.names))

    def _write_ssh_files(self, entries: list[SshEntry]) -> None:
        """ssh_config as root with each VM's own key, through the namespace; host keys read now, pinned."""
        proxy = netns.proxy_command(self.ns)
        hosts = [SshHost(e.name, e.address, self._scan_host_key(e), "root", e.port, proxy) for e in entries]
        blocks = [render_config([h], Path(e.identity), self.known_hosts)
                  for h, e in zip(hosts, entries, strict=True)]
        self.ssh_config.write_text("\n".join(blocks))
        self.known_hosts.write_text(render_known_hosts(hosts))

    def _scan_host_key(self, entry: SshEntry) -> str:
        cmd = [*netns.exec_prefix(self.ns), "ssh-keyscan", "-t", "ed25519", "-p", str(entry.port),
               entry.address]
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        for line in res.stdout.splitlines():
            parts = line.split()
            if len(parts) >= 3 and parts[1] == "ssh-ed25519":
                return f"{parts[1]} {parts[2]}"
        raise ProviderError(f"{entry.name}: no ed25519 host key from {entry.address}: {res.stderr.strip()}")

    def wait_ready(self, node: str, timeout: float = BOOT_TIMEOUT_S) -> None:
        up, last = ready.wait(self.ssh_config, node, timeout)
        if not up:
            raise ProviderError(f"{node} did not come up in {timeout:.0f} s (last: {last!r}); "
                                f"see {self.console_log(node)}")

    def _daemon_running(self, rec: VagrantRecord) -> bool:
        daemon = rec.daemon()
        return netns.exists(self.ns) and daemon is not None and bool(procs.members(daemon))

    def down(self) -> None:
        """vagrant destroy; the lab's libvirtd and all else in its namespace stopped by PID; both removed."""
        rec = self.record()
        if rec and rec.phase == "ready" and self._daemon_running(rec):
            try:
                self.vagrant(rec.box).run("destroy", "--force", timeout=DESTROY_TIMEOUT_S)
            except (VagrantError, subprocess.TimeoutExpired) as exc:
                progress.say(f"vagrant lab {self.lab_name}: vagrant destroy failed ({exc}); stopped by PID")
        daemon = rec.daemon() if rec else None
        if daemon:
            procs.kill_group(daemon)
        netns.remove(self.ns)   # what else runs in there (qemu, dnsmasq) is the lab's own
        libvirtd.keep_logs(self.libvirt_dir, self.logs)
        remove_tree(self.dir, ignore_errors=True)

    # -- status and access ---------------------------------------------------------------
    def _domain(self, node: str) -> str:
        """The libvirt domain of a node, by the id vagrant-libvirt recorded for it."""
        self.topology.node(node)
        path = self.dir / "dotvagrant" / "machines" / node / "libvirt" / "id"
        if not path.exists():
            raise ProviderError(f"vagrant lab {self.lab_name!r} has no VM {node} (is it up?)")
        return path.read_text().strip()

    def _state(self, node: str) -> str:
        res = libvirtd.virsh(self.libvirt_dir, "domstate", self._domain(node), check=False, timeout=10)
        state = res.stdout.strip()
        return {"shut off": "off", "paused": "frozen"}.get(state, state or "unknown")

    def status(self) -> dict[str, object]:
        rec = self.record()
        if rec is None:
            return {"lab": self.lab_name, "provider": self.name, "phase": "absent", "nodes": {}}
        up = self._daemon_running(rec)
        nodes = {n.name: {"state": self._state(n.name) if up else "off", "cluster_address": n.address,
                          "disks": self._disks(n.name)} for n in self.topology.nodes}
        return {"lab": self.lab_name, "provider": self.name, "topology": rec.topology, "box": rec.box,
                "phase": rec.phase, "netns": self.ns, "driver": rec.driver or libvirtd.driver(),
                "boot_seconds": rec.boot_seconds, "ssh_config": str(self.ssh_config), "nodes": nodes}

    def _disks(self, node: str) -> dict[str, str]:
        """The book's disk names -> the devices libvirt gives them (virtio: /dev/vdb, /dev/vdc, ...)."""
        spec = self.topology.node(node)
        return {d.name: f"/dev/vd{DISK_LETTERS[i]}" for i, d in enumerate(spec.disks)}

    def nodes(self) -> list[NodeAccess]:
        return [NodeAccess(n.name, self.ssh_config, self.known_hosts, n.address, self._disks(n.name))
                for n in self.topology.nodes]

    # -- faults (libvirt for power and freeze; tc's drop in the guest for the cable) -------------
    def power_off(self, node: str) -> None:
        """A pulled plug: the VM's qemu is killed at once (virsh destroy)."""
        libvirtd.virsh(self.libvirt_dir, "destroy", self._domain(node))

    def power_on(self, node: str, wait: bool = True) -> bool:
        if self._state(node) != "off":
            raise ProviderError(f"{node} is already powered on")
        libvirtd.virsh(self.libvirt_dir, "start", self._domain(node))
        if wait:
            self.wait_ready(node)
        return True

    def freeze(self, node: str) -> None:
        """Stop the VM dead (virsh suspend): it neither runs nor answers."""
        libvirtd.virsh(self.libvirt_dir, "suspend", self._domain(node))

    def thaw(self, node: str) -> None:
        libvirtd.virsh(self.libvirt_dir, "resume", self._domain(node))

    def cut_link(self, node: str) -> None:
        """The node's cluster interface drops everything in and out; SSH comes over the management one."""
        link_cut.apply(self.ssh_config, node, CLUSTER_INTERFACE, True)

    def restore_link(self, node: str) -> None:
        """Nothing for a VM that is off: the cut was its kernel's state and went with its power."""
        if self._state(node) != "off":
            link_cut.apply(self.ssh_config, node, CLUSTER_INTERFACE, False)


def record_of(name: str) -> VagrantRecord | None:
    """The record of the vagrant lab `name` (vagrant.json), if there is one."""
    path = lab_root() / checked_name(name, "lab name") / "vagrant.json"
    return VagrantRecord(**json.loads(path.read_text())) if path.exists() else None
