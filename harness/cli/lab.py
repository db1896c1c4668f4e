"""`hadrill image` and `hadrill lab ...`: the node image, the Vagrant box, and the life cycle of a lab of
any kind (`--provider uml|vagrant`)."""

from __future__ import annotations

import argparse
import json
import os
import sys

from harness.cli import examples
from harness.lab import lab_inventory, mend, owner
from harness.lab.image import box as box_mod
from harness.lab.image import build as image_build
from harness.lab.providers import netns, registry
from harness.lab.providers.base import FAULTS, ProviderError
from harness.lab.providers.topolab import TopologyLab
from harness.lab.providers.uml import UmlLab
from harness.lab.topology import builtin_names


def _kinds(args: argparse.Namespace) -> list[type[TopologyLab]]:
    """The kinds of lab a command looks at: the one --provider names, else every kind."""
    return [registry.lab_kind(args.provider)] if args.provider else list(registry.LABS.values())


def _kind_of(args: argparse.Namespace) -> type[TopologyLab]:
    """The kind of lab a command acts on: --provider's, else the kind that has a lab of that name, else
    the embedded lab."""
    if args.provider:
        return registry.lab_kind(args.provider)
    for kind in registry.LABS.values():
        if args.name is not None and args.name in kind.names():
            return kind
    return registry.lab_kind(registry.DEFAULT_KIND)


def _lab(args: argparse.Namespace) -> TopologyLab:
    """The lab a command acts on: one that is up (a --name no lab has is refused, not taken as a
    topology), or the only one up."""
    kind = _kind_of(args)
    if args.name and kind.recorded_topology(args.name) is None:
        up = ", ".join(kind.names()) or "none"
        raise ProviderError(f"no {kind.name} lab named {args.name!r} is up (labs up: {up}); "
                            f"`hadrill lab up --name {args.name}` makes one")
    return kind.named(args.name)


def cmd_image(args: argparse.Namespace) -> int:
    image = image_build.ensure(force=args.force, refresh_kernel=args.refresh_kernel)
    print(f"{image.path} (recipe {image.digest}, kernel {image.kernel.described})")
    if args.vagrant_box:
        built = box_mod.ensure(force=args.force)
        print(f"{built.path} (box {built.name})")
    return 0


def cmd_up(args: argparse.Namespace) -> int:
    kind = registry.lab_kind(args.provider or registry.DEFAULT_KIND)
    kind.sweep_stale()
    lab = kind(args.topology, args.name, **({"box": args.box} if args.box else {}))
    for line in mend.settle_dead_runs(lab=lab.lab_name):   # a lab a dead run left, settled first
        print(line)
    lab.up()
    status = lab.status()
    extra = f" ({status['driver']}, box {status['box']})" if "driver" in status else ""
    print(f"{kind.name} lab {lab.lab_name} is up in {status['boot_seconds']} s{extra}; "
          f"nodes: {', '.join(lab.topology.names)}; ssh_config: {lab.ssh_config}")
    return 0


def cmd_down(args: argparse.Namespace) -> int:
    kinds = _kinds(args) if args.all else [_kind_of(args)]
    for kind in kinds:
        swept = kind.sweep_stale()
        if swept:
            print(f"swept stale {kind.name} labs: {', '.join(swept)}")
        names = kind.names() if args.all else [args.name or kind.named(None).lab_name]
        busy = [f"lab {n} is in use by {h.said()}" for n in names if (h := owner.holder(n))]
        if busy:
            raise ProviderError("; ".join(busy) + ": stop that run first (Ctrl-C), then take the lab down")
        for name in names:
            owner.clear(name)     # a dead run's record: taking the lab down settles it
            if kind.recorded_topology(name) is None and not netns.exists(netns.ns_name(name)):
                print(f"lab {name} is down" if name in swept else f"no lab named {name}: nothing to do")
                continue
            kind.named(name).down()
            print(f"{kind.name} lab {name} is down")
    return 0


def _print_status(st: dict[str, object]) -> None:
    extra = f", {st['driver']}, box {st['box']}" if "driver" in st else ""
    print(f"{st['provider']} lab {st['lab']} ({st.get('topology', '?')}): {st['phase']}, "
          f"netns {st.get('netns', '-')}{extra}")
    for node, info in dict(st["nodes"]).items():  # type: ignore[call-overload]
        link = f" link {info['link']}" if "link" in info else ""
        print(f"  {node:10} {info['state']:8} cluster {info['cluster_address']:15}{link}  "
              f"disks {info['disks']}")


def cmd_status(args: argparse.Namespace) -> int:
    labs = [_lab(args)] if args.name else [kind.existing(n) for kind in _kinds(args) for n in kind.names()]
    statuses = [lab.status() for lab in labs]
    if args.json:
        print(json.dumps(statuses, indent=2))
        return 0
    if not statuses:
        print("no lab")
    for st in statuses:
        _print_status(st)
    return 0


