"""The collector's crawl state: runs, tasks with cursors, staged items, fetched ids.

A collection is a *run* of *tasks* (one per paged list: the user's playlists, one
playlist's items, saved tracks, ...). Each task keeps the cursor of its next page.
The collector stores a page's items in ``crawl_items`` and moves the cursor in the
same transaction, so a process killed at any moment resumes at the first page it did
not commit. When a task ends, its staged items become catalog rows in one transaction.
``crawl_fetched`` remembers which tracks, albums and artists were fetched in full, so
that hydration never asks twice. Every function takes the :class:`Catalog`; several
calls commit together inside ``catalog.transaction()``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from segue.catalog._catalog import Catalog
from segue.catalog.records import FEATURE_NAMES, Features

__all__ = [
    "Run",
    "StagedItem",
    "Task",
    "add_task",
    "drop_staged",
    "features_by_isrc",
    "fetched",
    "finish_run",
    "mark_fetched",
    "open_run",
    "pending_albums",
    "pending_artists",
    "pending_features",
    "pending_tracks",
    "set_run_user",
    "set_setting",
    "setting",
    "stage_items",
    "staged_items",
    "stored_snapshots",
    "task",
    "tasks",
    "update_task",
]

_TRACK_KINDS = ("saved_track", "top_track", "recent_track")
_ARTIST_KINDS = ("top_artist", "followed_artist")


@dataclasses.dataclass(frozen=True, slots=True)
class Run:
    """One collection run; ``resumed`` when an unfinished run was picked up."""

    id: int
    scope: str
    source: str
    user_id: str | None
    started_at: dt.datetime
    resumed: bool


@dataclasses.dataclass(frozen=True, slots=True)
class Task:
    """One paged list of a run and where its next page starts."""

    run_id: int
    key: str
    kind: str
    seq: int
    status: str
    cursor: str | None
    snapshot_id: str | None
    payload: str | None


@dataclasses.dataclass(frozen=True, slots=True)
class StagedItem:
    """One item of a task, stored page by page until the task ends."""

    position: int
    item_id: str
    added_at: dt.datetime | None = None
    added_by: str | None = None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# runs -------------------------------------------------------------------------------


def open_run(catalog: Catalog, scope: str, source: str) -> Run:
    """Resume the unfinished run of ``scope``, or start a new one.

    Parameters
    ----------
    catalog
        The catalog.
    scope
        ``"all"`` or ``"playlist:ID"``.
    source
        Source label given to the collected playlists.
    """
    with catalog.transaction():
        rows = catalog._fetchall(
            "SELECT id, scope, source, user_id, started_at FROM crawl_runs "
            "WHERE scope = ? AND source = ? AND finished_at IS NULL "
            "ORDER BY id DESC LIMIT 1",
            [scope, source],
        )
        if rows:
            r = rows[0]
            return Run(r[0], r[1], r[2], r[3], r[4], resumed=True)
        next_id = catalog._fetchall("SELECT COALESCE(max(id), 0) + 1 FROM crawl_runs")
        run_id = int(next_id[0][0])
        started = _now()
        catalog._execute(
            "INSERT INTO crawl_runs (id, scope, source, started_at) "
            "VALUES (?, ?, ?, ?)",
            [run_id, scope, source, started],
        )
        return Run(run_id, scope, source, None, started, resumed=False)


def set_run_user(catalog: Catalog, run_id: int, user_id: str) -> None:
    """Remember whose music the run collects (so a resumed run needs no ``/me``)."""
    catalog._execute(
        "UPDATE crawl_runs SET user_id = ? WHERE id = ?", [user_id, run_id]
    )


def finish_run(catalog: Catalog, run_id: int) -> None:
    """Mark the run finished and forget its tasks and staged items."""
    with catalog.transaction():
        catalog._execute("DELETE FROM crawl_items WHERE run_id = ?", [run_id])
        catalog._execute("DELETE FROM crawl_tasks WHERE run_id = ?", [run_id])
        catalog._execute(
            "UPDATE crawl_runs SET finished_at = ? WHERE id = ?", [_now(), run_id]
        )


# tasks ------------------------------------------------------------------------------

_TASK_COLUMNS = "run_id, key, kind, seq, status, cursor, snapshot_id, payload"


def add_task(
    catalog: Catalog,
    run_id: int,
    key: str,
    kind: str,
    *,
    snapshot_id: str | None = None,
    payload: str | None = None,
) -> Task:
    """Add a pending task, or return the existing one of that key.

    A playlist task that exists with another ``snapshot_id`` (the playlist changed
    since it was planned) starts over: its cursor and staged items are dropped.
    """
    existing = task(catalog, run_id, key)
    if existing is not None:
        if existing.snapshot_id == snapshot_id or existing.status != "pending":
            return existing
        with catalog.transaction():
            catalog._execute(
                "DELETE FROM crawl_items WHERE run_id = ? AND task_key = ?",
                [run_id, key],
            )
            catalog._execute(
                "UPDATE crawl_tasks SET cursor = NULL, snapshot_id = ?, payload = ?, "
                "updated_at = ? WHERE run_id = ? AND key = ?",
                [snapshot_id, payload, _now(), run_id, key],
            )
        return dataclasses.replace(
            existing, cursor=None, snapshot_id=snapshot_id, payload=payload
        )
    seq_rows = catalog._fetchall(
        "SELECT COALESCE(max(seq), -1) + 1 FROM crawl_tasks WHERE run_id = ?", [run_id]
    )
    seq = int(seq_rows[0][0])
    catalog._execute(
        f"INSERT INTO crawl_tasks ({_TASK_COLUMNS}, updated_at) "
        "VALUES (?, ?, ?, ?, 'pending', NULL, ?, ?, ?)",
        [run_id, key, kind, seq, snapshot_id, payload, _now()],
    )
    return Task(run_id, key, kind, seq, "pending", None, snapshot_id, payload)


def task(catalog: Catalog, run_id: int, key: str) -> Task | None:
    """The task ``key`` of the run, or None."""
    rows = catalog._fetchall(
        f"SELECT {_TASK_COLUMNS} FROM crawl_tasks WHERE run_id = ? AND key = ?",
        [run_id, key],
    )
    return Task(*rows[0]) if rows else None


def tasks(
    catalog: Catalog,
    run_id: int,
    *,
    kind: str | None = None,
    status: str | None = None,
) -> list[Task]:
    """The run's tasks (of one kind, in one status), in the order they were added."""
    where = ["run_id = ?"]
    params: list[Any] = [run_id]
    if kind is not None:
        where.append("kind = ?")
        params.append(kind)
    if status is not None:
        where.append("status = ?")
        params.append(status)
    rows = catalog._fetchall(
        f"SELECT {_TASK_COLUMNS} FROM crawl_tasks WHERE {' AND '.join(where)} "
        "ORDER BY seq",
        params,
    )
    return [Task(*r) for r in rows]


