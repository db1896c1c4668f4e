"""Reaching a host: a refusal, a silence and an unknown name told apart (on loopback only); disks judged
from lsblk as a lab node prints it."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.lab import preflight
from harness.lab.inventory import Host, SshSettings
from harness.lab.preflight import PreflightError

DATA = Path(__file__).parent / "data"


def _host(port: int, address: str = "127.0.0.1", disks: dict[str, str] | None = None) -> Host:
    return Host("vm01", address, "192.168.8.22", disks or {"sdb": "/dev/sdb"},
                SshSettings(port=port, known_hosts="/dev/null"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A loopback port that accepts connections and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield int(server.getsockname()[1])
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


def test_a_refused_connection() -> None:
    port = _free_port()
    with pytest.raises(PreflightError, match=rf"^vm01: 127\.0\.0\.1:{port}: connection refused"):
        preflight.check(_host(port), timeout=2)


def test_a_host_that_never_answers_is_a_timeout(silent_port: int) -> None:
    with pytest.raises(PreflightError, match=rf"^vm01: 127\.0\.0\.1:{silent_port}: no SSH banner within 1 s "
                                             r"\(timed out\)"):
        preflight.check(_host(silent_port), timeout=1)


def test_a_name_that_does_not_resolve(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_such_name(*_: Any, **__: Any) -> Any:   # no resolver is asked: nothing leaves this machine
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)
    with pytest.raises(PreflightError, match=r"^vm01: the name 'db1\.example\.org' does not resolve "
                                             r"\(Name or service not known\)"):
        preflight.check(_host(22, "db1.example.org"), timeout=1)


def _lsblk() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / "lsblk_vm01.json").read_text())
    return data


def test_the_disks_of_a_lab_node_as_lsblk_shows_them() -> None:
    aliases = preflight.device_aliases((DATA / "dev_aliases_vm01.txt").read_text())
    assert aliases == {"/dev/ubdb": ["/dev/sdb"]}
    assert preflight.disk_problems(_host(22), _lsblk(), aliases) == []
    missing = preflight.disk_problems(_host(22, disks={"sdb": "/dev/sdz"}), _lsblk(), aliases)
    assert missing == ["vm01: disk sdb: /dev/sdz does not exist; its disks: /dev/ubda, /dev/ubdb (/dev/sdb)"]
    root = preflight.disk_problems(_host(22, disks={"sdb": "/dev/ubda"}), _lsblk(), aliases)
    assert root == ["vm01: disk sdb: /dev/ubda holds the root filesystem; refused"]
