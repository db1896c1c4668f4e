"""`hadrill run|plan|report|docs`: the book's features run on a provider, run dry, and what a run leaves."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from harness.areas import find_root, project_root
from harness.cli import docs, examples, findings, session_plan, sessions, targets
from harness.cli.session_plan import Part
from harness.lab import inventory
from harness.lab.providers import registry
from harness.lab.providers.base import ProviderError
from harness.lab.topology import load as load_topology
from harness.paths import checked_name, reports_dir
from harness.plan import dryrun, guard
from harness.report import html_report, kept_runs, merge, run_files, trends

Groups = targets.Groups


def _refuse_destruction(root: Path, groups: Groups, where: list[str], inv: inventory.Inventory | None,
                        pytest_args: list[str]) -> None:
    """The guard, before any pytest run starts (so a refused run leaves the last reports alone)."""
    runs = [([*map(str, modules), *pytest_args], [*where, f"--hadrill-topology={topology}"])
            for topology, modules in groups]
    refused = guard.check(root, inv, runs)
    if refused:
        raise ProviderError(refused)




def runs_kept(text: str) -> int:
    """--keep-runs: a whole number of runs, at least 1 (this one)."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: a number of runs, 1 or more")
    return int(text)


def jobs(text: str) -> str:
    """`auto` or a whole number of sessions, at least 1."""
    if text != "auto" and not (text.isdigit() and int(text) >= 1):
        raise argparse.ArgumentTypeError(f"{text!r} is neither auto nor a number of sessions (1, 2, ...)")
    return text


def shard(text: str) -> tuple[int, int]:
    """`I/N`: the I-th of N shards, 1 <= I <= N."""
    i, sep, n = text.partition("/")
    if not (sep and i.isdigit() and n.isdigit() and 1 <= int(i) <= int(n)):
        raise argparse.ArgumentTypeError(f"{text!r} is not a shard I/N with 1 <= I <= N (e.g. 1/2)")
    return int(i), int(n)


def durations_name(topology: str) -> str:
    """Where a topology's scenario durations are kept (scenario -> seconds, as pytest-split reads them)."""
    return f"durations-{topology}.json"


def durations_file(root: Path, reports: Path, topology: str) -> Path:
    """The scenarios' durations: this machine's last whole run's, else the project's own copy."""
    last = reports / durations_name(topology)
    return last if last.exists() else root / ".test_durations" / f"{topology}.json"


def _split(args: argparse.Namespace, root: Path, reports: Path, topology: str,
           part: tuple[int, int] | None) -> list[str]:
    """pytest-split's options: the user's shard, or this session's part, of the topology's scenarios
    balanced by their durations; for a whole session, the durations stored for later shards (a file per
    topology: sessions may run side by side)."""
    i, n = args.shard or part or (0, 0)
    if not n:
        return ["--store-durations", f"--durations-path={reports / durations_name(topology)}"]
    return [f"--splits={n}", f"--group={i}", "--splitting-algorithm=least_duration",
            f"--durations-path={durations_file(root, reports, topology)}"]


def _session(args: argparse.Namespace, root: Path, reports: Path, part: Part, where: list[str],
             lab_name: str | None) -> sessions.Session:
    """The pytest session of one topology's areas, or of a part of them (on a lab of its own)."""
    name = load_topology(part.topology).name      # part.topology may be a file: its name names files
    label = part.label(name)
    cmd = [sys.executable, "-m", "pytest", *map(str, part.modules),
           f"--junitxml={reports / f'junit-{label}.xml'}", f"--alluredir={reports / run_files.RESULTS}",
           *where, f"--hadrill-topology={part.topology}",
           "--hadrill-append"]   # the run's files were started afresh before any session
    if lab_name:
        cmd.append(f"--hadrill-name={checked_name(lab_name, '--name')}")
    if args.keep_lab:
        cmd.append("--hadrill-keep-lab")
    if getattr(args, "wait", False):
        cmd.append("--hadrill-wait")
    if args.secrets:
        cmd.append(f"--hadrill-secrets={args.secrets}")
    if args.strict_claims:
        cmd.append("--hadrill-strict-claims")
    if args.no_snapshots:
        cmd.append("--hadrill-no-snapshots")
    split = _split(args, root, reports, name, part.part)
    on_hosts = getattr(args, "provider", None) == "ssh"    # an inventory's: undoing a fault takes longer
    within = sessions.STOP_HOSTS_WITHIN_S if on_hosts else sessions.STOP_WITHIN_S
    debugger = any(a in ("--pdb", "--trace") for a in args.pytest_args)
    return sessions.Session(label, [*cmd, *split, *args.pytest_args], within, own_group=not debugger)


