"""A service's group on a node as testinfra's own modules read it (interface addresses, mount point,
systemd service, listening socket), over the node's connection: a second reading, independent of the
holdings probe's shell, for the steps that say a node runs the service."""

from __future__ import annotations

from harness.node import Node

MARIADB_UNIT = "mariadb"
MARIADB_PORT = 3306


def group(node: Node, vip: str, mountpoint: str, interface: str) -> dict[str, bool]:
    """Each part of the group, and whether testinfra finds it on the node (the VIP on the cluster
    interface)."""
    host = node.host
    return {
        f"{vip} on {interface}": vip in host.interface(interface).addresses,
        f"{mountpoint} a mount point": host.mount_point(mountpoint).exists,
        f"{MARIADB_UNIT}.service running": host.service(MARIADB_UNIT).is_running,
        f"MariaDB listening on {vip}:{MARIADB_PORT}": serves_on(host.socket.get_listening_sockets(), vip),
    }


def serves_on(listening: list[str], vip: str, port: int = MARIADB_PORT) -> bool:
    """A listening TCP socket that takes connections to the VIP: on every IPv4 or IPv6 address, or on it."""
    return bool({f"tcp://0.0.0.0:{port}", f"tcp://:::{port}", f"tcp://{vip}:{port}"} & set(listening))


def missing(node: Node, vip: str, mountpoint: str, interface: str) -> list[str]:
    """The parts of the group testinfra does not find on the node (empty: all there)."""
    return [part for part, found in group(node, vip, mountpoint, interface).items() if not found]
