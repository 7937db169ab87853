"""The :class:`Catalog`: one DuckDB file of playlists, tracks, features, library."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import duckdb
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from segue.catalog._schema import migrate
from segue.catalog.errors import NotFound
from segue.catalog.records import (
    FEATURE_NAMES,
    Album,
    Artist,
    Features,
    LibraryEntry,
    Playlist,
    PlaylistItem,
    Track,
)

__all__ = ["Catalog", "Interactions", "TrackTable"]

log = logging.getLogger("segue")

_NO_TIME = dt.datetime(1970, 1, 1)  # stored for library entries without a time

Record = Artist | Album | Track | Playlist | Features | LibraryEntry

_PLAYLIST_COLUMNS = (
    "id",
    "source",
    "name",
    "description",
    "owner_id",
    "owner_name",
    "followers",
    "collaborative",
    "public",
    "snapshot_id",
    "pid",
    "modified_at",
    "num_edits",
    "num_tracks",
    "num_holdouts",
    "num_albums",
    "num_artists",
    "duration_ms",
)


@dataclass(frozen=True, slots=True)
class Interactions:
    """The playlist x track matrix and the ids of its rows and columns.

    Attributes
    ----------
    matrix
        CSR matrix of shape ``(n_playlists, n_tracks)``, float32, 1.0 where the
        playlist holds the track (a track listed twice still counts once).
    playlist_ids
        Shape ``(n_playlists,)``: the catalog id of each row.
    track_ids
        Shape ``(n_tracks,)``: the catalog id of each column.
    titles
        Shape ``(n_playlists,)``: each row's playlist name, None where it has none.
    """

    matrix: sp.csr_matrix
    playlist_ids: npt.NDArray[np.object_]
    track_ids: npt.NDArray[np.object_]
    titles: npt.NDArray[np.object_]


@dataclass(frozen=True, slots=True)
class TrackTable:
    """Columns of the track table, one row per track, aligned by index.

    All arrays have shape ``(n_tracks,)``. Strings are object arrays with None where
    unknown; ``duration_ms``, ``popularity`` and ``release_year`` are float64 with NaN
    where unknown. ``artist_id`` and ``artist_name`` are the main artist's.
    """

    id: npt.NDArray[np.object_]
    name: npt.NDArray[np.object_]
    artist_id: npt.NDArray[np.object_]
    artist_name: npt.NDArray[np.object_]
    album_id: npt.NDArray[np.object_]
    album_name: npt.NDArray[np.object_]
    isrc: npt.NDArray[np.object_]
    duration_ms: npt.NDArray[np.float64]
    popularity: npt.NDArray[np.float64]
    release_year: npt.NDArray[np.float64]

    def __len__(self) -> int:
        return len(self.id)


class Catalog:
    """A segue catalog: one DuckDB file (or memory) with a versioned schema.

    Parameters
    ----------
    path
        The database file, created when missing, or ``":memory:"``.
    read_only
        Open without write access; several processes may then read one file.

    Notes
    -----
    A catalog is safe to use from several threads: each call takes a lock around the
    shared connection. It is a context manager; leaving the block closes it.
    """

    def __init__(self, path: str | Path = ":memory:", *, read_only: bool = False):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._con = duckdb.connect(self.path, read_only=read_only)
        self._con.execute("SET enable_progress_bar = false")
        self._lock = threading.RLock()
        self._depth = 0
        self.read_only = read_only
        migrate(self._con, read_only=read_only)

    def __repr__(self) -> str:
        return f"Catalog({self.path!r})"

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection; the catalog cannot be used afterwards."""
        self._con.close()

    # -- low level, for the catalog package only -----------------------------------

    def _execute(
        self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None
    ) -> None:
        with self._lock:
            self._con.execute(sql, params).fetchall()

    def _fetchall(
        self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None
    ) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._con.execute(sql, params).fetchall()

    def _fetchnumpy(
        self, sql: str, params: Sequence[Any] | None = None
    ) -> dict[str, npt.NDArray[Any]]:
        with self._lock:
            result: dict[str, npt.NDArray[Any]] = self._con.execute(
                sql, params
            ).fetchnumpy()
            return result

    def _register(self, name: str, columns: Mapping[str, Any]) -> None:
        """Register columns as a view; the connection stays this thread's until the
        matching :meth:`_unregister`, so that views of one name never mix."""
        self._lock.acquire()
        try:
            self._con.register(name, dict(columns))
        except BaseException:
            self._lock.release()
            raise

    def _unregister(self, name: str) -> None:
        try:
            self._con.unregister(name)
        finally:
            self._lock.release()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Catalog]:
        """Run a block in one transaction: all of it is stored, or none of it.

        Transactions nest: only the outermost one commits or rolls back.
        """
        with self._lock:
            outer = self._depth == 0
            if outer:
                self._con.execute("BEGIN TRANSACTION")
            self._depth += 1
            try:
                yield self
            except BaseException:
                self._depth -= 1
                if outer:
                    self._con.execute("ROLLBACK")
                raise
            self._depth -= 1
            if outer:
                self._con.execute("COMMIT")

    # -- writing ------------------------------------------------------------------

    def _upsert_columns(
        self,
        table: str,
        columns: Mapping[str, Sequence[Any] | npt.NDArray[Any]],
        key: Sequence[str],
        mode: Literal["fill", "replace", "ignore"],
    ) -> None:
        """Insert rows given as columns; on conflict fill NULLs, replace or skip."""
        names = list(columns)
        if not names or len(columns[names[0]]) == 0:
            return
        view = f"_new_{table}"
        arrays = {n: np.asarray(columns[n], dtype=object) for n in names}
        self._register(view, arrays)
        try:
            cols = ", ".join(names)
            others = [n for n in names if n not in key]
            if mode == "ignore" or not others:
                conflict = "DO NOTHING"
            elif mode == "replace":
                sets = ", ".join(f"{n} = excluded.{n}" for n in others)
                conflict = f"DO UPDATE SET {sets}"
            else:
                sets = ", ".join(
                    f"{n} = COALESCE({table}.{n}, excluded.{n})" for n in others
                )
                conflict = f"DO UPDATE SET {sets}"
            keys = ", ".join(key)
            self._execute(
                f"INSERT INTO {table} ({cols}) "
                f"SELECT DISTINCT ON ({keys}) {cols} FROM {view} "
                f"ON CONFLICT ({keys}) {conflict}"
            )
        finally:
            self._unregister(view)

    def upsert(self, records: Iterable[Record], *, authoritative: bool = False) -> None:
        """Store records of any kind in one transaction.

        Parameters
        ----------
        records
            Artists, albums, tracks, playlists (with their items when ``items`` is not
            None), features and library entries, in any mix.
        authoritative
            When true (data fresh from the Web API), known values replace stored ones
            and a track's or album's artist list is replaced; when false (datasets),
            stored values win and only missing ones are filled in.
        """
        groups: dict[type, list[Any]] = {}
        for record in records:
            groups.setdefault(type(record), []).append(record)
        mode: Literal["fill", "replace"] = "replace" if authoritative else "fill"
        with self.transaction():
            for record_type, rows in groups.items():
                writer = _WRITERS[record_type]
                writer(self, rows, mode)

    def _write_artists(
        self, rows: list[Artist], mode: Literal["fill", "replace"]
    ) -> None:
        cols = _columns(rows, ("id", "name", "popularity", "followers", "derived_id"))
        self._upsert_columns("artists", cols, ["id"], mode)
        genres = [(r.id, r.genres) for r in rows if r.genres is not None]
        for artist_id, names in genres:
            self._execute(
                "UPDATE artists SET genres = ? WHERE id = ?", [names, artist_id]
            )

    def _write_albums(
        self, rows: list[Album], mode: Literal["fill", "replace"]
    ) -> None:
        fields = (
            "id",
            "name",
            "album_type",
            "release_date",
            "release_date_precision",
            "total_tracks",
            "upc",
            "label",
            "popularity",
            "derived_id",
        )
        self._upsert_columns("albums", _columns(rows, fields), ["id"], mode)
        links = [(r.id, i, a) for r in rows for i, a in enumerate(r.artist_ids)]
        self._write_links("album_artists", "album_id", links, mode)

    def _write_tracks(
        self, rows: list[Track], mode: Literal["fill", "replace"]
    ) -> None:
        fields = (
            "id",
            "name",
            "album_id",
            "duration_ms",
            "explicit",
            "isrc",
            "disc_number",
            "track_number",
            "popularity",
        )
        self._upsert_columns("tracks", _columns(rows, fields), ["id"], mode)
        links = [(r.id, i, a) for r in rows for i, a in enumerate(r.artist_ids)]
        self._write_links("track_artists", "track_id", links, mode)

    def _write_links(
        self,
        table: str,
        owner: str,
        links: list[tuple[str, int, str]],
        mode: Literal["fill", "replace"],
    ) -> None:
        if not links:
            return
        owners, positions, artists = zip(*links, strict=True)
        if mode == "replace":
            self._register("_owners", {"id": np.asarray(sorted(set(owners)), object)})
            try:
                self._execute(
                    f"DELETE FROM {table} WHERE {owner} IN (SELECT id FROM _owners)"
                )
            finally:
                self._unregister("_owners")
        self._upsert_columns(
            table,
            {owner: owners, "position": positions, "artist_id": artists},
            [owner, "position"],
            "ignore",
        )

    def _write_playlists(
        self, rows: list[Playlist], mode: Literal["fill", "replace"]
    ) -> None:
        self._upsert_columns(
            "playlists", _columns(rows, _PLAYLIST_COLUMNS), ["id"], mode
        )
        with_items = [r for r in rows if r.items is not None]
        if not with_items:
            return
        self._register(
            "_owners", {"id": np.asarray([r.id for r in with_items], dtype=object)}
        )
        try:
            self._execute(
                "DELETE FROM playlist_items "
                "WHERE playlist_id IN (SELECT id FROM _owners)"
            )
        finally:
            self._unregister("_owners")
        items = [(r.id, item) for r in with_items for item in r.items or ()]
        if not items:
            return
        self._register(
            "_items",
            {
                "playlist_id": np.asarray([p for p, _ in items], dtype=object),
                "position": np.asarray([i.position for _, i in items], dtype=np.int64),
                "track_id": np.asarray([i.track_id for _, i in items], dtype=object),
                "added_at": np.asarray([i.added_at for _, i in items], dtype=object),
                "added_by": np.asarray([i.added_by for _, i in items], dtype=object),
            },
        )
        try:
            self._execute(
                "INSERT INTO playlist_items SELECT playlist_id, position, track_id, "
                "added_at::TIMESTAMP, added_by FROM _items"
            )
        finally:
            self._unregister("_items")

    def _write_features(
        self, rows: list[Features], mode: Literal["fill", "replace"]
    ) -> None:
        fields = ("track_id", "source", *FEATURE_NAMES)
        self._upsert_columns(
            "track_features", _columns(rows, fields), ["track_id", "source"], "replace"
        )

    def _write_library(
        self, rows: list[LibraryEntry], mode: Literal["fill", "replace"]
    ) -> None:
        fields = ("kind", "item_id", "time_range", "rank", "happened_at")
        cols = _columns(rows, fields)
        self._register(
            "_lib", {k: np.asarray(v, dtype=object) for k, v in cols.items()}
        )
        try:
            self._execute(
                "INSERT INTO library SELECT kind, item_id, time_range, rank::INTEGER, "
                "COALESCE(happened_at::TIMESTAMP, TIMESTAMP '1970-01-01') FROM _lib "
                "ON CONFLICT DO UPDATE SET rank = excluded.rank"
            )
        finally:
            self._unregister("_lib")

    def clear_library(self, kind: str, time_range: str | None = None) -> None:
        """Forget the library entries of one kind (and time range), before a refresh."""
        if time_range is None:
            self._execute("DELETE FROM library WHERE kind = ?", [kind])
        else:
            self._execute(
                "DELETE FROM library WHERE kind = ? AND time_range = ?",
                [kind, time_range],
            )

    def log_import(
        self,
        *,
        kind: str,
        source: str,
        path: str | None,
        started_at: dt.datetime,
        playlists: int = 0,
        tracks: int = 0,
        items: int = 0,
        features: int = 0,
    ) -> None:
        """Record one import in the ``imports`` log."""
        self._execute(
            "INSERT INTO imports (kind, source, path, started_at, finished_at, "
            "playlists, tracks, items, features) "
            "VALUES (?, ?, ?, ?, now()::TIMESTAMP, ?, ?, ?, ?)",
            [kind, source, path, started_at, playlists, tracks, items, features],
        )

    # -- reading ------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        """Count what the catalog holds.

        Returns
        -------
        dict
            Integer counts ``playlists``, ``items``, ``tracks``, ``artists``,
            ``albums``, ``features`` (tracks with features from any source),
            ``feature_rows``, ``library``, ``imports``; ``sources`` (playlists per
            source label); ``feature_sources`` (tracks per feature source) and
            ``feature_coverage`` (share of distinct tracks in playlists that have
            features); ``items_with_features`` and ``item_feature_coverage`` (the
            same over playlist entries), and ``item_feature_coverage_by_source``
            (share of each playlist source's entries that have features).
        """
        counts = self._fetchall(
            """
            SELECT
              (SELECT count(*) FROM playlists),
              (SELECT count(*) FROM playlist_items),
              (SELECT count(*) FROM tracks),
              (SELECT count(*) FROM artists),
              (SELECT count(*) FROM albums),
              (SELECT count(DISTINCT track_id) FROM track_features),
              (SELECT count(*) FROM track_features),
              (SELECT count(*) FROM library),
              (SELECT count(*) FROM imports)
            """
        )[0]
        keys = (
            "playlists",
            "items",
            "tracks",
            "artists",
            "albums",
            "features",
            "feature_rows",
            "library",
            "imports",
        )
        result: dict[str, Any] = {k: int(v) for k, v in zip(keys, counts, strict=True)}
        result["sources"] = {
            label: int(n)
            for label, n in self._fetchall(
                "SELECT source, count(*) FROM playlists GROUP BY source ORDER BY source"
            )
        }
        result["feature_sources"] = {
            label: int(n)
            for label, n in self._fetchall(
                "SELECT source, count(*) FROM track_features GROUP BY source "
                "ORDER BY source"
            )
        }
        covered = self._fetchall(
            """
            WITH used AS (SELECT DISTINCT track_id FROM playlist_items)
            SELECT count(*), count(f.track_id) FROM used
            LEFT JOIN (SELECT DISTINCT track_id FROM track_features) f USING (track_id)
            """
        )[0]
        result["playlist_tracks"] = int(covered[0])
        result["playlist_tracks_with_features"] = int(covered[1])
        result["feature_coverage"] = (
            float(covered[1]) / float(covered[0]) if covered[0] else 0.0
        )
        by_source = self._fetchall(
            """
            SELECT p.source, count(*), count(f.track_id)
            FROM playlist_items i JOIN playlists p ON p.id = i.playlist_id
            LEFT JOIN (SELECT DISTINCT track_id FROM track_features) f
                 USING (track_id)
            GROUP BY p.source ORDER BY p.source
            """
        )
        items = sum(int(r[1]) for r in by_source)
        with_features = sum(int(r[2]) for r in by_source)
        result["items_with_features"] = with_features
        result["item_feature_coverage"] = with_features / items if items else 0.0
        result["item_feature_coverage_by_source"] = {
            label: int(hit) / int(n) for label, n, hit in by_source
        }
        return result

    def sources(self) -> list[str]:
        """The source labels of the playlists, sorted."""
        return [
            r[0]
            for r in self._fetchall("SELECT DISTINCT source FROM playlists ORDER BY 1")
        ]

    def playlist_ids(self, source: str | None = None) -> list[str]:
        """Ids of the playlists (of one source label), in id order."""
        if source is None:
            rows = self._fetchall("SELECT id FROM playlists ORDER BY id")
        else:
            rows = self._fetchall(
                "SELECT id FROM playlists WHERE source = ? ORDER BY id", [source]
            )
        return [r[0] for r in rows]

    def playlist(self, playlist_id: str, *, items: bool = True) -> Playlist:
        """One playlist with its items in order.

        Raises
        ------
        NotFound
            No playlist has that id.
        """
        cols = ", ".join(_PLAYLIST_COLUMNS)
        rows = self._fetchall(
            f"SELECT {cols} FROM playlists WHERE id = ?", [playlist_id]
        )
        if not rows:
            raise NotFound(f"no playlist {playlist_id!r} in the catalog")
        fields = dict(zip(_PLAYLIST_COLUMNS, rows[0], strict=True))
        playlist = Playlist(**fields)
        if items:
            playlist.items = [
                PlaylistItem(position=p, track_id=t, added_at=a, added_by=b)
                for p, t, a, b in self._fetchall(
                    "SELECT position, track_id, added_at, added_by FROM playlist_items "
                    "WHERE playlist_id = ? ORDER BY position",
                    [playlist_id],
                )
            ]
        return playlist

    def iter_playlists(
        self, source: str | None = None, *, items: bool = True
    ) -> Iterator[Playlist]:
        """Every playlist (of one source label) in id order, items included."""
        for playlist_id in self.playlist_ids(source):
            yield self.playlist(playlist_id, items=items)

    def iter_tracks(self) -> Iterator[Track]:
        """Every track with its artist ids, in id order."""
        rows = self._fetchall(
            """
            SELECT t.id, t.name, t.album_id, t.duration_ms, t.explicit, t.isrc,
                   t.disc_number, t.track_number, t.popularity,
                   list(ta.artist_id ORDER BY ta.position)
                     FILTER (WHERE ta.artist_id IS NOT NULL)
            FROM tracks t LEFT JOIN track_artists ta ON ta.track_id = t.id
            GROUP BY ALL ORDER BY t.id
            """
        )
        for r in rows:
            yield Track(
                id=r[0],
                name=r[1],
                album_id=r[2],
                duration_ms=r[3],
                explicit=r[4],
                isrc=r[5],
                disc_number=r[6],
                track_number=r[7],
                popularity=r[8],
                artist_ids=list(r[9] or ()),
            )

    def iter_albums(self) -> Iterator[Album]:
        """Every album with its artist ids, in id order."""
        rows = self._fetchall(
            """
            SELECT a.id, a.name, a.album_type, a.release_date, a.release_date_precision,
                   a.total_tracks, a.upc, a.label, a.popularity, a.derived_id,
                   list(aa.artist_id ORDER BY aa.position)
                     FILTER (WHERE aa.artist_id IS NOT NULL)
            FROM albums a LEFT JOIN album_artists aa ON aa.album_id = a.id
            GROUP BY ALL ORDER BY a.id
            """
        )
        for r in rows:
            yield Album(
                id=r[0],
                name=r[1],
                album_type=r[2],
                release_date=r[3],
                release_date_precision=r[4],
                total_tracks=r[5],
                upc=r[6],
                label=r[7],
                popularity=r[8],
                derived_id=r[9],
                artist_ids=list(r[10] or ()),
            )

    def iter_artists(self) -> Iterator[Artist]:
        """Every artist, in id order."""
        rows = self._fetchall(
            "SELECT id, name, genres, popularity, followers, derived_id FROM artists "
            "ORDER BY id"
        )
        for r in rows:
            yield Artist(
                id=r[0],
                name=r[1],
                genres=r[2],
                popularity=r[3],
                followers=r[4],
                derived_id=r[5],
            )

    def iter_features(self, source: str | None = None) -> Iterator[Features]:
        """Every feature row (of one source), ordered by track and source."""
        cols = ", ".join(("track_id", "source", *FEATURE_NAMES))
        where = "" if source is None else "WHERE source = ?"
        rows = self._fetchall(
            f"SELECT {cols} FROM track_features {where} ORDER BY track_id, source",
            [] if source is None else [source],
        )
        names = ("track_id", "source", *FEATURE_NAMES)
        for r in rows:
            yield Features(**dict(zip(names, r, strict=True)))

    def library(self, kind: str | None = None) -> list[LibraryEntry]:
        """The user's library entries (of one kind), by kind, time range and rank."""
        where = "" if kind is None else "WHERE kind = ?"
        rows = self._fetchall(
            f"SELECT kind, item_id, time_range, rank, happened_at FROM library {where} "
            "ORDER BY kind, time_range, rank NULLS LAST, happened_at DESC, item_id",
            [] if kind is None else [kind],
        )
        return [
            LibraryEntry(
                kind=k,
                item_id=i,
                time_range=t,
                rank=r,
                happened_at=None if a == _NO_TIME else a,
            )
            for k, i, t, r, a in rows
        ]

    def known_tracks(self, track_ids: Iterable[str]) -> set[str]:
        """The subset of ``track_ids`` that the catalog holds."""
        ids = np.asarray(sorted(set(track_ids)), dtype=object)
        if len(ids) == 0:
            return set()
        self._register("_ask", {"id": ids})
        try:
            rows = self._fetchall("SELECT id FROM tracks JOIN _ask USING (id)")
        finally:
            self._unregister("_ask")
        return {r[0] for r in rows}

    def interactions(
        self,
        *,
        source: str | None = None,
        exclude_playlists: Iterable[str] = (),
        replace_items: Mapping[str, Sequence[str]] | None = None,
    ) -> Interactions:
        """Build the playlist x track matrix that models train on.

        Parameters
        ----------
        source
            Only playlists of this source label; all when None.
        exclude_playlists
            Playlist ids to leave out entirely.
        replace_items
            Playlist id to the track ids that stand for its items instead of the
            stored ones; evaluation uses it to keep only the seeds of test playlists.

        Returns
        -------
        Interactions
            Rows are the playlists with at least one item, sorted by id; columns are
            the tracks that appear in them, sorted by id.
        """
        replace = dict(replace_items or {})
        excluded = sorted(set(exclude_playlists) | set(replace))
        self._register(
            "_excluded", {"id": np.asarray(excluded or ["\x00"], dtype=object)}
        )
        pairs = [(p, t) for p, tracks in replace.items() for t in tracks]
        self._register(
            "_replaced",
            {
                "playlist_id": np.asarray([p for p, _ in pairs] or ["\x00"], object),
                "track_id": np.asarray([t for _, t in pairs] or ["\x00"], object),
            },
        )
        try:
            where = "WHERE i.playlist_id NOT IN (SELECT id FROM _excluded)"
            params: list[Any] = []
            if source is not None:
                where += (
                    " AND i.playlist_id IN (SELECT id FROM playlists WHERE source = ?)"
                )
                params.append(source)
            with self._lock:
                self._con.execute(
                    f"""
                    CREATE OR REPLACE TEMP TABLE _pairs AS
                    SELECT DISTINCT i.playlist_id, i.track_id
                    FROM playlist_items i {where}
                    UNION
                    SELECT playlist_id, track_id FROM _replaced
                    WHERE playlist_id <> '\x00'
                    """,
                    params,
                )
                playlists = self._con.execute(
                    """
                    SELECT p.playlist_id, l.name FROM
                      (SELECT DISTINCT playlist_id FROM _pairs) p
                    LEFT JOIN playlists l ON l.id = p.playlist_id ORDER BY 1
                    """
                ).fetchnumpy()
                tracks = self._con.execute(
                    "SELECT DISTINCT track_id FROM _pairs ORDER BY 1"
                ).fetchnumpy()["track_id"]
                coords = self._con.execute(
                    """
                    WITH p AS (SELECT playlist_id, row_number() OVER
                                 (ORDER BY playlist_id) - 1 AS r
                               FROM (SELECT DISTINCT playlist_id FROM _pairs)),
                         t AS (SELECT track_id, row_number() OVER
                                 (ORDER BY track_id) - 1 AS c
                               FROM (SELECT DISTINCT track_id FROM _pairs))
                    SELECT p.r::INTEGER AS r, t.c::INTEGER AS c FROM _pairs
                    JOIN p USING (playlist_id) JOIN t USING (track_id)
                    """
                ).fetchnumpy()
                self._con.execute("DROP TABLE _pairs")
        finally:
            self._unregister("_excluded")
            self._unregister("_replaced")
        rows = np.asarray(coords["r"], dtype=np.int32)
        cols = np.asarray(coords["c"], dtype=np.int32)
        playlist_ids = _objects(playlists["playlist_id"])
        matrix = sp.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)),
            shape=(len(playlist_ids), len(tracks)),
        )
        matrix.sort_indices()
        return Interactions(
            matrix=matrix,
            playlist_ids=playlist_ids,
            track_ids=_objects(tracks),
            titles=_objects(playlists["name"]),
        )

    def track_table(self, track_ids: Sequence[str] | None = None) -> TrackTable:
        """Columns of the track table, for all tracks or for ``track_ids`` in order.

        Unknown ids in ``track_ids`` get a row of None and NaN values.
        """
        query = """
            SELECT t.id, t.name, ta.artist_id, ar.name AS artist_name, t.album_id,
                   al.name AS album_name, t.isrc, t.duration_ms::DOUBLE AS duration_ms,
                   t.popularity::DOUBLE AS popularity,
                   TRY_CAST(left(al.release_date, 4) AS DOUBLE) AS release_year
            FROM tracks t
            LEFT JOIN track_artists ta ON ta.track_id = t.id AND ta.position = 0
            LEFT JOIN artists ar ON ar.id = ta.artist_id
            LEFT JOIN albums al ON al.id = t.album_id
        """
        if track_ids is None:
            data = self._fetchnumpy(query + " ORDER BY t.id")
        else:
            self._register(
                "_ask",
                {
                    "id": np.asarray(list(track_ids), dtype=object),
                    "k": np.arange(len(track_ids), dtype=np.int64),
                },
            )
            try:
                data = self._fetchnumpy(
                    f"SELECT x.* FROM _ask a LEFT JOIN ({query}) x ON x.id = a.id "
                    "ORDER BY a.k"
                )
            finally:
                self._unregister("_ask")
            data["id"] = np.asarray(list(track_ids), dtype=object)
        return TrackTable(
            id=_objects(data["id"]),
            name=_objects(data["name"]),
            artist_id=_objects(data["artist_id"]),
            artist_name=_objects(data["artist_name"]),
            album_id=_objects(data["album_id"]),
            album_name=_objects(data["album_name"]),
            isrc=_objects(data["isrc"]),
            duration_ms=_floats(data["duration_ms"]),
            popularity=_floats(data["popularity"]),
            release_year=_floats(data["release_year"]),
        )

    def feature_matrix(
        self, track_ids: Sequence[str], *, source: str | None = None
    ) -> npt.NDArray[np.float64]:
        """Audio features of ``track_ids``, in order.

        Parameters
        ----------
        track_ids
            The tracks, shape ``(n,)``.
        source
            Use only this feature source; when None, average over every source.

        Returns
        -------
        numpy.ndarray
            Shape ``(n, 12)``, float64, columns in :data:`FEATURE_NAMES` order, NaN
            where a track has no features.
        """
        avg = ", ".join(f"avg({n}::DOUBLE) AS {n}" for n in FEATURE_NAMES)
        where = "" if source is None else "WHERE source = ?"
        self._register(
            "_ask",
            {
                "id": np.asarray(list(track_ids), dtype=object),
                "k": np.arange(len(track_ids), dtype=np.int64),
            },
        )
        try:
            data = self._fetchnumpy(
                f"""
                WITH f AS (SELECT track_id, {avg} FROM track_features {where}
                           GROUP BY track_id)
                SELECT f.* FROM _ask a LEFT JOIN f ON f.track_id = a.id ORDER BY a.k
                """,
                [] if source is None else [source],
            )
        finally:
            self._unregister("_ask")
        if not track_ids:
            return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float64)
        return np.column_stack([_floats(data[n]) for n in FEATURE_NAMES])


def _columns(rows: Sequence[Any], fields: Sequence[str]) -> dict[str, list[Any]]:
    return {f: [getattr(r, f) for r in rows] for f in fields}


def _objects(values: npt.NDArray[Any]) -> npt.NDArray[np.object_]:
    out = np.asarray(values, dtype=object)
    if isinstance(values, np.ma.MaskedArray):
        out = np.array(values.data, dtype=object)
        out[np.ma.getmaskarray(values)] = None
    return out


def _floats(values: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
    if isinstance(values, np.ma.MaskedArray):
        return np.asarray(np.ma.filled(values.astype(np.float64), np.nan), np.float64)
    return np.asarray(values, dtype=np.float64)


_WRITERS: dict[type, Any] = {
    Artist: Catalog._write_artists,
    Album: Catalog._write_albums,
    Track: Catalog._write_tracks,
    Playlist: Catalog._write_playlists,
    Features: Catalog._write_features,
    LibraryEntry: Catalog._write_library,
}
