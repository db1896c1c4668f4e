"""MariaDB as the book's `mysql` (7.2 step 12): installed as on one server, its datadir on the DRBD mount.

Heartbeat starts and stops it through /etc/ha.d/resource.d/mysql, a link to MariaDB's own init script;
it is never started at boot. The canary's database and user are made once, on the node holding /data.
"""

from __future__ import annotations

import shlex

from harness import kinds
from harness.node import Node, Result
from harness.ops import files
from harness.probes import host
from harness.probes.mariadb import DATABASE, client_command

CNF = "/etc/mysql/mariadb.conf.d/60-hadrill.cnf"
INIT_SCRIPT = "/etc/init.d/mariadb"
RESOURCE_SCRIPT = "/etc/ha.d/resource.d/mysql"
USER = "canary"


def render_cnf(datadir: str) -> str:
    """The server's settings: the datadir on the cluster's filesystem, clients known by address (no
    reverse lookup at login), durable commits, a buffer pool UML can map."""
    return ("# hadrill: MariaDB as the book's `mysql`, its data on the cluster's mount (7.2 step 12, 7.3).\n"
            "[mysqld]\n"
            f"datadir = {datadir}\n"
            "bind-address = 0.0.0.0\n"
            "# clients by address only: no name server in the way of a connection (its timeout is seconds)\n"
            "skip-name-resolve\n"
            "# every commit on disk (and so on the DRBD peer, or the shared LUN) before it is acknowledged\n"
            "innodb_flush_log_at_trx_commit = 1\n"
            "# the default 128M cannot be mapped in a 512 MiB UML node\n"
            "innodb_buffer_pool_size = 64M\n")


@kinds.change
def configure(node: Node, datadir: str) -> None:
    """Settings and the log directory; not started, not enabled at boot (the cluster starts it). Each is
    looked at first and changed only if it differs (a disable costs a daemon reload: seconds in a node)."""
    files.write_if_changed(node, CNF, render_cnf(datadir))
    node.run("install -d -o mysql -g adm /var/log/mysql")
    if host.enabled_states(node, ["mariadb"]) != ["disabled"]:
        node.run("systemctl disable --quiet mariadb")


@kinds.change
def prepare(node: Node, datadir: str) -> None:
    """configure(), and Heartbeat's `mysql` script: a link to MariaDB's init script."""
    configure(node, datadir)
    node.run(f"ln -sfn {INIT_SCRIPT} {RESOURCE_SCRIPT}")


@kinds.change
def install_db(node: Node, datadir: str) -> Result:
    """The system tables in the datadir (on the node where it is mounted)."""
    return node.run(f"mariadb-install-db --datadir={shlex.quote(datadir)} --user=mysql --skip-test-db",
                    timeout=120)


@kinds.destructive
def kill_server(node: Node, signal: str) -> Result:
    """A fault: mysqld killed with a signal (KILL, SEGV, ...), as a crash would end it."""
    pid = node.run("pidof mariadbd").stdout.strip()
    return node.sh("kill", "-s", signal.removeprefix("SIG"), pid)


@kinds.change
def start(node: Node) -> Result:
    return node.run(f"{INIT_SCRIPT} start", timeout=120)


@kinds.disruptive
def stop(node: Node) -> Result:
    return node.run(f"{INIT_SCRIPT} stop", timeout=120)


@kinds.change
def sql(node: Node, statements: str, database: str = "") -> Result:
    """Run SQL that changes something, as MariaDB's root over its socket (the text on stdin)."""
    return node.run(client_command(database), stdin=statements + "\n")


@kinds.change
def create_canary_user(node: Node, password: str) -> None:
    """The canary's database and its user, allowed from any host of the LAN (password set each time)."""
    if "'" in password or "\\" in password or "\n" in password:
        raise ValueError("the canary's password may not contain a quote, a backslash or a newline")
    sql(node, f"CREATE DATABASE IF NOT EXISTS {DATABASE};\n"
              f"CREATE USER IF NOT EXISTS '{USER}'@'%' IDENTIFIED BY '{password}';\n"
              f"ALTER USER '{USER}'@'%' IDENTIFIED BY '{password}';\n"
              f"GRANT ALL ON {DATABASE}.* TO '{USER}'@'%';")
