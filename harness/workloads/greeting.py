"""MariaDB's greeting through the VIP, read by a client on the cluster network (in the lab's namespace, or
where the inventory's client_prefix says): a connection's first packet, the server's handshake, which
names its version. No credentials, no query: the server is seen to answer on the VIP, and nothing changes.
"""

from __future__ import annotations

import subprocess
import sys

from harness.lab.providers.base import Provider
from harness.probes.errors import ParseError

HANDSHAKE_V10 = 10
# run by the client: connect, read the first packet, write it out as hex (one line)
CLIENT = ("import socket, sys\n"
          "s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5)\n"
          "print(s.recv(512).hex())\n")


def server_version(packet: bytes) -> str:
    """The server version of a handshake packet (3-byte length, sequence, protocol 10, version NUL)."""
    if len(packet) < 6 or packet[4] != HANDSHAKE_V10 or b"\0" not in packet[5:]:
        raise ParseError("MariaDB's greeting", "a protocol 10 handshake packet", packet.hex())
    return packet[5:packet.index(b"\0", 5)].decode("ascii", "replace")


def through(lab: Provider, vip: str, port: int) -> str:
    """The version the server behind vip:port greets a client on the cluster network with."""
    done = subprocess.run([*lab.client_prefix(), sys.executable, "-c", CLIENT, vip, str(port)],
                          capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        raise ConnectionError(f"no greeting from {vip}:{port} on the cluster network: "
                              f"{done.stderr.strip().splitlines()[-1:] or done.returncode}")
    return server_version(bytes.fromhex(done.stdout.strip()))
