"""The vagrant command as the vagrant provider runs it, and what it prints (ssh-config) parsed."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from harness.lab.providers import netns
from harness.lab.providers.base import ProviderError
from harness.paths import cache_dir

VAGRANT_DIR = Path(__file__).resolve().parents[3] / "vagrant"   # the project's Vagrantfile


class VagrantError(ProviderError):
    """A vagrant command failed; the message holds the end of what it said."""


@dataclass(frozen=True)
class SshEntry:
    """One host of `vagrant ssh-config`."""

    name: str
    address: str
    port: int
    user: str
    identity: str


def parse_ssh_config(text: str) -> list[SshEntry]:
    """`vagrant ssh-config` output -> one entry per Host block; fails loudly on a block it cannot read."""
    blocks: list[dict[str, str]] = []
    for line in text.splitlines():
        words = line.strip().split(None, 1)
        if len(words) != 2:
            continue
        key, value = words[0].lower(), words[1].strip().strip('"')
        if key == "host":
            blocks.append({"host": value})
        elif blocks:
            blocks[-1].setdefault(key, value)
    entries = []
    for block in blocks:
        missing = [k for k in ("hostname", "user", "identityfile") if k not in block]
        if missing:
            lacks = ", ".join(missing)
            raise VagrantError(f"vagrant ssh-config: host {block['host']} lacks {lacks}:\n{text}")
        entries.append(SshEntry(block["host"], block["hostname"], int(block.get("port", "22")), block["user"],
                                block["identityfile"]))
    if not entries:
        raise VagrantError(f"vagrant ssh-config printed no Host block:\n{text}")
    return entries


def home() -> Path:
    """Vagrant's own folder (boxes, machine index): hadrill's cache, not the user's ~/.vagrant.d."""
    return cache_dir() / "vagrant"


class Vagrant:
    """vagrant run in the lab's namespace with the lab's settings (the Vagrantfile reads HADRILL_*)."""

    def __init__(self, ns: str, dotfile: Path, settings: dict[str, str], log: Path):
        self.ns = ns
        self.log = log
        self.env = {**os.environ, "VAGRANT_CWD": str(VAGRANT_DIR), "VAGRANT_DOTFILE_PATH": str(dotfile),
                    "VAGRANT_HOME": str(home()), "VAGRANT_DEFAULT_PROVIDER": "libvirt",
                    "VAGRANT_CHECKPOINT_DISABLE": "1", "VAGRANT_BOX_UPDATE_CHECK_DISABLE": "1",
                    "VAGRANT_NO_COLOR": "1", **settings}

    def run(self, *args: str, timeout: float = 1800, in_ns: bool = True) -> str:
        """One vagrant command; what it prints goes to the lab's vagrant log as it comes, and is returned."""
        cmd: Sequence[str] = [*(netns.exec_prefix(self.ns) if in_ns else ()), "vagrant", *args]
        self.log.parent.mkdir(parents=True, exist_ok=True)   # a lab up under another reports folder
        with open(self.log, "a+") as log:   # a+: every write appends; what vagrant said is read back
            log.write(f"$ vagrant {' '.join(args)}\n")
            log.flush()
            start = log.tell()
            code = subprocess.call(cmd, stdout=log, stderr=subprocess.STDOUT, env=self.env,
                                   stdin=subprocess.DEVNULL, timeout=timeout)
            log.seek(start)
            said = log.read()
            log.write(f"(exit {code})\n")
        if code:
            tail = "\n".join(said.strip().splitlines()[-15:])
            raise VagrantError(f"vagrant {' '.join(args)} failed (exit {code}); "
                               f"the whole output is in {self.log}:\n{tail}")
        return said

    def boxes(self) -> list[str]:
        """The names of the boxes in hadrill's Vagrant home."""
        return parse_box_list(self.run("box", "list", in_ns=False))


def parse_box_list(text: str) -> list[str]:
    """`vagrant box list` -> box names ("There are no installed boxes!" -> none)."""
    return [line.split()[0] for line in text.splitlines()
            if line.strip() and not line.startswith("There are no")]
