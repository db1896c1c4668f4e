"""What the DRBD steps share: the pair of peers, the book's commands by their words, per-scenario facts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from harness.clusters.drbd import DrbdPair
from harness.lab.providers.base import Provider
from harness.node import Node, Result
from harness.ops import drbd as ops
from harness.probes import drbd_log
from harness.report import attachments

SECRET_NAME = "drbd_shared_secret"


@pytest.fixture(scope="session")
def pair(lab: Provider, nodes: dict[str, Node], secrets: dict[str, str]) -> DrbdPair:
    """vm01 and vm02 with the resource test between them (the secret from the lab's secrets)."""
    if SECRET_NAME not in secrets:
        pytest.fail(f"no secret {SECRET_NAME!r}: give it in the lab's secrets or a secrets file")
    return DrbdPair(lab, nodes, secrets[SECRET_NAME])


@pytest.fixture
def facts() -> dict[str, Any]:
    """Values one step of a scenario leaves for the next."""
    return {}


def attach_proc_drbd(pair: DrbdPair, name: str, title: str = "") -> None:
    """/proc/drbd of a node as a named attachment of the step (the book shows it at each turn)."""
    attachments.attach_text(title or f"/proc/drbd on {name}", pair.node(name).run("cat /proc/drbd").stdout)


def book_command(pair: DrbdPair, words: str) -> Callable[[Node], Result]:
    """The op that runs a command as the book writes it (`drbdadm create-md test`, ...) on a node."""
    res = pair.res
    commands: dict[str, Callable[[Node], Result]] = {
        "modprobe drbd": ops.load_module,
        f"drbdadm create-md {res.name}": lambda n: ops.create_md(n, pair.res),
        "dd if=/dev/zero bs=1M count=1 of=/dev/sdb1": lambda n: ops.zero_start(n, pair.res.peer(n.name).disk),
        "/etc/init.d/drbd start": ops.start_service,
        f"drbdadm primary {res.name}": lambda n: ops.promote(n, pair.res),
        f"drbdadm secondary {res.name}": lambda n: ops.demote(n, pair.res),
        "mkfs.ext3 /dev/drbd1": lambda n: ops.mkfs_ext3(n, pair.res.device),
        "mount /dev/drbd1 /data": lambda n: ops.mount(n, pair.res.device, pair.mountpoint),
        "umount /data": lambda n: ops.umount(n, pair.mountpoint),
    }
    if words not in commands:
        raise KeyError(f"not a command of the book's DRBD chapter: {words!r}; known: {', '.join(commands)}")
    return commands[words]


def repair_split_brain(pair: DrbdPair, victim: str, survivor: str, facts: dict[str, Any]) -> None:
    """The book's repair (7.2 step 10): the victim Secondary, connected discarding its data; the
    survivor connected unless it already waits for its peer. Kernel-log marks go to facts."""
    facts.update(victim=victim, survivor=survivor,
                 repair_mark={name: drbd_log.mark(pair.node(name), "repair") for name in pair.names})
    v, s = pair.node(victim), pair.node(survivor)
    if pair.is_mounted(victim):
        ops.umount(v, pair.mountpoint)
    ops.demote(v, pair.res)
    ops.connect(v, pair.res, discard_my_data=True)
    if pair.state(survivor).connection != "WFConnection":   # the book: cat /proc/drbd, then connect
        ops.connect(s, pair.res)
