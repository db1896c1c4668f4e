"""The SSH host keys the harness pins: the key a node presents, the key pinned for it, and a proof that a
connection expecting another key is refused."""

from __future__ import annotations

from pathlib import Path

import paramiko

from harness.node import Node, NodeAccess


def presented(node: Node) -> paramiko.PKey:
    """The host key the node presented on the harness's connection to it."""
    key: paramiko.PKey = node.conn.transport.get_remote_server_key()
    return key


def pinned(known_hosts: Path, name: str, key_type: str) -> paramiko.PKey | None:
    """The key of this type pinned for the host in a known_hosts file, if any."""
    keys = paramiko.HostKeys(str(known_hosts)).lookup(name)
    return keys.get(key_type) if keys is not None else None


def refusal_of_another_key(node: Node, other: str, folder: Path) -> str:
    """Connect to the node afresh (a node of the same kind: in a plan, one that only records) with a
    known_hosts that pins `other`'s key in its place; returns the refusal (AssertionError if the
    connection was let through)."""
    access = node.access
    wrong = folder / "known_hosts"
    lines = access.known_hosts.read_text().splitlines()
    other_key = next(ln.split(" ", 1)[1] for ln in lines if ln.split(",")[0] == other)
    wrong.write_text("\n".join(f"{ln.split(' ', 1)[0]} {other_key}" for ln in lines) + "\n")
    imposter = type(node)(NodeAccess(access.name, access.ssh_config, wrong, access.cluster_address),
                          node.transcript)
    try:
        imposter.run("true")
    except paramiko.BadHostKeyException as exc:
        return str(exc)
    finally:
        imposter.close()
    raise AssertionError(f"{access.name} was reached with {other}'s host key pinned in its place")
