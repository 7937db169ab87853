"""SQLite files only their owner may read, shared by every worker of a server.

The session tokens and the pending logins are secrets at rest: each lives in a file of
mode 0600 (set again when found wider), opened anew for every call so that worker
processes never share a connection.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

__all__ = ["connect", "create"]


def create(path: Path, schema: str) -> None:
    """Make ``path`` a private SQLite file holding ``schema`` (``CREATE ... IF NOT
    EXISTS`` statements), creating its folder and the file as needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    os.chmod(path, 0o600)
    with connect(path) as con:
        con.executescript(schema)


@contextlib.contextmanager
def connect(path: Path, *, wal: bool = False) -> Iterator[sqlite3.Connection]:
    """A connection in a transaction: committed when the block ends, rolled back
    if it raises, closed either way."""
    con = sqlite3.connect(path, timeout=10.0)
    try:
        if wal:
            con.execute("PRAGMA journal_mode=WAL")
        with con:
            yield con
    finally:
        con.close()