def _jobs(args: argparse.Namespace) -> int:
    """Sessions side by side: as asked (`-n auto`: as the machine's cores and memory allow), else one at a
    time."""
    if args.jobs is None:
        return 1
    return sessions.default_jobs() if args.jobs == "auto" else int(args.jobs)


def _parts(args: argparse.Namespace, root: Path, reports: Path, groups: Groups, jobs: int,
           own_labs: bool) -> list[Part]:
    """The run's sessions: one per topology, the longest split into parts while more may run at once; never
    split for a --shard (already a part of the run) nor on hosts the run did not make (an inventory's hosts
    are one set: two sessions would share them)."""
    expected = {t: session_plan.expected_seconds(durations_file(root, reports, t), modules)
                for t, modules in groups}
    return session_plan.parts(groups, expected, jobs if own_labs and not args.shard else len(groups))


def _lab_names(name: str | None, labels: list[str], whole: list[bool]) -> list[str | None]:
    """The lab each session runs on: --name itself for one session, --name-<label> for several (so that
    sessions side by side never share a lab); without --name, the topology's own name for a whole session
    and the part's label (drbd-2) for a part."""
    if name is None:
        return [None if w else label for label, w in zip(labels, whole, strict=True)]
    return [name] if len(labels) == 1 else [f"{name}-{label}" for label in labels]


def cmd_run(args: argparse.Namespace) -> int:
    """One pytest session per topology the areas need (the drbd lab's areas first), or per part of one,
    side by side where the machine allows; the reports gather them all."""
    root, reports = project_root(), reports_dir()
    groups, where, inv = targets.target(args, root)
    _refuse_destruction(root, groups, where, inv, args.pytest_args)
    run_files.start_fresh(reports)
    run_files.write_target(reports, args.provider, args.inventory, args.topology)
    jobs = _jobs(args)
    plan = _parts(args, root, reports, groups, jobs, own_labs=inv is None)
    labels = [p.label(load_topology(p.topology).name) for p in plan]
    names = _lab_names(args.name, labels, [p.part is None for p in plan])
    runs = [_session(args, root, reports, part, where, name) for part, name in zip(plan, names, strict=True)]
    code = sessions.run_all(runs, jobs, reports)
    kept = kept_runs.keep(reports, args.keep_runs)
    print(findings.render(reports), end="")
    print(f"  kept for the trends: {kept} (the last {args.keep_runs} runs)" if kept else "")
    return code


def cmd_plan(args: argparse.Namespace) -> int:
    """Every scenario of the areas run dry (harness.plan): commands written down, no host reached."""
    scenarios = targets.planned(args, project_root())
    print(json.dumps(scenarios, indent=1) if args.json else dryrun.HEADER + dryrun.render(scenarios), end="")
    unplanned = [sc for sc in scenarios if sc.get("unplanned")]
    if unplanned:
        print(f"hadrill: {len(unplanned)} of {len(scenarios)} scenarios could not be planned: "
              f"{unplanned[0]['unplanned']}", file=sys.stderr)
        return 2
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    if args.merge:
        gathered = merge.merge([Path(d) for d in args.merge], reports_dir())
        print(f"merged into {reports_dir()}: {', '.join(gathered)}")
        print(f"kept for the trends: {kept_runs.keep(reports_dir())}")    # the shards are one run
    index = html_report.generate(project_root(), reports_dir())
    print(f"report: {index}")
    past = kept_runs.runs(reports_dir())
    print(f"trends of {len(past)} kept runs: {trends.write(past, reports_dir() / 'trends')}")
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    """The living runbook (and with --pdf, its PDF), its plan made for the site the last run ran on."""
    return docs.cmd_docs(args.areas, args.pdf)


def _area_names(**_: object) -> list[str]:
    """The areas a shell may complete: the folders of features/ in the project around this folder."""
    root = find_root(Path.cwd())
    return sorted(p.name for p in (root / "features").iterdir() if p.is_dir()) if root else []


