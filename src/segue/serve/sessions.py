"""Server-side storage of users' Spotify tokens, keyed by a signed session id.

The browser holds only a signed cookie (Starlette's ``SessionMiddleware``, signed with
itsdangerous) carrying a random session id; the token itself lives here, in a SQLite
file of mode 0600 that all workers share. Nothing in this module logs a token.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from starlette.requests import Request

from segue.serve.private_db import connect, create
from segue.spotify import Token

__all__ = ["SessionStore", "SessionTokenStore", "session_id"]


def session_id(request: Request, *, create: bool = True) -> str | None:
    """The request's session id, made (and set in the signed cookie) on demand."""
    sid = request.session.get("sid")
    if isinstance(sid, str) and len(sid) >= 32:
        return sid
    if not create:
        return None
    sid = secrets.token_urlsafe(32)
    request.session["sid"] = sid
    return sid


class SessionStore:
    """Tokens by session id, in a SQLite file readable by its owner only.

    Parameters
    ----------
    path
        The SQLite file, created with mode 0600 when missing (and set to 0600 when
        found wider).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        create(
            path,
            "CREATE TABLE IF NOT EXISTS tokens (sid TEXT PRIMARY KEY, "
            "token TEXT NOT NULL, updated REAL NOT NULL)",
        )

    def _connect(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        return connect(self.path, wal=True)

    def load(self, sid: str) -> Token | None:
        """The token of the session, if it has one."""
        with self._lock, self._connect() as con:
            row = con.execute(
                "SELECT token FROM tokens WHERE sid = ?", [sid]
            ).fetchone()
        if row is None:
            return None
        data: dict[str, Any] = json.loads(row[0])
        return Token.from_dict(data)

    def save(self, sid: str, token: Token) -> None:
        """Keep (or replace) the session's token."""
        with self._lock, self._connect() as con:
            con.execute(
                "INSERT INTO tokens VALUES (?, ?, ?) ON CONFLICT (sid) DO UPDATE "
                "SET token = excluded.token, updated = excluded.updated",
                [sid, json.dumps(token.to_dict()), time.time()],
            )

    def forget(self, sid: str) -> None:
        """Drop the session's token (log out)."""
        with self._lock, self._connect() as con:
            con.execute("DELETE FROM tokens WHERE sid = ?", [sid])


class SessionTokenStore:
    """A :class:`~segue.spotify.TokenStore` for one session of a store."""

    def __init__(self, store: SessionStore, sid: str) -> None:
        self._store = store
        self._sid = sid

    def load(self) -> Token | None:
        """The session's token."""
        return self._store.load(self._sid)

    def save(self, token: Token) -> None:
        """Keep a refreshed token."""
        self._store.save(self._sid, token)

    def __repr__(self) -> str:
        return "SessionTokenStore(<session>)"
