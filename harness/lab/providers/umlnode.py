"""One UML node: its folder (keys, config, disks, copy-on-write root), its command line, its boot."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

from harness.lab.providers.base import ProviderError
from harness.lab.providers.labstate import NodeRecord
from harness.lab.providers.netns import exec_prefix, link_up, proxy_command, tap_name
from harness.lab.providers.procs import Started, await_exec, members
from harness.lab.sshconf import SshHost, public_key_text, render_config, render_known_hosts
from harness.lab.topology import MGMT_NIC, NodeSpec, Topology

EXEC_TIMEOUT = 5.0


def mac(lab: str, node: NodeSpec, network: str) -> str:
    """A locally administered MAC, distinct per lab, node and network."""
    lab_byte = hashlib.sha256(lab.encode()).digest()[0]
    net_byte = {"cluster": 1, "mgmt": 2}[network]
    return f"02:48:44:{lab_byte:02x}:{net_byte:02x}:{node.index:02x}"


def iqn(lab: str, node: str) -> str:
    """The node's own iSCSI initiator name (one image would otherwise give every node the same)."""
    return f"iqn.2026-11.io.hadrill:{lab}.{node}"


def keygen(path: Path, comment: str) -> None:
    if not path.exists():
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(path)],
                       check=True, stdin=subprocess.DEVNULL)


def disks_rules(node: NodeSpec) -> str:
    """udev rules that give each disk the book's name too (/dev/sdb -> ubdb), partitions included."""
    rules = []
    for d in node.disks:
        rules.append(f'KERNEL=="{d.device}", SYMLINK+="{d.name}"')
        rules.append(f'KERNEL=="{d.device}[0-9]*", SYMLINK+="{d.name}%n"')
    return "\n".join(rules) + "\n"


def write_conf(folder: Path, topo: Topology, node: NodeSpec, client_pub: Path) -> None:
    """The folder the node reads at boot (hostfs, read-only): key, authorized key, links, aliases."""
    conf = folder / "conf"
    conf.mkdir(parents=True, exist_ok=True)
    keygen(conf / "ssh_host_ed25519_key", f"{node.name}@{topo.name}")
    (conf / "authorized_keys").write_text(client_pub.read_text())
    (conf / "disks.rules").write_text(disks_rules(node))
    # UML's vector devices vec0 (cluster) and vec1 (management) get the site's cluster interface name (the
    # book's eth0) and eth1.
    cluster = topo.site.interface
    links = f"vec0:{cluster}={node.address}/{topo.subnet.prefixlen} vec1:{MGMT_NIC}={node.mgmt_address}/24"
    (conf / "node.env").write_text(f"HADRILL_IQN='{iqn(topo.name, node.name)}'\nHADRILL_LINKS='{links}'\n")


def make_files(folder: Path, topo: Topology, node: NodeSpec, client_pub: Path) -> None:
    """The node's folder as a new node has it: its configuration and fresh disks."""
    write_conf(folder, topo, node, client_pub)
    make_disks(folder, node)


def blank_disks(lab_dir: Path, topo: Topology) -> None:
    """Every node of the lab on fresh disks (nodes powered off)."""
    for node in topo.nodes:
        make_disks(folder(lab_dir, node.name), node)


def make_disks(folder: Path, node: NodeSpec) -> None:
    """Fresh sparse disk files and no copy-on-write root: the node boots as new."""
    (folder / "root.cow").unlink(missing_ok=True)
    for d in node.disks:
        path = folder / f"{d.name}.img"
        path.unlink(missing_ok=True)
        with open(path, "wb") as f:
            f.truncate(d.size_mib << 20)


def command(topo: Topology, node: NodeSpec, folder: Path, kernel: Path, image: Path,
            machine_id: str) -> list[str]:
    """The linux.uml command line of one node."""
    cmd = [str(kernel), f"mem={node.memory_mib}M", f"umid={topo.name}-{node.name}", f"uml_dir={folder}",
           f"ubd0={folder / 'root.cow'},{image}"]
    cmd += [f"ubd{i + 1}={folder / (d.name + '.img')}" for i, d in enumerate(node.disks)]
    cmd += ["root=/dev/ubda", "rw", "con=null", "con0=null,fd:1", "ssl=null",
            *(_nic(i, topo, node, net) for i, net in enumerate(("cluster", "mgmt"))),
            f"systemd.machine_id={machine_id}", f"systemd.hostname={node.name}",
            f"hadrill.conf={folder / 'conf'}",
            "seccomp=on"]  # guest syscalls caught by a seccomp stub instead of ptrace: faster
    return cmd


NIC_GRO = True   # the benchmark of DRBD's resync turns it off to show the difference


def _nic(index: int, topo: Topology, node: NodeSpec, net: str) -> str:
    """A vector NIC on the node's tap. gro=1: the host's bridge hands the tap GSO frames (up to 64 KiB);
    without it the guest drops each one ("Incoming GSO frames and GRO disabled") and TCP crawls on
    retransmits (DRBD resync at ~200 KiB/s)."""
    return (f"vec{index}:transport=tap,ifname={tap_name(node.name, net)},"
            f"mac={mac(topo.name, node, net)},gro={int(NIC_GRO)}")


def boot(ns: str, cmd: list[str], console: Path) -> tuple[Started, subprocess.Popen[bytes]]:
    """Start the node inside the namespace, in a process group of its own; record it at once."""
    console.parent.mkdir(parents=True, exist_ok=True)
    env = {"PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), "TMPDIR": "/dev/shm"}
    with open(console, "ab") as out:
        out.write(b"\n==== hadrill: power on ====\n")
        out.flush()
        proc = subprocess.Popen([*exec_prefix(ns), *cmd], stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True, env=env)
    try:  # only once `ip netns exec` has become the kernel is the process known by its program
        return await_exec(proc.pid, os.path.realpath(cmd[0]), EXEC_TIMEOUT), proc
    except ProcessLookupError as exc:
        raise ProviderError(str(exc)) from None



def folder(lab_dir: Path, node: str) -> Path:
    """The node's folder in its lab's: keys, config, disks, copy-on-write root."""
    return lab_dir / "nodes" / node


def write_ssh_files(topology: Topology, ns: str, lab_dir: Path, ssh_config: Path, known_hosts: Path) -> None:
    """The lab's ssh_config and known_hosts: each node reached through the namespace by its management
    address with the lab's key, its host key pinned."""
    proxy = proxy_command(ns)
    hosts = [SshHost(n.name, n.mgmt_address,
                     public_key_text(folder(lab_dir, n.name) / "conf" / "ssh_host_ed25519_key.pub"),
                     proxy_command=proxy) for n in topology.nodes]
    ssh_config.write_text(render_config(hosts, lab_dir / "id_ed25519", known_hosts))
    known_hosts.write_text(render_known_hosts(hosts))


def status(record: NodeRecord, spec: NodeSpec, ns: str | None) -> dict[str, object]:
    """What `hadrill lab status` says of a node: its power (from its recorded processes), addresses, the
    state of its cluster link in the namespace (`ns`; None when the namespace is gone) and its disks."""
    started = record.started()
    running = bool(started and members(started))
    return {"state": "off" if not running else "frozen" if record.frozen else "running",
            "pid": started.pid if started and running else None,
            "cluster_address": spec.address, "mgmt_address": spec.mgmt_address,
            "link": "none" if ns is None else "up" if link_up(ns, spec.name, "cluster") else "cut",
            "disks": {d.name: d.size_mib for d in spec.disks}}
