"""Import Million Playlist Dataset slices and challenge sets into a catalog.

Accepted layouts, as plain ``.json`` or gzipped ``.json.gz``:

- MPD slices (``{"info": ..., "playlists": [...]}``) with the full schema, or the
  reduced one whose tracks carry only ``track_uri``, ``track_name`` and
  ``artist_name``;
- the challenge set (``{"date", "version", "playlists"}``) whose playlists may lack
  ``name`` or ``tracks`` and state ``num_holdouts``.

DuckDB reads the files itself, so no file becomes a Python object. Files are stored
in batches, one transaction each: a file is stored whole or not at all. Playlists get
the id ``SOURCE:PID``, so that importing a file twice replaces its playlists instead of
adding copies.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

from segue.catalog._catalog import Catalog
from segue.catalog.errors import ImportFailed, InvalidValue, MalformedFile
from segue.catalog.ids import derived_id

__all__ = ["ImportSummary", "find_files", "import_files"]

log = logging.getLogger("segue")

# json_transform structure of one playlist; a key that is absent, or whose value has
# another type, becomes NULL (required values are checked in _validate)
_TRACK = {
    "pos": "BIGINT",
    "track_uri": "VARCHAR",
    "track_name": "VARCHAR",
    "artist_name": "VARCHAR",
    "artist_uri": "VARCHAR",
    "album_uri": "VARCHAR",
    "album_name": "VARCHAR",
    "duration_ms": "BIGINT",
}
_PLAYLIST = {
    "name": "VARCHAR",
    "pid": "BIGINT",
    "description": "VARCHAR",
    "collaborative": "VARCHAR",
    "modified_at": "BIGINT",
    "num_followers": "BIGINT",
    "num_tracks": "BIGINT",
    "num_holdouts": "BIGINT",
    "num_edits": "BIGINT",
    "num_albums": "BIGINT",
    "num_artists": "BIGINT",
    "duration_ms": "BIGINT",
    "tracks": [_TRACK],
}

_CHECKPOINT_EVERY = "1GB"  # of write-ahead log, during imports

_URI = r"^spotify:{kind}:[0-9A-Za-z]{{22}}$"


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import stored.

    Attributes
    ----------
    files
        Files imported.
    playlists
        Playlists stored (replacing earlier copies of the same playlists).
    items
        Playlist entries stored.
    tracks
        Distinct tracks referenced by those entries.
    new_tracks
        Tracks the catalog did not hold before.
    seconds
        Wall time of the import.
    """

    files: int
    playlists: int
    items: int
    tracks: int
    new_tracks: int
    seconds: float


def find_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files and folders into the sorted list of ``.json``/``.json.gz`` files.

    Raises
    ------
    ImportFailed
        A path does not exist, or a folder holds no JSON file.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            inside = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.name.endswith((".json", ".json.gz"))
            )
            if not inside:
                raise ImportFailed(path, "the folder holds no .json or .json.gz file")
            found.extend(inside)
        elif path.is_file():
            found.append(path)
        else:
            raise ImportFailed(path, "no such file or folder")
    return found


def import_files(
    catalog: Catalog,
    paths: Sequence[str | Path],
    *,
    source: str = "mpd",
    progress: Callable[[Path, int], None] | None = None,
    batch_bytes: int = 48 * 1024 * 1024,
) -> ImportSummary:
    """Import MPD slice or challenge files.

    Files are read in batches of about ``batch_bytes`` on disk; each batch is one
    transaction, so every file is stored whole or not at all.

    Parameters
    ----------
    catalog
        The catalog to write to.
    paths
        Files or folders; folders are searched for ``.json`` and ``.json.gz`` files.
    source
        The label every imported playlist keeps, and the prefix of its id.
    progress
        Called after each batch for each of its files, with the playlists it held.
    batch_bytes
        Size on disk of the files read in one transaction.

    Returns
    -------
    ImportSummary
        Totals over every file.

    Raises
    ------
    ImportFailed
        A file is malformed or holds an invalid value. Batches before the one
        holding it stay imported; that batch left nothing behind.
    """
    if not re.fullmatch(r"[A-Za-z0-9_.\-]+", source):
        raise ValueError(
            f"source label {source!r} may hold only letters, digits, '.', '_' and '-'"
        )
    started = time.perf_counter()
    files = find_files(paths)
    count_tracks = "SELECT count(*) FROM tracks"
    before = int(catalog._fetchall(count_tracks)[0][0])
    totals = [0, 0]
    # the distinct tracks of every batch stored so far (a failed batch rolls back)
    catalog._execute(
        "CREATE OR REPLACE TEMP TABLE _mpd_seen (track_id VARCHAR PRIMARY KEY)"
    )
    # DuckDB checkpoints after every 16 MiB of log by default, and each checkpoint
    # rewrites the growing key indexes: a large import spent most of its time there.
    threshold = catalog._fetchall("SELECT current_setting('checkpoint_threshold')")
    catalog._execute(f"SET checkpoint_threshold = '{_CHECKPOINT_EVERY}'")
    try:
        for batch in _batches(files, batch_bytes):
            per_file, items = _import_batch(catalog, batch, source)
            totals[0] += sum(per_file.values())
            totals[1] += items
            if progress is not None:
                for path in batch:
                    progress(path, per_file.get(str(path), 0))
        tracks = int(catalog._fetchall("SELECT count(*) FROM _mpd_seen")[0][0])
    finally:
        catalog._execute("DROP TABLE IF EXISTS _mpd_seen")
        catalog._execute(f"SET checkpoint_threshold = '{threshold[0][0]}'")
    return ImportSummary(
        files=len(files),
        playlists=totals[0],
        items=totals[1],
        tracks=tracks,
        new_tracks=int(catalog._fetchall(count_tracks)[0][0]) - before,
        seconds=time.perf_counter() - started,
    )


