"""MariaDB's server as a node runs it: its settings as the server reads them."""

from __future__ import annotations

from harness.node import Node


def parse_options(text: str) -> dict[str, str]:
    """`my_print_defaults` output (--key=value lines) as a mapping; flags without a value are left out."""
    return dict(opt.removeprefix("--").split("=", 1) for opt in text.splitlines() if "=" in opt)


def server_options(node: Node) -> str:
    """The options mysqld reads from its configuration files (`my_print_defaults --mysqld`)."""
    return node.run("my_print_defaults --mysqld").stdout