def update_task(
    catalog: Catalog,
    run_id: int,
    key: str,
    *,
    cursor: str | None,
    status: str = "pending",
) -> None:
    """Move a task's cursor (the next page) and set its status."""
    catalog._execute(
        "UPDATE crawl_tasks SET cursor = ?, status = ?, updated_at = ? "
        "WHERE run_id = ? AND key = ?",
        [cursor, status, _now(), run_id, key],
    )


# staged items -------------------------------------------------------------------------


def stage_items(
    catalog: Catalog, run_id: int, key: str, items: Sequence[StagedItem]
) -> None:
    """Store one page of a task's items; a position stored before is replaced."""
    if not items:
        return
    columns = {
        "run_id": np.full(len(items), run_id, dtype=np.int64),
        "task_key": np.asarray([key] * len(items), dtype=object),
        "position": np.asarray([i.position for i in items], dtype=np.int64),
        "item_id": np.asarray([i.item_id for i in items], dtype=object),
        "added_at": np.asarray([i.added_at for i in items], dtype=object),
        "added_by": np.asarray([i.added_by for i in items], dtype=object),
    }
    catalog._register("_staged", columns)
    try:
        catalog._execute(
            "INSERT INTO crawl_items SELECT run_id, task_key, position::INTEGER, "
            "item_id, added_at::TIMESTAMP, added_by FROM _staged "
            "ON CONFLICT DO UPDATE SET item_id = excluded.item_id, "
            "added_at = excluded.added_at, added_by = excluded.added_by"
        )
    finally:
        catalog._unregister("_staged")


