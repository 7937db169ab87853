"""One listening study in one SQLite file: its settings, participants and answers.

Every answer is its own transaction, committed before the request is answered, with
``journal_mode=WAL`` and ``synchronous=FULL``: the commit is on disk (fsync'd) when
the participant sees it accepted, so killing the server loses no submitted answer.
The owner token is kept only as a SHA-256 digest and compared in constant time.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import re
import secrets
import sqlite3
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

from segue.serve.errors import NotFound, StudyError

__all__ = [
    "BASELINES",
    "RATINGS",
    "SCHEMA_VERSION",
    "Study",
    "create_study",
    "open_study",
    "study_path",
]

SCHEMA_VERSION = 1
BASELINES = ("popularity", "als", "spotify-pasted")
"""What segue's list is compared with."""
RATINGS = {"dislike": -1, "neutral": 0, "like": 1}
Side = Literal["left", "right"]

_STUDY_ID = re.compile(r"^[A-Za-z0-9_-]{8,32}$")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS participants (
    id TEXT PRIMARY KEY, created_at REAL NOT NULL, via TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS trials (
    id TEXT PRIMARY KEY,
    participant_id TEXT NOT NULL REFERENCES participants (id),
    created_at REAL NOT NULL,
    title TEXT,
    seeds TEXT NOT NULL,
    left_source TEXT NOT NULL,
    right_source TEXT NOT NULL,
    left_tracks TEXT NOT NULL,
    right_tracks TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ratings (
    trial_id TEXT NOT NULL REFERENCES trials (id),
    side TEXT NOT NULL CHECK (side IN ('left', 'right')),
    track_id TEXT NOT NULL,
    source TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating IN (-1, 0, 1)),
    answered_at REAL NOT NULL,
    PRIMARY KEY (trial_id, side, track_id));
CREATE TABLE IF NOT EXISTS choices (
    trial_id TEXT PRIMARY KEY REFERENCES trials (id),
    side TEXT NOT NULL CHECK (side IN ('left', 'right')),
    source TEXT NOT NULL,
    answered_at REAL NOT NULL);
"""


def study_path(data_dir: Path, study_id: str) -> Path:
    """The SQLite file of a study.

    Raises
    ------
    NotFound
        ``study_id`` is not shaped like a study id.
    """
    if not _STUDY_ID.match(study_id):
        raise NotFound("no such study")
    return data_dir / "studies" / f"{study_id}.sqlite3"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_study(
    data_dir: Path, name: str, *, baseline: str = "popularity", list_size: int = 10
) -> tuple[Study, str]:
    """Create a study and return it with its owner token (shown once, never stored).

    Raises
    ------
    StudyError
        The name is empty or too long, the baseline unknown, or the size off.
    """
    name = name.strip()
    if not name or len(name) > 100:
        raise StudyError("a study name has 1 to 100 characters")
    if baseline not in BASELINES:
        raise StudyError(
            f"unknown baseline {baseline!r}: one of {', '.join(BASELINES)}"
        )
    if not 3 <= list_size <= 50:
        raise StudyError("a list has 3 to 50 tracks")
    study_id = secrets.token_urlsafe(9)
    token = secrets.token_urlsafe(32)
    path = study_path(data_dir, study_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = sqlite3.connect(path)
    try:
        raw.execute("PRAGMA journal_mode=WAL")
        raw.executescript(_SCHEMA)
    finally:
        raw.close()
    study = Study(path, study_id)
    with study._connect() as con:
        con.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [
                ("schema_version", str(SCHEMA_VERSION)),
                ("id", study_id),
                ("name", name),
                ("baseline", baseline),
                ("list_size", str(list_size)),
                ("owner_token_sha256", _digest(token)),
                ("created_at", repr(time.time())),
            ],
        )
    path.chmod(0o600)
    return study, token


def open_study(data_dir: Path, study_id: str) -> Study:
    """Open an existing study by id.

    Raises
    ------
    NotFound
        There is no such study (answered as 404 to the web).
    StudyError
        The file is not a study of this version.
    """
    path = study_path(data_dir, study_id)
    if not path.is_file():
        raise NotFound("no such study")
    return Study(path, study_id, check=True)


class Study:
    """A study's SQLite file. Each method opens, works and closes one connection.

    Parameters
    ----------
    path
        The file.
    study_id
        The study's id.
    check
        Verify the schema version and id on opening.
    """

    def __init__(self, path: Path, study_id: str, *, check: bool = False) -> None:
        self.path = path
        self.id = study_id
        self.meta: dict[str, str] = {}
        if check:
            self.meta = self._read_meta()
            if self.meta.get("schema_version") != str(SCHEMA_VERSION):
                raise StudyError(
                    f"{path}: not a study file of version {SCHEMA_VERSION}"
                )
            if self.meta.get("id") != study_id:
                raise StudyError(f"{path}: holds study {self.meta.get('id')!r}")

    @classmethod
    def from_file(cls, path: Path) -> Study:
        """Open a study file by path (for reports).

        Raises
        ------
        StudyError
            The file is missing or not a study.
        """
        if not path.is_file():
            raise StudyError(f"{path}: no such study file")
        return cls(path, path.stem, check=True)

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            con = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        except sqlite3.Error as exc:
            raise StudyError(f"{self.path}: {exc}") from None
        try:
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=FULL")
            con.execute("PRAGMA foreign_keys=ON")
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            raise StudyError(f"{self.path}: {exc}") from None
        finally:
            con.close()

    def _read_meta(self) -> dict[str, str]:
        with self._connect() as con:
            return dict(con.execute("SELECT key, value FROM meta").fetchall())

    @property
    def name(self) -> str:
        """The study's name."""
        return self.meta.get("name") or self._read_meta()["name"]

    @property
    def baseline(self) -> str:
        """What segue is compared with."""
        return self.meta.get("baseline") or self._read_meta()["baseline"]

    @property
    def list_size(self) -> int:
        """Tracks per list."""
        return int(self.meta.get("list_size") or self._read_meta()["list_size"])

    def check_owner(self, token: str) -> bool:
        """Whether ``token`` is the owner token (constant-time comparison)."""
        stored = self.meta.get("owner_token_sha256") or self._read_meta().get(
            "owner_token_sha256", ""
        )
        return hmac.compare_digest(_digest(token), stored)

    # -- writing: one transaction per answer ------------------------------------

    def add_participant(self, via: str) -> str:
        """Register a participant; return their id."""
        pid = secrets.token_urlsafe(12)
        with self._connect() as con:
            con.execute(
                "INSERT INTO participants VALUES (?, ?, ?)", [pid, time.time(), via]
            )
        return pid

    def add_trial(
        self,
        participant_id: str,
        *,
        title: str | None,
        seeds: Sequence[str],
        lists: dict[str, list[str]],
        segue_left: bool,
    ) -> str:
        """Store the two lists shown to a participant; return the trial id.

        ``lists`` maps the two source names (``segue`` first) to their track ids.
        """
        (s_name, s_tracks), (b_name, b_tracks) = list(lists.items())
        left, right = ((s_name, s_tracks), (b_name, b_tracks))
        if not segue_left:
            left, right = right, left
        tid = secrets.token_urlsafe(12)
        with self._connect() as con:
            con.execute(
                "INSERT INTO trials VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    tid,
                    participant_id,
                    time.time(),
                    title,
                    json.dumps(list(seeds)),
                    left[0],
                    right[0],
                    json.dumps(left[1]),
                    json.dumps(right[1]),
                ],
            )
        return tid

    def trial(self, participant_id: str, trial_id: str) -> dict[str, Any]:
        """One trial of the participant, with their answers so far.

        Raises
        ------
        NotFound
            No such trial, or it is another participant's.
        """
        with self._connect() as con:
            row = con.execute(
                "SELECT id, title, left_tracks, right_tracks, left_source, "
                "right_source FROM trials WHERE id = ? AND participant_id = ?",
                [trial_id, participant_id],
            ).fetchone()
            if row is None:
                raise NotFound("no such trial")
            ratings = con.execute(
                "SELECT side, track_id, rating FROM ratings WHERE trial_id = ?",
                [trial_id],
            ).fetchall()
            choice = con.execute(
                "SELECT side FROM choices WHERE trial_id = ?", [trial_id]
            ).fetchone()
        names = {v: k for k, v in RATINGS.items()}
        return {
            "id": row[0],
            "title": row[1],
            "left": json.loads(row[2]),
            "right": json.loads(row[3]),
            "sources": {"left": row[4], "right": row[5]},
            "ratings": {f"{s}:{t}": names[r] for s, t, r in ratings},
            "choice": choice[0] if choice else None,
        }

    def rate(
        self,
        participant_id: str,
        trial_id: str,
        side: Side,
        track_id: str,
        rating: str,
    ) -> None:
        """Store (or change) one track rating, in its own transaction.

        Raises
        ------
        NotFound
            The trial is not the participant's, or the track is not in that list.
        """
        if rating not in RATINGS:
            raise NotFound("no such rating")
        with self._connect() as con:
            source, tracks = self._side(con, participant_id, trial_id, side)
            if track_id not in tracks:
                raise NotFound("no such track in this list")
            con.execute(
                "INSERT INTO ratings VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (trial_id, side, track_id) DO UPDATE SET "
                "rating = excluded.rating, answered_at = excluded.answered_at",
                [trial_id, side, track_id, source, RATINGS[rating], time.time()],
            )

    def choose(self, participant_id: str, trial_id: str, side: Side) -> None:
        """Store (or change) which list the participant found better."""
        with self._connect() as con:
            source, _ = self._side(con, participant_id, trial_id, side)
            con.execute(
                "INSERT INTO choices VALUES (?, ?, ?, ?) ON CONFLICT (trial_id) "
                "DO UPDATE SET side = excluded.side, source = excluded.source, "
                "answered_at = excluded.answered_at",
                [trial_id, side, source, time.time()],
            )

    @staticmethod
    def _side(
        con: sqlite3.Connection, participant_id: str, trial_id: str, side: str
    ) -> tuple[str, list[str]]:
        if side not in ("left", "right"):
            raise NotFound("no such side")
        row = con.execute(
            f"SELECT {side}_source, {side}_tracks FROM trials "
            "WHERE id = ? AND participant_id = ?",
            [trial_id, participant_id],
        ).fetchone()
        if row is None:
            raise NotFound("no such trial")
        return str(row[0]), list(json.loads(row[1]))

    # -- reading, for the owner and reports -------------------------------------

    def answers(self) -> dict[str, Any]:
        """Every answer: choices and ratings with their sources and participants."""
        with self._connect() as con:
            choices = con.execute(
                "SELECT c.trial_id, t.participant_id, c.source, c.side, c.answered_at "
                "FROM choices c JOIN trials t ON t.id = c.trial_id ORDER BY 5"
            ).fetchall()
            ratings = con.execute(
                "SELECT r.trial_id, t.participant_id, r.source, r.side, r.track_id, "
                "r.rating, r.answered_at FROM ratings r "
                "JOIN trials t ON t.id = r.trial_id ORDER BY 7"
            ).fetchall()
            counts = con.execute(
                "SELECT (SELECT count(*) FROM participants), "
                "(SELECT count(*) FROM trials)"
            ).fetchone()
        return {
            "choices": [
                dict(
                    zip(
                        ("trial", "participant", "source", "side", "at"), c, strict=True
                    )
                )
                for c in choices
            ],
            "ratings": [
                dict(
                    zip(
                        (
                            "trial",
                            "participant",
                            "source",
                            "side",
                            "track",
                            "rating",
                            "at",
                        ),
                        r,
                        strict=True,
                    )
                )
                for r in ratings
            ],
            "participants": int(counts[0]),
            "trials": int(counts[1]),
        }
