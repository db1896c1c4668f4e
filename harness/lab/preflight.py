"""Before a run on hosts hadrill did not make: each host reached, its key known, its disks safe to use.

Every failure says which host and what exactly went wrong: a name that does not resolve, a refused
connection and a timeout are told apart; an unknown or changed host key is refused with the fingerprints;
a wrong disk path lists the disks there are; a mounted disk, or the root filesystem's, is refused.
"""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import time
from pathlib import Path
from typing import Any

import paramiko

from harness.lab.inventory import Host
from harness.lab.providers.base import ProviderError

TIMEOUT_S = 10.0


class PreflightError(ProviderError):
    """A host failed a check before the run; the message names the host and what to do."""


def fingerprint(key: paramiko.PKey) -> str:
    """OpenSSH's SHA256:... fingerprint of a host key."""
    digest = base64.b64encode(hashlib.sha256(key.asbytes()).digest()).decode().rstrip("=")
    return f"{key.get_name()} SHA256:{digest}"


def _socket(host: Host, timeout: float) -> Any:
    port = host.ssh.port
    if host.ssh.proxy_command:
        cmd = host.ssh.proxy_command.replace("%h", host.address).replace("%p", str(port))
        return paramiko.ProxyCommand(cmd)
    where = f"{host.name}: {host.address}:{port}"
    try:
        socket.getaddrinfo(host.address, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise PreflightError(f"{host.name}: the name {host.address!r} does not resolve "
                             f"({exc.strerror})") from None
    try:
        return socket.create_connection((host.address, port), timeout=timeout)
    except ConnectionRefusedError:
        raise PreflightError(f"{where}: connection refused (no SSH server listens there)") from None
    except TimeoutError:
        raise PreflightError(f"{where}: no answer within {timeout:g} s (timed out)") from None
    except OSError as exc:
        raise PreflightError(f"{where}: cannot connect ({exc.strerror})") from None


def _handshake(host: Host, timeout: float) -> tuple[paramiko.Transport, paramiko.PKey]:
    """The SSH session's start, up to the host key it offers."""
    transport = paramiko.Transport(_socket(host, timeout))
    transport.banner_timeout = timeout
    started = time.monotonic()
    try:
        transport.start_client(timeout=timeout)
        return transport, transport.get_remote_server_key()
    except (paramiko.SSHException, EOFError, OSError) as exc:
        transport.close()
        where = f"{host.name}: {host.address}:{host.ssh.port}"
        said = f"{exc} {transport.get_exception() or ''}".lower()
        if "banner" in said or time.monotonic() - started >= timeout:
            raise PreflightError(f"{where}: no SSH banner within {timeout:g} s (timed out)") from None
        raise PreflightError(f"{where}: the SSH handshake failed ({type(exc).__name__}: {exc})") from None


def _known_names(host: Host) -> list[str]:
    port = host.ssh.port
    names = [host.address, host.name]
    return names if port == 22 else [f"[{n}]:{port}" for n in names]


def check_host_key(host: Host, offered: paramiko.PKey) -> None:
    """The key must be in the host's known_hosts under its address (or name): else refused, saying both."""
    path = Path(host.ssh.known_hosts).expanduser()
    known = paramiko.HostKeys(str(path)) if path.exists() else paramiko.HostKeys()
    entries = [e for name in _known_names(host) if (e := known.lookup(name)) is not None]
    same_type = [e[offered.get_name()] for e in entries if offered.get_name() in e]
    if not same_type:
        raise PreflightError(f"{host.name}: unknown host key: {host.address} offers {fingerprint(offered)}, "
                             f"and {path} has no {offered.get_name()} key for it; check the fingerprint "
                             "with the host's owner, then add it (ssh-keyscan) or pin it in that file")
    if offered not in same_type:
        raise PreflightError(f"{host.name}: host key changed: {path} has {fingerprint(same_type[0])}, "
                             f"{host.address} offers {fingerprint(offered)}; refused (a different machine, "
                             "or a reinstalled one: find out which before you trust it)")


def _authenticate(host: Host, transport: paramiko.Transport) -> None:
    user = host.ssh.user
    try:
        if host.ssh.key:
            transport.auth_publickey(user, paramiko.PKey.from_path(Path(host.ssh.key).expanduser()))
        else:
            agent_keys = paramiko.Agent().get_keys()
            if not agent_keys:
                raise paramiko.AuthenticationException("no key given and no agent key")
            for key in agent_keys:
                try:
                    transport.auth_publickey(user, key)
                    break
                except paramiko.AuthenticationException:
                    continue
    except paramiko.AuthenticationException as exc:
        key = host.ssh.key or "the agent's keys"
        raise PreflightError(f"{host.name}: authentication failed for {user}@{host.address} "
                             f"with {key} ({exc})") from None
    except (OSError, paramiko.SSHException) as exc:
        raise PreflightError(f"{host.name}: cannot use the key {host.ssh.key}: {exc}") from None
    if not transport.is_authenticated():
        raise PreflightError(f"{host.name}: authentication failed for {user}@{host.address}")


def _run(transport: paramiko.Transport, command: str) -> str:
    channel = transport.open_session(timeout=TIMEOUT_S)
    channel.settimeout(TIMEOUT_S)
    channel.exec_command(command)
    out = str(channel.makefile("r").read().decode())
    channel.close()
    return out


# Each symlink in /dev and the device it names ("/dev/sdb /dev/ubdb").
ALIASES = 'for l in /dev/*; do [ -L "$l" ] && [ -b "$l" ] && echo "$l $(readlink -f "$l")"; done; true'


def device_aliases(listing: str) -> dict[str, list[str]]:
    """Device -> its other names in /dev, from the ALIASES listing."""
    aliases: dict[str, list[str]] = {}
    for line in listing.splitlines():
        alias, _, device = line.partition(" ")
        if device:
            aliases.setdefault(device, []).append(alias)
    return aliases


def _flatten(devices: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for dev in devices:
        out.append(dev)
        out += _flatten(dev.get("children", []))
    return out


def _named(path: str, aliases: dict[str, list[str]]) -> str:
    """A device with the names udev also gives it: /dev/ubdb (/dev/sdb)."""
    also = aliases.get(path, [])
    return f"{path} ({', '.join(also)})" if also else path


def disk_problems(host: Host, lsblk: dict[str, Any],
                  aliases: dict[str, list[str]] | None = None) -> list[str]:
    """Each inventory disk must exist, and neither it nor a partition of it be mounted (nor be root's).
    aliases: device -> the other names the host gives it (/dev/ubdb -> [/dev/sdb])."""
    aliases = aliases or {}
    real = {alias: dev for dev, names in aliases.items() for alias in names}
    tops = lsblk.get("blockdevices", [])
    by_path = {d.get("path"): d for d in _flatten(tops)}
    problems = []
    for book, path in sorted(host.disks.items()):
        dev = by_path.get(real.get(path, path))
        if dev is None:
            disks = sorted(d["path"] for d in tops if d.get("type") == "disk")
            there = ", ".join(_named(d, aliases) for d in disks) or "none"
            problems.append(f"{host.name}: disk {book}: {path} does not exist; its disks: {there}")
            continue
        parts = [dev] + [c for c in dev.get("children", []) if c.get("type") == "part"]
        for part in parts:
            where = f"{host.name}: disk {book}: {_named(part['path'], aliases)}"
            points = [m for m in (part.get("mountpoints") or [part.get("mountpoint")]) if m]
            if "/" in points:
                problems.append(f"{where} holds the root filesystem; refused")
            elif points:
                problems.append(f"{where} is mounted on {', '.join(points)}; refused (unmount it, or name "
                                "another disk)")
    return problems


def check(host: Host, timeout: float = TIMEOUT_S) -> None:
    """All checks of one host; raises PreflightError with every disk problem at once."""
    transport, offered = _handshake(host, timeout)
    try:
        check_host_key(host, offered)
        _authenticate(host, transport)
        name = _run(transport, "uname -n").strip()
        if name != host.name:
            raise PreflightError(f"{host.name}: the host at {host.address} calls itself {name!r}; the "
                                 "features need uname -n to be the inventory's name")
        lsblk = json.loads(_run(transport, "lsblk -J -o NAME,PATH,TYPE,MOUNTPOINTS") or "{}")
        problems = disk_problems(host, lsblk, device_aliases(_run(transport, ALIASES)))
        if problems:
            raise PreflightError("\n".join(problems))
    finally:
        transport.close()
