"""Write a :class:`World` into a catalog with bulk inserts."""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from segue.catalog.records import FEATURE_NAMES

if TYPE_CHECKING:
    from segue.catalog._catalog import Catalog
    from segue.catalog.synth._world import World

__all__ = ["playlist_counts", "write_catalog"]

log = logging.getLogger("segue")

_CHUNK_ITEMS = 5_000_000


def playlist_counts(
    world: World, lo: int, hi: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Albums, artists and duration of playlists ``lo`` to ``hi - 1``.

    Returns
    -------
    tuple of numpy.ndarray
        Each shape ``(hi - lo,)``, int64: distinct albums, distinct artists and
        total duration in milliseconds.
    """
    start, end = world.playlist_indptr[lo], world.playlist_indptr[hi]
    tracks = world.playlist_tracks[start:end]
    local = np.repeat(np.arange(hi - lo), np.diff(world.playlist_indptr[lo : hi + 1]))

    def distinct(values: npt.NDArray[np.int32], size: int) -> npt.NDArray[np.int64]:
        keys = np.unique(local.astype(np.int64) * size + values)
        return np.bincount(keys // size, minlength=hi - lo).astype(np.int64)

    albums = distinct(world.track_album[tracks], len(world.album_ids))
    artists = distinct(world.track_artist[tracks], len(world.artist_ids))
    duration = np.bincount(
        local, weights=world.track_duration_ms[tracks], minlength=hi - lo
    ).astype(np.int64)
    return albums, artists, duration


def write_catalog(world: World, catalog: Catalog, source: str) -> None:
    """Store ``world`` in ``catalog`` in one transaction (``World.write_catalog``)."""
    if not re.fullmatch(r"[A-Za-z0-9_.\-]+", source):
        raise ValueError(
            f"source label {source!r} may hold only letters, digits, '.', '_' and '-'"
        )
    started_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    t0 = time.perf_counter()
    with catalog.transaction():
        _write_catalogue(world, catalog, source)
        _write_playlists(world, catalog, source)
        catalog.log_import(
            kind="synthetic",
            source=source,
            path=None,
            started_at=started_at,
            playlists=world.n_playlists,
            tracks=world.n_tracks,
            items=len(world.playlist_tracks),
            features=world.n_tracks,
        )
    log.info("wrote %r to the catalog in %.2fs", world, time.perf_counter() - t0)


def _temp_table(catalog: Catalog, name: str, columns: dict[str, Any]) -> None:
    view = f"{name}_view"
    catalog._register(view, columns)
    try:
        catalog._execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {view}")
    finally:
        catalog._unregister(view)


def _write_catalogue(world: World, catalog: Catalog, source: str) -> None:
    n_artists, n_albums, n_tracks = (
        len(world.artist_ids),
        len(world.album_ids),
        world.n_tracks,
    )
    _temp_table(
        catalog,
        "_syn_artists",
        {
            "idx": np.arange(n_artists, dtype=np.int32),
            "id": world.artist_ids,
            "name": world.artist_names,
            "genre": world.scene_names[world.artist_scene],
            "popularity": world.artist_popularity,
            "followers": world.artist_followers,
        },
    )
    _temp_table(
        catalog,
        "_syn_albums",
        {
            "idx": np.arange(n_albums, dtype=np.int32),
            "id": world.album_ids,
            "name": world.album_names,
            "artist": world.album_artist,
            "album_type": world.album_type,
            "release_date": world.album_release_date,
            "total_tracks": world.album_total_tracks,
        },
    )
    features = {n: world.features[:, k] for k, n in enumerate(FEATURE_NAMES)}
    _temp_table(
        catalog,
        "_syn_tracks",
        {
            "idx": np.arange(n_tracks, dtype=np.int32),
            "id": world.track_ids,
            "name": world.track_names,
            "artist": world.track_artist,
            "featured": world.track_featured,
            "album": world.track_album,
            "number": world.track_number,
            "isrc": world.track_isrc,
            "duration_ms": world.track_duration_ms,
            "explicit": world.track_explicit,
            "popularity": world.track_popularity,
            **features,
        },
    )
    try:
        catalog._execute(
            """
            INSERT INTO artists (id, name, genres, popularity, followers, derived_id)
            SELECT id, name, [genre], popularity, followers, false FROM _syn_artists
            ON CONFLICT (id) DO NOTHING
            """
        )
        catalog._execute(
            """
            INSERT INTO albums (id, name, album_type, release_date,
                                release_date_precision, total_tracks, derived_id)
            SELECT id, name, album_type, release_date, 'day', total_tracks, false
            FROM _syn_albums ON CONFLICT (id) DO NOTHING
            """
        )
        catalog._execute(
            """
            INSERT INTO album_artists (album_id, position, artist_id)
            SELECT al.id, 0, ar.id FROM _syn_albums al
            JOIN _syn_artists ar ON ar.idx = al.artist
            ON CONFLICT DO NOTHING
            """
        )
        catalog._execute(
            """
            INSERT INTO tracks (id, name, album_id, duration_ms, explicit, isrc,
                                disc_number, track_number, popularity)
            SELECT t.id, t.name, al.id, t.duration_ms, t.explicit, t.isrc, 1,
                   t.number, t.popularity
            FROM _syn_tracks t JOIN _syn_albums al ON al.idx = t.album
            ON CONFLICT (id) DO NOTHING
            """
        )
        catalog._execute(
            """
            INSERT INTO track_artists (track_id, position, artist_id)
            SELECT t.id, 0, ar.id FROM _syn_tracks t
            JOIN _syn_artists ar ON ar.idx = t.artist
            UNION ALL
            SELECT t.id, 1, ar.id FROM _syn_tracks t
            JOIN _syn_artists ar ON ar.idx = t.featured
            ON CONFLICT DO NOTHING
            """
        )
        ints = {"key", "mode", "time_signature"}
        cols = ", ".join(FEATURE_NAMES)
        values = ", ".join(
            f"round({n})::TINYINT" if n in ints else f"{n}::DOUBLE"
            for n in FEATURE_NAMES
        )
        catalog._execute(
            f"""
            INSERT OR REPLACE INTO track_features (track_id, source, {cols})
            SELECT id, ?, {values} FROM _syn_tracks
            """,
            [source],
        )
    finally:
        for table in ("_syn_artists", "_syn_albums"):
            catalog._execute(f"DROP TABLE IF EXISTS {table}")


def _write_playlists(world: World, catalog: Catalog, source: str) -> None:
    n = world.n_playlists
    albums, artists, duration = playlist_counts(world, 0, n)
    _temp_table(
        catalog,
        "_syn_playlists",
        {
            "idx": np.arange(n, dtype=np.int32),
            "pid": world.playlist_pids,
            "name": world.playlist_titles,
            "description": world.playlist_descriptions,
            "owner": world.playlist_owner,
            "followers": world.playlist_followers,
            "collaborative": world.playlist_collaborative,
            "modified": world.playlist_modified_at,
            "edits": world.playlist_edits,
            "n": np.diff(world.playlist_indptr),
            "albums": albums,
            "artists": artists,
            "duration": duration,
        },
    )
    prefix = f"{source}:"
    try:
        catalog._execute(
            "DELETE FROM playlist_items WHERE playlist_id IN "
            "(SELECT ? || pid FROM _syn_playlists)",
            [prefix],
        )
        catalog._execute(
            """
            INSERT OR REPLACE INTO playlists (id, source, name, description,
                owner_id, followers, collaborative, public, pid, modified_at,
                num_edits, num_tracks, num_albums, num_artists, duration_ms)
            SELECT ? || pid, ?, name, description, owner, followers, collaborative,
                   true, pid, make_timestamp(modified * 1000000), edits, n, albums,
                   artists, duration
            FROM _syn_playlists
            """,
            [prefix, source],
        )
        indptr = world.playlist_indptr
        lo = 0
        while lo < n:
            hi = int(np.searchsorted(indptr, indptr[lo] + _CHUNK_ITEMS, side="right"))
            hi = min(max(hi - 1, lo + 1), n)
            lengths = np.diff(indptr[lo : hi + 1])
            local = np.repeat(np.arange(lo, hi, dtype=np.int32), lengths)
            starts = np.repeat(indptr[lo:hi] - indptr[lo], lengths)
            catalog._register(
                "_syn_items",
                {
                    "playlist": local,
                    "position": (np.arange(len(local)) - starts).astype(np.int32),
                    "track": world.playlist_tracks[indptr[lo] : indptr[hi]],
                },
            )
            try:
                catalog._execute(
                    """
                    INSERT INTO playlist_items (playlist_id, position, track_id,
                                                added_at)
                    SELECT ? || p.pid, i.position, t.id,
                           make_timestamp((p.modified - 3600 * (p.n - 1 - i.position))
                                          * 1000000)
                    FROM _syn_items i
                    JOIN _syn_playlists p ON p.idx = i.playlist
                    JOIN _syn_tracks t ON t.idx = i.track
                    """,
                    [prefix],
                )
            finally:
                catalog._unregister("_syn_items")
            lo = hi
    finally:
        for table in ("_syn_playlists", "_syn_tracks"):
            catalog._execute(f"DROP TABLE IF EXISTS {table}")
