"""The canary writer: a client on the cluster LAN inserting numbered rows through the VIP at a steady rate.

Run by the harness inside the lab's namespace (`python -m harness.workloads.canary_client`), it prints one
JSON line per event on stdout: {"n": N, "t": T} when row N was committed (T: the monotonic clock),
{"n": N, "t": T, "err": "..."} when an attempt failed. Every attempt has a number of its own: after a
failure (whose outcome the writer cannot know) the next attempt is the next number, never the same one,
and the table has no key on the numbers, so a row stored twice shows as two. The acknowledged rows are
exactly those printed without "err". The password comes from the environment (HADRILL_CANARY_PASSWORD),
never from the command line.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
import time
from typing import Any

import pymysql

TABLE_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


def _create(table: str) -> str:
    return (f"CREATE TABLE IF NOT EXISTS {table} (row_id BIGINT AUTO_INCREMENT PRIMARY KEY, n INT NOT NULL, "
            f"at DOUBLE NOT NULL, KEY (n)) ENGINE=InnoDB")


def _emit(event: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def _connect(args: argparse.Namespace, password: str) -> pymysql.connections.Connection[Any]:
    return pymysql.connect(host=args.host, port=args.port, user=args.user, password=password,
                           database=args.database, connect_timeout=args.timeout,
                           read_timeout=args.timeout, write_timeout=args.timeout, autocommit=True)


def run(args: argparse.Namespace, password: str) -> None:
    conn = None
    n = args.start
    next_at = time.monotonic()
    while args.rows == 0 or n < args.start + args.rows:
        try:
            if conn is None:
                conn = _connect(args, password)
                with conn.cursor() as cur:
                    cur.execute(_create(args.table))
            with conn.cursor() as cur:
                cur.execute(f"INSERT INTO {args.table} (n, at) VALUES (%s, %s)", (n, time.time()))
            _emit({"n": n, "t": time.monotonic()})
        except pymysql.MySQLError as exc:
            _emit({"n": n, "t": time.monotonic(), "err": f"{type(exc).__name__}: {exc.args[-1]}"})
            if conn is not None:
                conn.close()  # a new connection after any failure (the server may be another node now)
            conn = None
        n += 1
        next_at += args.interval
        time.sleep(max(0.0, next_at - time.monotonic()))
        next_at = max(next_at, time.monotonic() - args.interval)  # no burst to catch up after an outage


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--host", required=True)
    ap.add_argument("--port", type=int, default=3306)
    ap.add_argument("--user", default="canary")
    ap.add_argument("--database", default="canary")
    ap.add_argument("--table", default="canary", help="the table the rows go to (made if missing)")
    ap.add_argument("--interval", type=float, default=0.1, help="seconds between rows")
    ap.add_argument("--timeout", type=float, default=2.0, help="connect/read/write timeout, seconds")
    ap.add_argument("--start", type=int, default=1, help="the first row's number")
    ap.add_argument("--rows", type=int, default=0, help="stop after this many rows (0: never)")
    args = ap.parse_args()
    if not TABLE_RE.match(args.table):
        sys.exit(f"hadrill workload: not a table name: {args.table!r}")
    password = os.environ.get("HADRILL_CANARY_PASSWORD")
    if not password:
        sys.exit("hadrill workload: HADRILL_CANARY_PASSWORD is not set")
    with contextlib.suppress(KeyboardInterrupt):
        run(args, password)


if __name__ == "__main__":
    main()
