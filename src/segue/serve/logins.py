"""Spotify logins in progress, shared by all workers of one server.

A login starts on one worker (``GET /login``) and its callback may land on any other,
or on a worker started after a restart. So the pending login (the OAuth state, the
PKCE verifier, the session that started it, where to go next and when it started)
lives in a SQLite file of mode 0600 in the data directory, beside the session store,
keyed by state. A login is taken exactly once: one ``DELETE ... RETURNING`` reads and
removes it, so two workers cannot both finish it. A login older than
:data:`PENDING_SECONDS` is refused, and purged when the next one starts. The verifier
is a secret like a token: it is never logged and never in a repr.
"""

from __future__ import annotations

import contextlib
import dataclasses
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from segue.serve.private_db import connect, create

__all__ = ["PENDING_SECONDS", "PendingLogin", "PendingLogins"]

PENDING_SECONDS = 600.0
"""Seconds a user has to come back from Spotify's consent page."""


@dataclasses.dataclass(frozen=True, slots=True)
class PendingLogin:
    """A login between ``GET /login`` and Spotify's redirect back.

    Attributes
    ----------
    state
        The OAuth state sent to Spotify; the key of the login.
    sid
        The session that started it; only that session may finish it.
    verifier
        The PKCE code verifier (a secret, hidden from the repr).
    next_path
        Where the browser goes once logged in.
    created
        When it started (seconds since the epoch).
    """

    state: str = dataclasses.field(repr=False)
    sid: str = dataclasses.field(repr=False)
    verifier: str = dataclasses.field(repr=False)
    next_path: str
    created: float


class PendingLogins:
    """Logins in progress by state, in a SQLite file readable by its owner only.

    Every worker of a server opens the same file; each call uses its own connection.

    Parameters
    ----------
    path
        The SQLite file, created with mode 0600 when missing (and set to 0600 when
        found wider).
    clock
        Seconds since the epoch; a clock shared by all processes of the machine.
    """

    def __init__(self, path: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.clock = clock
        create(
            path,
            "CREATE TABLE IF NOT EXISTS pending (state TEXT PRIMARY KEY, "
            "sid TEXT NOT NULL, verifier TEXT NOT NULL, next_path TEXT NOT NULL, "
            "created REAL NOT NULL)",
        )

    def _connect(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        return connect(self.path)

    def add(self, login: PendingLogin) -> None:
        """Keep a new login, and drop those that have expired."""
        with self._connect() as con:
            con.execute(
                "DELETE FROM pending WHERE created < ?",
                [self.clock() - PENDING_SECONDS],
            )
            con.execute(
                "INSERT INTO pending VALUES (?, ?, ?, ?, ?)",
                [
                    login.state,
                    login.sid,
                    login.verifier,
                    login.next_path,
                    login.created,
                ],
            )

    def take(self, state: str, sid: str) -> PendingLogin | None:
        """Remove and return the session's login of that state, if it is pending.

        Only one caller, in any worker, gets a given login; a login of another
        session is left in place. None when there is no such login or it expired.
        """
        with self._connect() as con:
            rows = con.execute(
                "DELETE FROM pending WHERE state = ? AND sid = ? "
                "RETURNING verifier, next_path, created",
                [state, sid],
            ).fetchall()
        if not rows:
            return None
        verifier, next_path, created = rows[0]
        if self.clock() - created > PENDING_SECONDS:
            return None
        return PendingLogin(state, sid, verifier, next_path, created)

    def __len__(self) -> int:
        with self._connect() as con:
            count: int = con.execute("SELECT count(*) FROM pending").fetchone()[0]
        return count

    def __repr__(self) -> str:
        return f"PendingLogins({str(self.path)!r})"