def staged_items(catalog: Catalog, run_id: int, key: str) -> list[StagedItem]:
    """A task's staged items in position order."""
    rows = catalog._fetchall(
        "SELECT position, item_id, added_at, added_by FROM crawl_items "
        "WHERE run_id = ? AND task_key = ? ORDER BY position",
        [run_id, key],
    )
    return [StagedItem(*r) for r in rows]


def drop_staged(catalog: Catalog, run_id: int, key: str) -> None:
    """Forget a task's staged items (once they are catalog rows)."""
    catalog._execute(
        "DELETE FROM crawl_items WHERE run_id = ? AND task_key = ?", [run_id, key]
    )


# playlists ----------------------------------------------------------------------------


def stored_snapshots(catalog: Catalog, playlist_ids: Iterable[str]) -> dict[str, str]:
    """Snapshot ids of the stored playlists among ``playlist_ids`` that have one."""
    ids = np.asarray(sorted(set(playlist_ids)), dtype=object)
    if len(ids) == 0:
        return {}
    catalog._register("_ask", {"id": ids})
    try:
        rows = catalog._fetchall(
            "SELECT p.id, p.snapshot_id FROM playlists p JOIN _ask USING (id) "
            "WHERE p.snapshot_id IS NOT NULL"
        )
    finally:
        catalog._unregister("_ask")
    return {r[0]: r[1] for r in rows}


# fetched objects ----------------------------------------------------------------------


def mark_fetched(
    catalog: Catalog, kind: str, ids: Iterable[str], status: str = "ok"
) -> None:
    """Remember that objects of ``kind`` were fetched in full (or are ``missing``)."""
    values = np.asarray(sorted(set(ids)), dtype=object)
    if len(values) == 0:
        return
    catalog._register("_fetched", {"id": values})
    try:
        catalog._execute(
            "INSERT INTO crawl_fetched SELECT ?, id, ?, ? FROM _fetched "
            "ON CONFLICT DO UPDATE SET status = excluded.status, "
            "fetched_at = excluded.fetched_at",
            [kind, status, _now()],
        )
    finally:
        catalog._unregister("_fetched")


def fetched(catalog: Catalog, kind: str) -> dict[str, str]:
    """Ids of ``kind`` fetched so far, with their status (``ok`` or ``missing``)."""
    rows = catalog._fetchall(
        "SELECT id, status FROM crawl_fetched WHERE kind = ?", [kind]
    )
    return {r[0]: r[1] for r in rows}


def _scope_tracks(playlists: Sequence[str] | None) -> tuple[str, list[Any]]:
    """SQL of the track ids a collection references, and its parameters.

    With ``playlists`` given: the items of those playlists only. Otherwise the items
    of every playlist of the source label (first parameter) and the library.
    """
    if playlists is not None:
        marks = ", ".join("?" for _ in playlists) or "NULL"
        return (
            f"SELECT track_id AS id FROM playlist_items WHERE playlist_id IN ({marks})",
            list(playlists),
        )
    kinds = ", ".join(f"'{k}'" for k in _TRACK_KINDS)
    return (
        "SELECT i.track_id AS id FROM playlist_items i "
        "JOIN playlists p ON p.id = i.playlist_id WHERE p.source = ? "
        f"UNION SELECT item_id FROM library WHERE kind IN ({kinds})",
        [],
    )


def _pending(
    catalog: Catalog,
    kind: str,
    referenced: str,
    params: list[Any],
    limit: int | None,
) -> list[str]:
    cap = "" if limit is None else f"LIMIT {int(limit)}"
    rows = catalog._fetchall(
        f"WITH ref AS ({referenced}) SELECT DISTINCT id FROM ref "
        "WHERE id IS NOT NULL AND id NOT IN "
        "(SELECT id FROM crawl_fetched WHERE kind = ?) "
        f"ORDER BY id {cap}",
        [*params, kind],
    )
    return [r[0] for r in rows]


def pending_tracks(
    catalog: Catalog,
    source: str,
    *,
    playlists: Sequence[str] | None = None,
    limit: int | None = None,
) -> list[str]:
    """Referenced track ids not fetched in full yet, sorted.

    Parameters
    ----------
    catalog
        The catalog.
    source
        Source label of the collected playlists.
    playlists
        Only the items of these playlists (one-playlist collections); when None,
        every playlist of ``source`` and the library.
    limit
        At most this many ids.
    """
    sql, extra = _scope_tracks(playlists)
    params = extra if playlists is not None else [source]
    return _pending(catalog, "track", sql, params, limit)