def _areas_argument(p: argparse.ArgumentParser, help_text: str) -> None:
    action = p.add_argument("areas", nargs="*", help=help_text)
    action.completer = _area_names  # type: ignore[attr-defined]


def _reports_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--reports", metavar="DIR", type=Path,
                   help="the run's reports folder (default: $HADRILL_REPORTS, else ./reports); two runs at "
                        "once each need their own")


def use_reports(args: argparse.Namespace) -> None:
    """--reports, for this command and the sessions it starts."""
    if getattr(args, "reports", None) is not None:
        os.environ["HADRILL_REPORTS"] = str(args.reports.absolute())


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run = examples.add_command(sub, "run", "run the features of some areas (default: all)")
    _areas_argument(run, "folders of features/ (lab, drbd, ...)")
    run.add_argument("--provider", default=registry.DEFAULT_KIND, choices=registry.KINDS,
                     help="the embedded lab (uml), Vagrant VMs (vagrant), or existing hosts from an "
                          "inventory (ssh)")
    run.add_argument("--inventory", help="the inventory of hosts (YAML) for --provider ssh")
    run.add_argument("--topology", "--lab", dest="topology", default=None,
                     help="the topology of the lab for every area (default: each area's own)")
    run.add_argument("--name", help="lab name")
    run.add_argument("--keep-lab", action="store_true", help="leave the lab up afterwards")
    run.add_argument("--keep-runs", type=runs_kept, default=kept_runs.DEFAULT_KEEP, metavar="N",
                     help=f"runs kept in reports/history for the trends (default {kept_runs.DEFAULT_KEEP})")
    run.add_argument("--wait", action="store_true",
                     help="if another run holds the lab, wait for it to end (default: refused at once)")
    run.add_argument("--secrets", help="YAML file of secret values, mode 600 (default: $HADRILL_SECRETS)")
    run.add_argument("--no-snapshots", action="store_true",
                     help="build every known state by the book's steps, none kept or restored (default: "
                          "the embedded lab keeps them)")
    run.add_argument("--allow-disruptive", action="append", metavar="HOST[,HOST]",
                     help="let disruptive steps (demote, stop a cluster stack, move a resource, power "
                          "actions) run on these inventory hosts not marked disposable; destructive ones "
                          "never run there")
    run.add_argument("--strict-claims", action="store_true",
                     help="fail a scenario that finds a claim of the book not held (default: the verdict is "
                          "shown, the scenario passes)")
    run.add_argument("-n", "--jobs", type=jobs, default=None, metavar="N|auto",
                     help="pytest sessions side by side, each with a lab of its own: one per topology, the "
                          "longest split in parts when N is larger (auto: one per core as memory allows); "
                          "default 1")
    run.add_argument("--shard", type=shard, metavar="I/N",
                     help="run only the I-th of N shards, balanced by the scenarios' recorded durations "
                          "(each topology's scenarios split alike); merge with hadrill report --merge")
    _reports_option(run)
    run.set_defaults(func=cmd_run, pytest_args=[])

    pl = examples.add_command(sub, "plan",
                              "print the commands the areas' scenarios would run, reaching no host")
    _areas_argument(pl, "folders of features/ (default: all)")
    pl.add_argument("--topology", "--lab", dest="topology", default=None,
                    help="the topology of the lab (default: each area's own)")
    pl.add_argument("--json", action="store_true", help="the plan as JSON")
    pl.add_argument("--provider", default=registry.DEFAULT_KIND, choices=registry.KINDS,
                    help="plan for the embedded lab (uml, default), Vagrant VMs, or an inventory (ssh)")
    pl.add_argument("--inventory", help="plan for an inventory's hosts (implies --provider ssh)")
    pl.set_defaults(func=cmd_plan)

    rep = examples.add_command(sub, "report", "make reports/html (Allure) from the last run's results")
    rep.add_argument("--merge", nargs="+", metavar="DIR",
                     help="first gather these runs' reports folders (the shards of one run) into reports/")
    _reports_option(rep)
    rep.set_defaults(func=cmd_report)
    book = examples.add_command(sub, "docs", "write the living runbook (reports/runbook: HTML and Markdown)")
    _areas_argument(book, "folders of features/ (default: all)")
    book.add_argument("--pdf", action="store_true", help="also print it to reports/runbook/runbook.pdf "
                      "with headless Chromium")
    _reports_option(book)
    book.set_defaults(func=cmd_docs)
