"""`hadrill vagrant ...`: the local box, and the life cycle of a lab of Vagrant VMs."""

from __future__ import annotations

import argparse
import json

from harness.lab.image import box as box_mod
from harness.lab.providers import vagrant
from harness.lab.providers.base import ProviderError
from harness.lab.providers.vagrant import VagrantLab
from harness.lab.topology import builtin_names

FAULTS = ("power-off", "power-on", "freeze", "thaw", "cut-link", "restore-link")


def _lab(name: str | None) -> VagrantLab:
    """The vagrant lab named, or the only one there is."""
    names = vagrant.lab_names()
    if name is None:
        if len(names) != 1:
            raise ProviderError(f"vagrant labs up: {', '.join(names) or 'none'}; say which with --name")
        name = names[0]
    return vagrant.existing(name)


def cmd_box(args: argparse.Namespace) -> int:
    built = box_mod.ensure(force=args.force)
    print(f"{built.path} (box {built.name})")
    return 0


def cmd_up(args: argparse.Namespace) -> int:
    vagrant.sweep_stale()
    lab = VagrantLab(args.lab, args.name, args.box)
    lab.up()
    status = lab.status()
    print(f"vagrant lab {lab.lab_name} is up in {status['boot_seconds']} s ({status['driver']}, box "
          f"{status['box']}); nodes: {', '.join(lab.topology.names)}; ssh_config: {lab.ssh_config}")
    return 0


def cmd_down(args: argparse.Namespace) -> int:
    for lab in [vagrant.existing(n) for n in vagrant.lab_names()] if args.all else [_lab(args.name)]:
        lab.down()
        print(f"vagrant lab {lab.lab_name} is down")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    found = [vagrant.existing(n).status() for n in ([args.name] if args.name else vagrant.lab_names())]
    if args.json:
        print(json.dumps(found, indent=2))
        return 0
    for st in found:
        print(f"{st['lab']}: {st['phase']} ({st.get('driver')}, box {st.get('box')})")
        nodes = st["nodes"]
        assert isinstance(nodes, dict)
        for node, info in nodes.items():
            print(f"  {node}: {info['state']}  cluster {info['cluster_address']}  disks {info['disks']}")
    if not found:
        print("no vagrant lab")
    return 0


def cmd_fault(args: argparse.Namespace) -> int:
    _lab(args.name).fault_actions()[args.action](args.node)
    print(f"{args.node}: {args.action} done")
    return 0


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    vg = sub.add_parser("vagrant", help="Vagrant VMs (libvirt) in a namespace of their own").add_subparsers(
        dest="vagrant_cmd", required=True)
    box = vg.add_parser("box", help="build the local libvirt box from the node image's recipe (cached)")
    box.add_argument("--force", action="store_true", help="rebuild even if cached")
    box.set_defaults(func=cmd_box)
    up = vg.add_parser("up", help="bring a topology up as Vagrant VMs (idempotent)")
    up.add_argument("--lab", default="drbd", help=f"topology: {' | '.join(builtin_names())} | FILE")
    up.add_argument("--name", help="lab name (default: vg-<topology>)")
    up.add_argument("--box", help="a Vagrant box (e.g. debian/bookworm64; default: the local box)")
    up.set_defaults(func=cmd_up)
    down = vg.add_parser("down", help="destroy the VMs and remove all the lab made")
    down.add_argument("--name")
    down.add_argument("--all", action="store_true", help="every vagrant lab on this machine")
    down.set_defaults(func=cmd_down)
    st = vg.add_parser("status", help="vagrant labs and their VMs")
    st.add_argument("--name")
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=cmd_status)
    fault = vg.add_parser("fault", help="inject a fault into a VM")
    fault.add_argument("--name")
    fault.add_argument("action", choices=FAULTS)
    fault.add_argument("node")
    fault.set_defaults(func=cmd_fault)
