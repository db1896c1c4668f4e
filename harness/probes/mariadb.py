"""MariaDB's server as a node runs it: its settings, whether it answers, what a table holds."""

from __future__ import annotations

import re
import shlex

from harness.node import Node, Result

DATABASE = "canary"
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


def parse_options(text: str) -> dict[str, str]:
    """`my_print_defaults` output (--key=value lines) as a mapping; flags without a value are left out."""
    return dict(opt.removeprefix("--").split("=", 1) for opt in text.splitlines() if "=" in opt)


def server_options(node: Node) -> str:
    """The options mysqld reads from its configuration files (`my_print_defaults --mysqld`)."""
    return node.run("my_print_defaults --mysqld").stdout


def client_command(database: str = "") -> str:
    """The mariadb client as MariaDB's root over its socket; the SQL goes on its stdin (never onto a
    command line: a canary password is in some of it)."""
    db = f" {shlex.quote(database)}" if database else ""
    return f"mariadb --batch --skip-column-names{db}"


def query(node: Node, statements: str, database: str = "") -> Result:
    """Run SQL that only reads."""
    return node.run(client_command(database), stdin=statements + "\n")


def installed(node: Node, datadir: str) -> bool:
    """True if the datadir holds MariaDB's system tables."""
    return node.sh("test", "-d", f"{datadir}/mysql", warn=True).ok


def answers(node: Node) -> bool:
    """mysqld on the node answers over its socket."""
    return node.run("mariadb-admin --connect-timeout=2 ping", warn=True, timeout=10).ok


def rows(node: Node, table: str) -> list[int]:
    """The row numbers of a canary table in the order they were stored, repeats kept, read on the node
    that serves it."""
    if not NAME_RE.match(table):
        raise ValueError(f"not a canary table name: {table!r}")
    out = query(node, f"SELECT n FROM {table} ORDER BY row_id;", DATABASE).stdout
    return [int(line) for line in out.split()]


def parse_variables(text: str) -> dict[str, str]:
    """`SHOW GLOBAL VARIABLES` in batch mode (name TAB value, one a line)."""
    pairs = (line.split("\t", 1) for line in text.splitlines() if "\t" in line)
    return {name: value for name, value in pairs}


def variables(node: Node, names: list[str]) -> dict[str, str]:
    """Some of the server's global variables, by name (a name the server does not know is absent)."""
    for name in names:
        if not NAME_RE.match(name):       # checked before it goes into the SQL
            raise ValueError(f"not a variable name: {name!r}")
    listed = ", ".join(f"'{name}'" for name in names)
    return parse_variables(query(node, f"SHOW GLOBAL VARIABLES WHERE Variable_name IN ({listed});").stdout)