def cmd_ssh(args: argparse.Namespace) -> int:
    lab = _lab(args)
    lab.topology.node(args.node)  # a clear error for a wrong node name
    cmd = ["ssh", "-F", str(lab.ssh_config)]
    if not args.command and sys.stdin.isatty():
        cmd.append("-t")
    os.execvp("ssh", [*cmd, args.node, *args.command])
    return 0  # not reached


def cmd_inventory(args: argparse.Namespace) -> int:
    lab = _lab(args)
    if not isinstance(lab, UmlLab) or not lab.was_made():
        raise ProviderError(f"no embedded lab {lab.lab_name} is up (hadrill lab up --name {lab.lab_name})")
    print(lab_inventory.dump(lab_inventory.inventory(lab, disposable=not args.not_disposable)), end="")
    return 0


def cmd_reset(args: argparse.Namespace) -> int:
    _lab(args).reset()
    return 0


def cmd_fault(args: argparse.Namespace) -> int:
    lab = _lab(args)
    actions = lab.fault_actions()
    if args.action not in actions:
        raise ProviderError(f"the {lab.name} provider cannot {args.action}; it offers: {', '.join(actions)}")
    actions[args.action](args.node)
    print(f"{args.node}: {args.action} done")
    return 0


def _lab_options(p: argparse.ArgumentParser, provider_help: str) -> None:
    p.add_argument("--provider", choices=list(registry.LABS), default=None, help=provider_help)
    p.add_argument("--name", help="the lab's name (default: the only one up)")


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    img = examples.add_command(sub, "image", "build the node image (cached by recipe hash)")
    img.add_argument("--force", action="store_true", help="rebuild even if cached")
    img.add_argument("--refresh-kernel", action="store_true", help="fetch the UML kernel package again")
    img.add_argument("--vagrant-box", action="store_true",
                     help="also the local libvirt box for --provider vagrant, from the same recipe")
    img.set_defaults(func=cmd_image)
    lab = examples.add_command(sub, "lab", "a lab: the embedded one of UML nodes (uml) or Vagrant VMs "
                                           "(vagrant)")
    labs = lab.add_subparsers(dest="lab_cmd", required=True)
    any_kind = "the kind of lab (default: whichever has a lab of that name, else uml)"
    up = examples.add_command(labs, "lab up", "boot a lab (idempotent)")
    up.add_argument("--provider", choices=list(registry.LABS), default=None, help="the kind of lab (uml)")
    up.add_argument("--topology", "--lab", dest="topology", default="drbd",
                    help=f"the lab's topology: {' | '.join(builtin_names())} | FILE")
    up.add_argument("--name", help="lab name (default: the topology's; vagrant: vg-<topology>)")
    up.add_argument("--box", help="vagrant: a Vagrant box (e.g. debian/bookworm64; default: the local box)")
    up.set_defaults(func=cmd_up)
    down = examples.add_command(labs, "lab down", "stop a lab and remove all it made")
    _lab_options(down, any_kind + "; with --all: every kind")
    down.add_argument("--all", action="store_true", help="every lab on this machine")
    down.set_defaults(func=cmd_down)
    st = examples.add_command(labs, "lab status", "labs and their nodes")
    _lab_options(st, "the kind of lab (default: every kind)")
    st.add_argument("--json", action="store_true", help="labs and nodes as JSON")
    st.set_defaults(func=cmd_status)
    ssh = examples.add_command(labs, "lab ssh", "run a command on a node (exit code passed through)")
    _lab_options(ssh, any_kind)
    ssh.add_argument("node", help="the node, by its name in the lab (hadrill lab status lists them)")
    ssh.add_argument("command", nargs=argparse.REMAINDER,
                     help="the command and its arguments, after -- if one begins with a dash (default: a "
                          "shell)")
    ssh.set_defaults(func=cmd_ssh)
    inv = examples.add_command(labs, "lab inventory",
                               "print a running lab as an inventory for --provider ssh")
    _lab_options(inv, any_kind)
    inv.add_argument("--not-disposable", action="store_true", help="mark its hosts disposable: false")
    inv.set_defaults(func=cmd_inventory)
    reset = examples.add_command(labs, "lab reset", "back to freshly booted nodes with empty disks")
    _lab_options(reset, any_kind)
    reset.set_defaults(func=cmd_reset)
    fault = examples.add_command(labs, "lab fault", "inject a fault into a node")
    _lab_options(fault, any_kind)
    fault.add_argument("action", choices=list(FAULTS), help="the fault, or its undoing")
    fault.add_argument("node", help="the node it is done to")
    fault.set_defaults(func=cmd_fault)