def _batches(files: list[Path], limit: int) -> Iterable[list[Path]]:
    batch: list[Path] = []
    size = 0
    for path in files:
        batch.append(path)
        size += path.stat().st_size
        if size >= limit:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _import_batch(
    catalog: Catalog, paths: list[Path], source: str
) -> tuple[dict[str, int], int]:
    started_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    t0 = time.perf_counter()
    with catalog.transaction():
        try:
            _stage(catalog, paths)
        except duckdb.Error as exc:
            raise _malformed(paths, exc) from exc
        try:
            _validate(catalog)
            _derive_ids(catalog)
            items = _store(catalog, source)
            per_file = {
                str(f): int(n)
                for f, n in catalog._fetchall(
                    "SELECT filename, count(*) FROM _mpd_playlists GROUP BY filename"
                )
            }
        finally:
            for table in ("_mpd_playlists", "_mpd_items", "_mpd_names"):
                catalog._execute(f"DROP TABLE IF EXISTS {table}")
        for path in paths:
            catalog.log_import(
                kind="mpd",
                source=source,
                path=str(path),
                started_at=started_at,
                playlists=per_file.get(str(path), 0),
            )
    log.debug(
        "imported %d files: %d playlists, %d items in %.2fs",
        len(paths),
        sum(per_file.values()),
        items,
        time.perf_counter() - t0,
    )
    return per_file, items


def _malformed(paths: list[Path], exc: duckdb.Error) -> MalformedFile:
    text = str(exc).split("Error: ", 1)[-1].strip().splitlines()[0].strip()
    culprit: str | Path = paths[0] if len(paths) == 1 else "one of the files"
    match = re.search(r' in file "([^"]*)"', text)
    if match:
        culprit = match[1]
        text = text.replace(match[0], "")
    return MalformedFile(culprit, f"cannot read the file as MPD JSON: {text}")


