"""One ssh_config and one known_hosts per lab: they feed Fabric, testinfra and plain ssh alike."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SshHost:
    """One node as SSH sees it: an alias, the address to connect to, and its pinned host key."""

    alias: str
    address: str
    host_key: str                 # "ssh-ed25519 AAAA..." (no comment)
    user: str = "root"
    port: int = 22
    proxy_command: str = ""


def _check_path(path: Path) -> str:
    text = str(path)
    if any(ch.isspace() for ch in text) or '"' in text:
        raise ValueError(f"path {text!r} has white space or quotes, which ssh_config cannot carry safely")
    return text


def _check_word(what: str, value: str) -> str:
    if not value or any(ch.isspace() or ch in "\"'" or not ch.isprintable() for ch in value):
        raise ValueError(f"{what} {value!r} is empty or has white space or quotes: not for ssh_config")
    return value


def _check_line(what: str, value: str) -> str:
    if not value.isprintable():
        raise ValueError(f"{what} {value!r} has a newline or a control character: not for ssh_config")
    return value


def render_config(hosts: list[SshHost], identity: Path | None, known_hosts: Path) -> str:
    """ssh_config text: strict host key checking against the given known_hosts, keep-alives on.
    With no identity, ssh's own keys and agent are used. Every value is one word (or one line)."""
    blocks = []
    for h in hosts:
        for what, word in (("host", h.alias), ("address", h.address), ("user", h.user)):
            _check_word(what, word)
        _check_line("proxy command", h.proxy_command)
        lines = [
            f"Host {h.alias}",
            f"  HostName {h.address}",
            f"  User {h.user}",
            f"  Port {h.port}",
            *([f"  IdentityFile {_check_path(identity)}", "  IdentitiesOnly yes"] if identity else []),
            f"  UserKnownHostsFile {_check_path(known_hosts)}",
            "  GlobalKnownHostsFile /dev/null",
            "  StrictHostKeyChecking yes",
            "  CheckHostIP no",
            "  BatchMode yes",
            "  ConnectTimeout 5",
            "  ServerAliveInterval 2",
            "  ServerAliveCountMax 3",
            "  LogLevel ERROR",
        ]
        if h.proxy_command:
            lines.append(f"  ProxyCommand {h.proxy_command}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def render_known_hosts(hosts: list[SshHost]) -> str:
    """known_hosts lines naming each host by alias and by address."""
    lines = []
    for h in hosts:
        names = [h.alias, h.address] if h.port == 22 else [f"[{h.alias}]:{h.port}", f"[{h.address}]:{h.port}"]
        lines.append(f"{','.join(names)} {h.host_key}")
    return "\n".join(lines) + "\n"


def public_key_text(pub_file: Path) -> str:
    """"type base64" of an OpenSSH public key file, without its comment."""
    parts = pub_file.read_text().split()
    if len(parts) < 2 or not parts[0].startswith(("ssh-", "ecdsa-")):
        raise ValueError(f"{pub_file} is not an OpenSSH public key")
    return f"{parts[0]} {parts[1]}"