def pending_albums(
    catalog: Catalog,
    source: str,
    *,
    playlists: Sequence[str] | None = None,
    limit: int | None = None,
) -> list[str]:
    """Albums of the referenced tracks (and saved albums) not fetched yet, sorted."""
    sql, extra = _scope_tracks(playlists)
    params = extra if playlists is not None else [source]
    referenced = f"SELECT t.album_id AS id FROM tracks t WHERE t.id IN ({sql})" + (
        ""
        if playlists is not None
        else " UNION SELECT item_id FROM library WHERE kind = 'saved_album'"
    )
    return _pending(catalog, "album", referenced, params, limit)


def pending_artists(
    catalog: Catalog,
    source: str,
    *,
    playlists: Sequence[str] | None = None,
    limit: int | None = None,
) -> list[str]:
    """Artists of the referenced tracks and albums (and the library's), sorted."""
    sql, extra = _scope_tracks(playlists)
    params = extra if playlists is not None else [source]
    albums = f"SELECT t.album_id FROM tracks t WHERE t.id IN ({sql})"
    if playlists is None:
        albums += " UNION SELECT item_id FROM library WHERE kind = 'saved_album'"
    kinds = ", ".join(f"'{k}'" for k in _ARTIST_KINDS)
    referenced = (
        f"SELECT artist_id AS id FROM track_artists WHERE track_id IN ({sql}) "
        f"UNION SELECT artist_id FROM album_artists WHERE album_id IN ({albums})"
        + (
            ""
            if playlists is not None
            else f" UNION SELECT item_id FROM library WHERE kind IN ({kinds})"
        )
    )
    return _pending(catalog, "artist", referenced, params + params, limit)


def pending_features(
    catalog: Catalog,
    source: str,
    *,
    playlists: Sequence[str] | None = None,
    limit: int | None = None,
) -> list[str]:
    """Referenced tracks without features from any source, not asked for yet."""
    sql, extra = _scope_tracks(playlists)
    params = extra if playlists is not None else [source]
    referenced = (
        f"SELECT id FROM ({sql}) WHERE id NOT IN (SELECT track_id FROM track_features)"
    )
    return _pending(catalog, "features", referenced, params, limit)


# settings -----------------------------------------------------------------------------


def setting(catalog: Catalog, key: str) -> tuple[str, dt.datetime] | None:
    """A remembered setting (e.g. the detected access mode) and when it was set."""
    rows = catalog._fetchall(
        "SELECT value, updated_at FROM crawl_settings WHERE key = ?", [key]
    )
    return (rows[0][0], rows[0][1]) if rows else None


def set_setting(catalog: Catalog, key: str, value: str) -> None:
    """Remember a setting."""
    catalog._execute(
        "INSERT INTO crawl_settings VALUES (?, ?, ?) ON CONFLICT DO UPDATE "
        "SET value = excluded.value, updated_at = excluded.updated_at",
        [key, value, _now()],
    )


# features -----------------------------------------------------------------------------


def features_by_isrc(catalog: Catalog, track_ids: Sequence[str]) -> list[Features]:
    """Imported features of other tracks with the same ISRC, under these track ids.

    A feature table keyed by an older Spotify id of a recording (relinked, reissued)
    still fits the track the user has; the rows are copied with their source label.
    Tracks that have features of their own get none.
    """
    ids = np.asarray(sorted(set(track_ids)), dtype=object)
    if len(ids) == 0:
        return []
    names = ", ".join(f"f.{n}" for n in FEATURE_NAMES)
    catalog._register("_ask", {"id": ids})
    try:
        rows = catalog._fetchall(
            f"""
            SELECT DISTINCT ON (a.id, f.source) a.id, f.source, {names}
            FROM _ask a
            JOIN tracks t ON t.id = a.id
            JOIN tracks o ON o.isrc = t.isrc AND o.id <> t.id
            JOIN track_features f ON f.track_id = o.id
            WHERE t.isrc IS NOT NULL
              AND a.id NOT IN (SELECT track_id FROM track_features)
            ORDER BY a.id, f.source, o.id
            """
        )
    finally:
        catalog._unregister("_ask")
    fields = ("track_id", "source", *FEATURE_NAMES)
    return [Features(**dict(zip(fields, r, strict=True))) for r in rows]
