"""The `hadrill` command: the image, the embedded lab's life cycle, and runs of the book's features."""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from . import plan
from .image import build as image_build
from .paths import reports_dir
from .providers import labstate, netns
from .providers.base import ProviderError
from .providers.uml import UmlLab, sweep_stale
from .topology import DEFAULT_TOPOLOGY, TopologyError, builtin_names

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


def cmd_reset(args: argparse.Namespace) -> int:
    _lab_for(args.name).reset()
    return 0


def cmd_fault(args: argparse.Namespace) -> int:
    lab = _lab_for(args.name)
    actions: dict[str, Callable[[str], None]] = {
        "power-off": lab.power_off, "power-on": lab.power_on, "freeze": lab.freeze,
        "thaw": lab.thaw, "cut-link": lab.cut_link, "restore-link": lab.restore_link,
        "break-fence": lab.stop_bmc, "repair-fence": lab.start_bmc}
    actions[args.action](args.node)
    print(f"{args.node}: {args.action} done")
    return 0


TOPOLOGY_RE = re.compile(r'^TOPOLOGY = "([a-z0-9-]+)"', re.MULTILINE)


def area_topology(module: Path) -> str:
    """The lab an area's features run on: its test module's TOPOLOGY line, else drbd."""
    m = TOPOLOGY_RE.search(module.read_text())
    return m.group(1) if m else DEFAULT_TOPOLOGY


def run_groups(root: Path, areas: list[str], lab: str | None) -> list[tuple[str, list[Path]]]:
    """The areas' test modules grouped by the lab they need, the lab's own checks first, in order."""
    known = sorted(p.stem.removeprefix("test_") for p in (root / "steps").glob("test_*.py"))
    groups: dict[str, list[Path]] = {}
    for area in areas or sorted(known, key=lambda a: (a != "lab", a)):
        module = root / "steps" / f"test_{area}.py"
        if not module.exists():
            raise ProviderError(f"no area {area!r}; areas: {', '.join(known)}")
        groups.setdefault(lab or area_topology(module), []).append(module)
    return list(groups.items())


def cmd_run(args: argparse.Namespace) -> int:
    """One pytest run per lab the areas need (the drbd lab's areas first); the reports gather them all."""
    root = Path.cwd()
    if not (root / "features").is_dir():
        raise ProviderError(f"no features/ folder in {root}: run hadrill from the project's top folder")
    reports = reports_dir()
    status = 0
    for i, (topology, modules) in enumerate(run_groups(root, args.areas, args.lab)):
        cmd = [sys.executable, "-m", "pytest", *map(str, modules),
               f"--junitxml={reports / f'junit-{topology}.xml'}", f"--alluredir={reports / 'allure-results'}",
               f"--hadrill-provider={args.provider}", f"--hadrill-lab={topology}"]
        cmd += ["--clean-alluredir"] if i == 0 else ["--hadrill-append"]
        if args.name:
            cmd.append(f"--hadrill-name={args.name}")
        if args.keep_lab:
            cmd.append("--hadrill-keep-lab")
        if args.secrets:
            cmd.append(f"--hadrill-secrets={args.secrets}")
        status = max(status, subprocess.call([*cmd, *args.pytest_args]))
    return status


PLAN_HEADER = ("# hadrill plan: the commands each step would run, per host, in order; no host was reached.\n"
               "# Each read was answered with nothing (as on a fresh host): where a step goes on according\n"
               "# to what a node says, the plan says so, and on a live host it may run fewer commands.\n")


def cmd_plan(args: argparse.Namespace) -> int:
    """Every scenario of the areas run dry (harness.plan): commands written down, no host reached."""
    root = Path.cwd()
    if not (root / "features").is_dir():
        raise ProviderError(f"no features/ folder in {root}: run hadrill from the project's top folder")
    scenarios = []
    with tempfile.TemporaryDirectory(prefix="hadrill-plan-") as tmp:
        for i, (topology, modules) in enumerate(run_groups(root, args.areas, args.lab)):
            out = Path(tmp) / f"plan-{i}.json"
            cmd = [sys.executable, "-m", "pytest", *map(str, modules), f"--hadrill-lab={topology}",
                   f"--hadrill-plan={out}", "-q", "-p", "no:cacheprovider"]
            run = subprocess.run(cmd, capture_output=True, text=True)
            if not out.exists():
                sys.stderr.write(run.stdout + run.stderr)
                raise ProviderError(f"the plan of {', '.join(m.stem for m in modules)} could not be made")
            scenarios += plan.load(out)
    print(json.dumps(scenarios, indent=1) if args.json else PLAN_HEADER + plan.render(scenarios), end="")
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
    run.add_argument("--provider", default="uml", choices=["uml"])
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
    pl.set_defaults(func=cmd_plan)
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
        return int(args.func(args))
    except (ProviderError, TopologyError, KeyError) as exc:
        print(f"hadrill: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("hadrill: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