def _stage(catalog: Catalog, paths: list[Path]) -> None:
    # Each file is read as one JSON value and its playlists are cut out and typed one
    # by one: read_json on the whole slice parses a 30 MB object about ten times
    # slower than json_extract and json_transform do.
    structure = json.dumps(_PLAYLIST).replace("'", "''")
    catalog._execute(
        """
        CREATE OR REPLACE TEMP TABLE _mpd_files AS
        SELECT filename, json_extract(json, '$.playlists[*]') AS l,
               json_type(json, '$.playlists') = 'ARRAY' AS ok
        FROM read_json_objects(?, format = 'auto', filename = true,
                               maximum_object_size = 2000000000)
        """,
        [[str(p) for p in paths]],
    )
    bad = _first(
        catalog,
        "SELECT filename FROM _mpd_files WHERE ok IS NOT TRUE ORDER BY filename",
    )
    if bad is not None:
        raise MalformedFile(
            str(bad[0]), "not an MPD slice or challenge set: no 'playlists' array"
        )
    catalog._execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _mpd_playlists AS
        SELECT filename, p.*, record FROM (
            SELECT filename, json_transform(j, '{structure}') AS p, record FROM (
                SELECT filename, unnest(l) AS j, generate_subscripts(l, 1) AS record
                FROM _mpd_files
            )
        )
        """
    )
    catalog._execute("DROP TABLE _mpd_files")
    catalog._execute(
        """
        CREATE OR REPLACE TEMP TABLE _mpd_items AS
        SELECT filename, pid, record, idx - 1 AS idx, t.* FROM (
            SELECT filename, pid, record, unnest(tracks) AS t,
                   generate_subscripts(tracks, 1) AS idx
            FROM _mpd_playlists WHERE tracks IS NOT NULL
        )
        """
    )


def _first(catalog: Catalog, sql: str) -> tuple[object, ...] | None:
    rows = catalog._fetchall(sql + " LIMIT 1")
    return rows[0] if rows else None


def _validate(catalog: Catalog) -> None:
    bad = _first(
        catalog,
        "SELECT filename, record FROM _mpd_playlists WHERE pid IS NULL "
        "ORDER BY filename, record",
    )
    if bad is not None:
        raise InvalidValue(
            str(bad[0]), f"playlist number {bad[1]} has no pid", field="playlists[].pid"
        )
    dup = _first(
        catalog,
        "SELECT pid, list(DISTINCT filename ORDER BY filename) FROM _mpd_playlists "
        "GROUP BY pid HAVING count(*) > 1 ORDER BY pid",
    )
    if dup is not None:
        files = list(dup[1])  # type: ignore[call-overload]
        raise InvalidValue(
            str(files[-1]),
            f"pid {dup[0]} appears twice (also in {files[0]})"
            if len(files) > 1
            else f"pid {dup[0]} appears twice",
            field="playlists[].pid",
        )
    checks = (
        ("track_uri", _URI.format(kind="track"), False),
        ("artist_uri", _URI.format(kind="artist"), True),
        ("album_uri", _URI.format(kind="album"), True),
    )
    for field, pattern, optional in checks:
        condition = f"NOT regexp_matches({field}, '{pattern}')"
        if not optional:
            condition = f"{field} IS NULL OR {condition}"
        bad = _first(
            catalog,
            f"SELECT filename, pid, idx, {field} FROM _mpd_items WHERE {condition} "
            "ORDER BY filename, record, idx",
        )
        if bad is not None:
            raise InvalidValue(
                str(bad[0]),
                f"playlist pid {bad[1]}, track {bad[2]}: {bad[3]!r} is not a "
                f"spotify:{field.split('_')[0]}: URI",
                field=f"playlists[].tracks[].{field}",
            )
    missing = _first(
        catalog,
        "SELECT filename, pid, idx FROM _mpd_items WHERE track_name IS NULL "
        "OR artist_name IS NULL ORDER BY filename, record, idx",
    )
    if missing is not None:
        raise InvalidValue(
            str(missing[0]),
            f"playlist pid {missing[1]}, track {missing[2]}: track_name and "
            "artist_name are required",
            field="playlists[].tracks[]",
        )


def _derive_ids(catalog: Catalog) -> None:
    """Give artists and albums without a URI an id derived from their names."""
    rows = catalog._fetchall(
        """
        SELECT DISTINCT artist_name, album_name, artist_uri IS NULL,
               album_uri IS NULL AND album_name IS NOT NULL
        FROM _mpd_items WHERE artist_uri IS NULL OR album_uri IS NULL
        """
    )
    artist_names = sorted({r[0] for r in rows if r[2]})
    album_keys = sorted({(r[1], r[0]) for r in rows if r[3]})
    catalog._register(
        "_names_new",
        {
            "kind": np.asarray(
                ["artist"] * len(artist_names) + ["album"] * len(album_keys), object
            ),
            "name": np.asarray(artist_names + [a for a, _ in album_keys], object),
            "artist": np.asarray(artist_names + [b for _, b in album_keys], object),
            "id": np.asarray(
                [derived_id("artist", n) for n in artist_names]
                + [derived_id("album", a, b) for a, b in album_keys],
                object,
            ),
        },
    )
    try:
        catalog._execute("CREATE TEMP TABLE _mpd_names AS SELECT * FROM _names_new")
    finally:
        catalog._unregister("_names_new")


def _store(catalog: Catalog, source: str) -> int:
    catalog._execute(
        """
        CREATE OR REPLACE TEMP VIEW _mpd_resolved AS
        SELECT i.*,
               COALESCE(split_part(i.artist_uri, ':', 3), ar.id) AS artist_id,
               i.artist_uri IS NULL AS artist_derived,
               COALESCE(split_part(i.album_uri, ':', 3), al.id) AS album_id,
               i.album_uri IS NULL AS album_derived,
               split_part(i.track_uri, ':', 3) AS track_id
        FROM _mpd_items i
        LEFT JOIN _mpd_names ar ON ar.kind = 'artist' AND ar.name = i.artist_name
             AND i.artist_uri IS NULL
        LEFT JOIN _mpd_names al ON al.kind = 'album' AND al.name = i.album_name
             AND al.artist = i.artist_name AND i.album_uri IS NULL
        """
    )
    catalog._execute(
        """
        INSERT INTO artists (id, name, derived_id)
        SELECT DISTINCT ON (artist_id) artist_id, artist_name, artist_derived
        FROM _mpd_resolved
        ON CONFLICT (id) DO NOTHING
        """
    )
    catalog._execute(
        """
        INSERT INTO albums (id, name, derived_id)
        SELECT DISTINCT ON (album_id) album_id, album_name, album_derived
        FROM _mpd_resolved WHERE album_id IS NOT NULL
        ON CONFLICT (id) DO NOTHING
        """
    )
    catalog._execute(
        """
        INSERT INTO album_artists (album_id, position, artist_id)
        SELECT DISTINCT ON (album_id) album_id, 0, artist_id
        FROM _mpd_resolved WHERE album_id IS NOT NULL
        ON CONFLICT DO NOTHING
        """
    )
    # New tracks are inserted; known ones only get the values they lack. (ON CONFLICT
    # DO UPDATE would rewrite every known track of the batch, which grows slow.)
    catalog._execute(
        """
        CREATE OR REPLACE TEMP TABLE _mpd_tracks AS
        SELECT DISTINCT ON (track_id) track_id, track_name, album_id, duration_ms
        FROM _mpd_resolved
        """
    )
    catalog._execute(
        """
        UPDATE tracks SET
            album_id = COALESCE(tracks.album_id, n.album_id),
            duration_ms = COALESCE(tracks.duration_ms, n.duration_ms)
        FROM _mpd_tracks n
        WHERE tracks.id = n.track_id
          AND ((tracks.album_id IS NULL AND n.album_id IS NOT NULL)
               OR (tracks.duration_ms IS NULL AND n.duration_ms IS NOT NULL))
        """
    )
    catalog._execute(
        """
        INSERT INTO tracks (id, name, album_id, duration_ms)
        SELECT track_id, track_name, album_id, duration_ms FROM _mpd_tracks
        ON CONFLICT (id) DO NOTHING
        """
    )
    catalog._execute("DROP TABLE _mpd_tracks")
    catalog._execute(
        """
        INSERT INTO track_artists (track_id, position, artist_id)
        SELECT DISTINCT ON (track_id) track_id, 0, artist_id FROM _mpd_resolved
        ON CONFLICT DO NOTHING
        """
    )
    prefix = f"{source}:"
    # deleting scans every stored item, so only do it when playlists are re-imported
    known = catalog._fetchall(
        "SELECT count(*) FROM playlists WHERE id IN "
        "(SELECT ? || pid FROM _mpd_playlists)",
        [prefix],
    )[0][0]
    if known:
        catalog._execute(
            """
            DELETE FROM playlist_items WHERE playlist_id IN
                (SELECT ? || pid FROM _mpd_playlists)
            """,
            [prefix],
        )
    catalog._execute(
        """
        -- modified_at is seconds since the epoch (UTC): make_timestamp keeps it
        -- in UTC whatever the session's time zone, where to_timestamp would not
        INSERT OR REPLACE INTO playlists (id, source, name, description, followers,
            collaborative, pid, modified_at, num_edits, num_tracks, num_holdouts,
            num_albums, num_artists, duration_ms)
        SELECT ? || pid, ?, name, description, num_followers,
               CASE lower(collaborative) WHEN 'true' THEN true
                    WHEN 'false' THEN false END,
               pid, make_timestamp(modified_at * 1000000), num_edits, num_tracks,
               num_holdouts, num_albums, num_artists, duration_ms
        FROM _mpd_playlists
        """,
        [prefix, source],
    )
    catalog._execute(
        """
        INSERT INTO playlist_items (playlist_id, position, track_id)
        SELECT ? || pid, COALESCE(pos, idx), track_id FROM _mpd_resolved
        """,
        [prefix],
    )
    catalog._execute(
        "INSERT INTO _mpd_seen SELECT DISTINCT track_id FROM _mpd_resolved "
        "ON CONFLICT DO NOTHING"
    )
    items = catalog._fetchall("SELECT count(*) FROM _mpd_items")[0][0]
    catalog._execute("DROP VIEW _mpd_resolved")
    return int(items)
