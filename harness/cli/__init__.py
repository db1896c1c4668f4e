"""The `hadrill` command: the image, labs of every kind, runs of the book's features and their reports.

Shell completion: `eval "$(register-python-argcomplete hadrill)"` (bash), once per shell."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence
from importlib import metadata

import argcomplete

from harness.cli import lab, runs, workdir
from harness.cli.sessions import Stopped, stop_like_ctrl_c_on_sigterm
from harness.lab.image.kernel import KernelRefused
from harness.lab.inventory import InventoryError
from harness.lab.providers.base import ProviderError
from harness.lab.topology import TopologyError
from harness.paths import UnsafeName, UnsafePath, checked_name
from harness.report.html_report import ReportError
from harness.report.merge import MergeError

ERRORS = (ProviderError, TopologyError, KeyError, ReportError, InventoryError, UnsafeName, UnsafePath,
          MergeError, KernelRefused)


def version() -> str:
    """hadrill's version, as installed."""
    try:
        return metadata.version("hadrill")
    except metadata.PackageNotFoundError:
        return "unknown (not installed: make setup)"


EPILOG = """examples:
  hadrill run                          every area of the book, each on the lab of its topology
  hadrill run drbd heartbeat -n auto   two areas, sessions side by side as the machine allows
  hadrill run drbd -- -k power_cut     pytest's own options after --
  hadrill run --provider ssh --inventory site.yaml drbd    the book on your own hosts
  hadrill plan heartbeat               the commands each step would run, reaching no host
  hadrill lab up --topology rhcs; hadrill lab ssh node1 pcs status; hadrill lab down

areas: the folders of features/ (lab, drbd, heartbeat, verify, rhcs, drbd_pacemaker)

environment:
  HADRILL_REPORTS        the reports folder (default ./reports; --reports DIR for one command)
  HADRILL_STATE          labs' state: disks, keys, PIDs, owners (default ~/.local/state/hadrill)
  HADRILL_CACHE          the node image and kernel (default ~/.cache/hadrill)
  HADRILL_SECRETS        a YAML file of secret values, mode 600 (as --secrets)
  HADRILL_UML_SUITE      the Debian suite the UML kernel comes from (default forky)
  HADRILL_UML_VERSION    the user-mode-linux package version to pin (default: the suite's)
  HADRILL_ALLURE         Allure's command line (default: the project's own, from make setup)
  HADRILL_LIBVIRT_DRIVER vagrant labs: kvm or qemu (default: kvm where it works)
  HADRILL_TOPOLOGY, HADRILL_BOX    vagrant/Vagrantfile used alone: the topology and the box
"""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="hadrill", description=__doc__, epilog=EPILOG,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"hadrill {version()}")
    sub = p.add_subparsers(dest="command", required=True)
    lab.add_parsers(sub)
    runs.add_parsers(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1:]
    p = parser()
    argcomplete.autocomplete(p)   # answers the shell's completion and exits, when the shell asks
    args = p.parse_args(argv)
    if args.func is runs.cmd_run:
        args.pytest_args = extra
    elif args.func is lab.cmd_ssh:
        args.command = [*args.command, *extra]   # `hadrill lab ssh vm01 -- ls -l`
    workdir.enter_project(args)   # the paths typed read from here, then the project's top folder
    runs.use_reports(args)
    stop_like_ctrl_c_on_sigterm()
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with SIGINT ignored
    try:
        if getattr(args, "name", None) is not None:
            checked_name(args.name, "--name")   # a lab's name becomes part of paths and a namespace's
        return int(args.func(args))
    except ERRORS as exc:
        print(f"hadrill: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        signum = exc.signum if isinstance(exc, Stopped) else signal.SIGINT
        print(f"hadrill: stopped by {signal.Signals(signum).name}", file=sys.stderr)
        return 128 + signum
