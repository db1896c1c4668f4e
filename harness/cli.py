"""The `hadrill` command: the image, the embedded lab's life cycle, and runs of the book's features."""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from harness import areas, cli_vagrant
from harness.areas import project_root
from harness.lab import inventory, lab_inventory
from harness.lab.image import build as image_build
from harness.lab.providers import labstate, netns
from harness.lab.providers.base import ProviderError
from harness.lab.providers.uml import UmlLab, sweep_stale
from harness.lab.topology import TopologyError, builtin_names
from harness.lab.topology import load as load_topology
from harness.paths import UnsafeName, UnsafePath, checked_name, reports_dir
from harness.plan import dryrun, guard
from harness.report import html_report, runbook

FAULTS = ("power-off", "power-on", "freeze", "thaw", "cut-link", "restore-link", "break-fence",
          "repair-fence")


def _terminate_as_interrupt(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")  # so that a lab being made is taken down again


def _lab_for(name: str | None, topology: str | None = None) -> UmlLab:
    """The lab named (or the only one there is), with the topology it was made from."""
    if name is None and topology is None:
        names = labstate.all_names()
        if len(names) > 1:
            raise ProviderError(f"several labs are up ({', '.join(names)}): say which with --name")
        name = names[0] if names else "drbd"
    rec = labstate.load(name) if name else None
    return UmlLab(rec.topology if rec else (topology or name or "drbd"), name)


def cmd_image(args: argparse.Namespace) -> int:
    image = image_build.ensure(force=args.force, refresh_kernel=args.refresh_kernel)
    print(f"{image.path} (recipe {image.digest}, kernel {image.kernel.ident})")
    return 0


def cmd_up(args: argparse.Namespace) -> int:
    sweep_stale()
    lab = UmlLab(args.lab, args.name)
    lab.up()
    status = lab.status()
    print(f"lab {lab.lab_name} is up in {status['boot_seconds']} s; "
          f"nodes: {', '.join(lab.topology.names)}; ssh_config: {lab.ssh_config}")
    return 0


def cmd_down(args: argparse.Namespace) -> int:
    swept = sweep_stale()
    if swept:
        print(f"swept stale labs: {', '.join(swept)}")
    if args.all:
        names = labstate.all_names()
    elif args.name:
        names = [args.name]
    else:
        names = [_lab_for(None).lab_name]
    for name in names:
        if labstate.load(name) is None and not netns.exists(netns.ns_name(name)):
            print(f"lab {name} is down" if name in swept else f"no lab named {name}: nothing to do")
            continue
        _lab_for(name).down()
        print(f"lab {name} is down")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    names = [args.name] if args.name else labstate.all_names()
    statuses = [_lab_for(n).status() for n in names]
    if args.json:
        print(json.dumps(statuses, indent=2))
        return 0
    if not statuses:
        print("no lab")
    for st in statuses:
        print(f"lab {st['lab']} ({st.get('topology', '?')}): {st['phase']}, netns {st.get('netns', '-')}")
        for node, info in dict(st["nodes"]).items():  # type: ignore[call-overload]
            print(f"  {node:10} {info['state']:8} cluster {info['cluster_address']:15} link {info['link']}")
    return 0


def cmd_ssh(args: argparse.Namespace) -> int:
    lab = _lab_for(args.name)
    lab.topology.node(args.node)  # a clear error for a wrong node name
    cmd = ["ssh", "-F", str(lab.ssh_config)]
    if not args.command and sys.stdin.isatty():
        cmd.append("-t")
    os.execvp("ssh", [*cmd, args.node, *args.command])
    return 0  # not reached


def cmd_inventory(args: argparse.Namespace) -> int:
    lab = _lab_for(args.name)
    if lab.record() is None:
        raise ProviderError(f"lab {lab.lab_name} is not up (hadrill lab up --name {lab.lab_name})")
    print(lab_inventory.dump(lab_inventory.inventory(lab, disposable=not args.not_disposable)), end="")
    return 0


def cmd_reset(args: argparse.Namespace) -> int:
    _lab_for(args.name).reset()
    return 0


def cmd_fault(args: argparse.Namespace) -> int:
    _lab_for(args.name).fault_actions()[args.action](args.node)
    print(f"{args.node}: {args.action} done")
    return 0


Groups = list[tuple[str, list[Path]]]


def _target(args: argparse.Namespace, root: Path) -> tuple[Groups, list[str], inventory.Inventory | None]:
    """The runs to make (lab, test modules), the options naming where they run, and the inventory."""
    groups = areas.run_groups(root, args.areas, args.lab)
    if args.provider != "ssh" and not args.inventory:
        return groups, [f"--hadrill-provider={args.provider}"], None
    if not args.inventory:
        raise ProviderError("--provider ssh needs --inventory FILE")
    inv = inventory.load(Path(args.inventory))
    wrong = [m.stem.removeprefix("test_") for topology, ms in groups for m in ms if topology != inv.topology]
    if wrong and not args.lab:
        raise ProviderError(f"inventory {inv.name!r} is a {inv.topology} topology; these need another: "
                            f"{', '.join(wrong)}")
    return [(inv.topology, [m for _, ms in groups for m in ms])], [
        "--hadrill-provider=ssh", f"--hadrill-inventory={Path(args.inventory).absolute()}"], inv


def _refuse_destruction(root: Path, groups: Groups, where: list[str], inv: inventory.Inventory | None,
                        pytest_args: list[str]) -> None:
    """The guard, before any pytest run starts (so a refused run leaves the last reports alone)."""
    runs = [([*map(str, modules), *pytest_args], [*where, f"--hadrill-lab={topology}"])
            for topology, modules in groups]
    refused = guard.check(root, inv, runs)
    if refused:
        raise ProviderError(refused)


def cmd_run(args: argparse.Namespace) -> int:
    """One pytest run per lab the areas need (the drbd lab's areas first); the reports gather them all."""
    root = project_root()
    reports = reports_dir()
    status = 0
    groups, where, inv = _target(args, root)
    _refuse_destruction(root, groups, where, inv, args.pytest_args)
    for i, (topology, modules) in enumerate(groups):
        cmd = [sys.executable, "-m", "pytest", *map(str, modules),
               f"--junitxml={reports / f'junit-{load_topology(topology).name}.xml'}",
               f"--alluredir={reports / 'allure-results'}",
               *where, f"--hadrill-lab={topology}"]
        cmd += ["--clean-alluredir"] if i == 0 else ["--hadrill-append"]
        if args.name:
            cmd.append(f"--hadrill-name={args.name}")
        if args.keep_lab:
            cmd.append("--hadrill-keep-lab")
        if args.secrets:
            cmd.append(f"--hadrill-secrets={args.secrets}")
        status = max(status, subprocess.call([*cmd, *args.pytest_args]))
    return status


def cmd_plan(args: argparse.Namespace) -> int:
    """Every scenario of the areas run dry (harness.plan): commands written down, no host reached."""
    root = project_root()
    groups, where, _ = _target(args, root)
    scenarios = []
    for topology, modules in groups:
        scenarios += areas.dry_run(root, list(map(str, modules)), [*where, f"--hadrill-lab={topology}"])
    print(json.dumps(scenarios, indent=1) if args.json else dryrun.HEADER + dryrun.render(scenarios), end="")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    index = html_report.generate(project_root(), reports_dir())
    print(f"report: {index}")
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    """The living runbook from the features, the plan, and the last run's transcript and results."""
    reports = reports_dir()
    planned = areas.plan(project_root(), args.areas, None)
    chapters = runbook.build(planned, runbook.load_transcript(reports / "transcript.jsonl"),
                             runbook.load_results(reports / "allure-results"))
    html, md = runbook.write(chapters, reports / "runbook")
    print(f"runbook: {html} and {md}")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="hadrill", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    img = sub.add_parser("image", help="build the node image (cached by recipe hash)")
    img.add_argument("--force", action="store_true", help="rebuild even if cached")
    img.add_argument("--refresh-kernel", action="store_true", help="fetch the UML kernel package again")
    img.set_defaults(func=cmd_image)

    lab = sub.add_parser("lab", help="the embedded lab of UML nodes").add_subparsers(dest="lab_cmd",
                                                                                      required=True)
    up = lab.add_parser("up", help="boot a lab (idempotent)")
    up.add_argument("--lab", default="drbd", help=f"topology: {' | '.join(builtin_names())} | FILE")
    up.add_argument("--name", help="lab name (default: the topology's name)")
    up.set_defaults(func=cmd_up)
    down = lab.add_parser("down", help="stop a lab and remove all it made")
    down.add_argument("--name")
    down.add_argument("--all", action="store_true", help="every lab on this machine")
    down.set_defaults(func=cmd_down)
    st = lab.add_parser("status", help="labs and their nodes")
    st.add_argument("--name")
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=cmd_status)
    ssh = lab.add_parser("ssh", help="run a command on a node (exit code passed through)")
    ssh.add_argument("--name")
    ssh.add_argument("node")
    ssh.add_argument("command", nargs=argparse.REMAINDER)
    ssh.set_defaults(func=cmd_ssh)
    inv = lab.add_parser("inventory", help="print a running lab as an inventory for --provider ssh")
    inv.add_argument("--name")
    inv.add_argument("--not-disposable", action="store_true", help="mark its hosts disposable: false")
    inv.set_defaults(func=cmd_inventory)
    reset = lab.add_parser("reset", help="back to freshly booted nodes with empty disks")
    reset.add_argument("--name")
    reset.set_defaults(func=cmd_reset)
    fault = lab.add_parser("fault", help="inject a fault into a node")
    fault.add_argument("--name")
    fault.add_argument("action", choices=FAULTS)
    fault.add_argument("node")
    fault.set_defaults(func=cmd_fault)

    run = sub.add_parser("run", help="run the features of some areas (default: all)")
    run.add_argument("areas", nargs="*", help="folders of features/ (lab, drbd, ...)")
    run.add_argument("--provider", default="uml", choices=["uml", "vagrant", "ssh"],
                     help="the embedded lab (uml), Vagrant VMs (vagrant), or existing hosts from an "
                          "inventory (ssh)")
    run.add_argument("--inventory", help="the inventory of hosts (YAML) for --provider ssh")
    run.add_argument("--lab", default=None,
                     help="topology of the embedded lab for every area (default: each area's own)")
    run.add_argument("--name", help="lab name")
    run.add_argument("--keep-lab", action="store_true", help="leave the lab up afterwards")
    run.add_argument("--secrets", help="YAML file of secret values, mode 600 (default: $HADRILL_SECRETS)")
    run.set_defaults(func=cmd_run, pytest_args=[])

    pl = sub.add_parser("plan", help="print the commands the areas' scenarios would run, reaching no host")
    pl.add_argument("areas", nargs="*", help="folders of features/ (default: all)")
    pl.add_argument("--lab", default=None, help="topology of the embedded lab (default: each area's own)")
    pl.add_argument("--json", action="store_true", help="the plan as JSON")
    pl.add_argument("--provider", default="uml", choices=["uml", "vagrant", "ssh"])
    pl.add_argument("--inventory", help="plan for an inventory's hosts (implies --provider ssh)")
    pl.set_defaults(func=cmd_plan)

    cli_vagrant.add_parser(sub)
    rep = sub.add_parser("report", help="make reports/html (Allure) from the last run's results")
    rep.set_defaults(func=cmd_report)
    docs = sub.add_parser("docs", help="write the living runbook (reports/runbook: HTML and Markdown)")
    docs.add_argument("areas", nargs="*", help="folders of features/ (default: all)")
    docs.set_defaults(func=cmd_docs)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1:]
    args = parser().parse_args(argv)
    if args.func is cmd_run:
        args.pytest_args = extra
    signal.signal(signal.SIGTERM, _terminate_as_interrupt)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with SIGINT ignored
    try:
        if getattr(args, "name", None) is not None:
            checked_name(args.name, "--name")   # a lab's name becomes part of paths and a namespace's
        return int(args.func(args))
    except (ProviderError, TopologyError, KeyError, html_report.ReportError, inventory.InventoryError,
            UnsafeName, UnsafePath) as exc:
        print(f"hadrill: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("hadrill: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
