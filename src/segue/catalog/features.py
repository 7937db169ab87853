"""Import audio-feature tables into a catalog.

Three layouts are recognised, as plain files or gzipped (``.gz``):

``tidytuesday``
    The TidyTuesday 2020-01-21 ``spotify_songs.csv``: one row per (track,
    playlist) pair with the bare ``track_id``. Besides the features it brings
    the tracks, their albums (``track_album_id``, name, release date), their
    artists (ids derived from ``track_artist`` names, as for the reduced MPD),
    popularity, and the 471 playlists with their entries in file order; genre and
    subgenre go into the playlist description. ``NA`` marks a missing value.
``hit-predictor``
    The Spotify Hit Predictor ``dataset-of-*.csv``: ``uri`` (``spotify:track:``),
    ``track``, ``artist`` and the features; it brings tracks and artists too.
``spotify-json``
    Spotify's audio-features objects, with ``id`` or ``uri``: a JSON array, an
    object ``{"audio_features": [...]}`` (``null`` entries are skipped), or JSON
    lines (one object per line).

The layout decides the default source label of the feature rows (and of the
TidyTuesday playlists, stored as ``SOURCE:PLAYLIST_ID``). Columns or keys outside
the layout are ignored with one warning per file that names them.

Ranges accepted (Spotify's documented ones, widened where real data goes beyond
them): danceability, energy, speechiness, acousticness, instrumentalness, liveness
and valence in [0, 1]; key -1..11; mode 0 or 1; loudness -60..5 dB (Spotify says
"typically -60 to 0"; the Hit Predictor tables reach +3.7); tempo 0..250 BPM (both
tables hold 0 and values up to 241); time_signature 0..7 (Spotify says 3..7; the
Hit Predictor tables hold 0 and 1). A value outside its range, or not a number,
stops the import with :class:`InvalidValue` naming the file, line and field.

Each file is one transaction: a file whose rows cannot be parsed (truncated,
ragged, not UTF-8, not JSON) raises :class:`MalformedFile` with the line reached,
and the catalog is left exactly as it was. CSV files are read as a stream in
batches; JSON arrays are decoded whole.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import logging
import re
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import msgspec
import numpy as np
import numpy.typing as npt

from segue.catalog._catalog import Catalog
from segue.catalog.errors import ImportFailed, InvalidValue, MalformedFile
from segue.catalog.ids import derived_id
from segue.catalog.records import FEATURE_NAMES

__all__ = ["RANGES", "FeatureImportSummary", "find_files", "import_files"]

log = logging.getLogger("segue")

RANGES: dict[str, tuple[float, float]] = {
    "danceability": (0.0, 1.0),
    "energy": (0.0, 1.0),
    "key": (-1, 11),
    "loudness": (-60.0, 5.0),
    "mode": (0, 1),
    "speechiness": (0.0, 1.0),
    "acousticness": (0.0, 1.0),
    "instrumentalness": (0.0, 1.0),
    "liveness": (0.0, 1.0),
    "valence": (0.0, 1.0),
    "tempo": (0.0, 250.0),
    "time_signature": (0, 7),
    "duration_ms": (0, 2**31 - 1),
    "popularity": (0, 100),
}
"""Accepted closed range of each numeric value; see the module notes."""

_INTEGERS = frozenset({"key", "mode", "time_signature", "duration_ms", "popularity"})
_MISSING = frozenset({"", "NA", "NaN", "nan", "null", "None"})
_BATCH_ROWS = 50_000
_SUFFIXES = (".csv", ".csv.gz", ".json", ".json.gz", ".jsonl", ".jsonl.gz")

# the staging columns every layout fills (with None where it has no such value)
_TEXT = (
    "track_id",
    "track_name",
    "artist_name",
    "album_id",
    "album_name",
    "release_date",
    "playlist_id",
    "playlist_name",
    "genre",
    "subgenre",
)
_NUMBERS = (*FEATURE_NAMES, "duration_ms", "popularity")


@dataclass(frozen=True, slots=True)
class _Layout:
    name: str
    columns: dict[str, str]  # staging column -> column of the file
    extra: frozenset[str]  # columns of the layout that are not stored
    missing_marks: frozenset[str]


_FEATURE_COLUMNS = {n: n for n in FEATURE_NAMES}
_TIDYTUESDAY = _Layout(
    "tidytuesday",
    {
        "track_id": "track_id",
        "track_name": "track_name",
        "artist_name": "track_artist",
        "popularity": "track_popularity",
        "album_id": "track_album_id",
        "album_name": "track_album_name",
        "release_date": "track_album_release_date",
        "playlist_name": "playlist_name",
        "playlist_id": "playlist_id",
        "genre": "playlist_genre",
        "subgenre": "playlist_subgenre",
        "duration_ms": "duration_ms",
        **_FEATURE_COLUMNS,
    },
    frozenset(),
    _MISSING,
)
_HIT_PREDICTOR = _Layout(
    "hit-predictor",
    {
        "track_id": "uri",
        "track_name": "track",
        "artist_name": "artist",
        "duration_ms": "duration_ms",
        **_FEATURE_COLUMNS,
    },
    frozenset({"chorus_hit", "sections", "target"}),
    _MISSING,
)
_SPOTIFY_JSON = _Layout(
    "spotify-json",
    {"track_id": "id", "duration_ms": "duration_ms", **_FEATURE_COLUMNS},
    frozenset({"uri", "type", "track_href", "analysis_url"}),
    frozenset(),
)


@dataclass(frozen=True, slots=True)
class FeatureImportSummary:
    """What an import of feature tables stored.

    Attributes
    ----------
    files
        Files imported.
    rows
        Rows (CSV) or objects (JSON) read.
    features
        Feature rows stored, one per track and source and file.
    tracks
        Track rows written or completed (tracks with a name).
    new_tracks
        Tracks the catalog did not hold before.
    playlists, items
        Playlists and playlist entries stored (TidyTuesday only).
    sources
        Feature rows stored per source label.
    seconds
        Wall time of the import.
    """

    files: int
    rows: int
    features: int
    tracks: int
    new_tracks: int
    playlists: int
    items: int
    sources: dict[str, int]
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        """The summary as a JSON-ready dict (``seconds`` rounded to ms)."""
        data = asdict(self)
        data["seconds"] = round(self.seconds, 3)
        return data

    def describe(self) -> str:
        """One line for a person: rows, tracks, features, playlists, time."""
        text = (
            f"imported {self.rows:,} rows from {self.files:,} "
            f"file{'s' if self.files != 1 else ''}: {self.features:,} feature rows, "
            f"{self.tracks:,} tracks ({self.new_tracks:,} new)"
        )
        if self.playlists:
            text += f", {self.playlists:,} playlists with {self.items:,} items"
        return f"{text} in {self.seconds:.1f}s"


def find_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files and folders into the sorted list of feature files.

    Folders are searched for ``.csv``, ``.json`` and ``.jsonl`` files, plain or
    gzipped; files named directly are taken whatever their suffix.

    Raises
    ------
    ImportFailed
        A path does not exist, or a folder holds no such file.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            inside = sorted(
                p for p in path.rglob("*") if p.is_file() and p.name.endswith(_SUFFIXES)
            )
            if not inside:
                raise ImportFailed(path, "the folder holds no .csv or .json file")
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
    source: str | None = None,
    progress: Callable[[Path, int], None] | None = None,
) -> FeatureImportSummary:
    """Import audio-feature files, each in one transaction.

    Parameters
    ----------
    catalog
        The catalog to write to.
    paths
        Files or folders (see :func:`find_files`).
    source
        Source label of every feature row and playlist; by default the layout's
        name (``tidytuesday``, ``hit-predictor``, ``spotify-json``).
    progress
        Called after each file with the number of rows it held.

    Returns
    -------
    FeatureImportSummary
        Totals over every file.

    Raises
    ------
    MalformedFile
        A file cannot be parsed or has no known layout.
    InvalidValue
        A value is outside its range or not a number.

    Files before the failing one stay imported; the failing one left nothing.
    """
    if source is not None and not re.fullmatch(r"[A-Za-z0-9_.\-]+", source):
        raise ValueError(
            f"source label {source!r} may hold only letters, digits, '.', '_' and '-'"
        )
    started = time.perf_counter()
    files = find_files(paths)
    before = _count_tracks(catalog)
    totals = dict.fromkeys(("rows", "features", "tracks", "playlists", "items"), 0)
    sources: dict[str, int] = {}
    for path in files:
        label, counts = _import_file(catalog, path, source)
        for key in totals:
            totals[key] += counts[key]
        sources[label] = sources.get(label, 0) + counts["features"]
        if progress is not None:
            progress(path, counts["rows"])
    return FeatureImportSummary(
        files=len(files),
        new_tracks=_count_tracks(catalog) - before,
        sources=sources,
        seconds=time.perf_counter() - started,
        **totals,
    )


def _count_tracks(catalog: Catalog) -> int:
    return int(catalog._fetchall("SELECT count(*) FROM tracks")[0][0])


# -- reading ------------------------------------------------------------------------


@dataclass
class _Batch:
    """Rows of one batch as columns; ``lines`` are 1-based file lines (or records)."""

    lines: list[int]
    columns: dict[str, list[Any]]


def _open_text(path: Path) -> io.TextIOWrapper:
    with path.open("rb") as probe:
        head = probe.read(2)
    # the caller closes the wrapper, which closes the stream
    stream: Any = (
        gzip.open(path, "rb")  # noqa: SIM115
        if head == b"\x1f\x8b"
        else path.open("rb")
    )
    return io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")


def _is_json(path: Path, text: io.TextIOWrapper) -> bool:
    name = path.name.lower().removesuffix(".gz")
    if name.endswith((".json", ".jsonl", ".ndjson")):
        return True
    if name.endswith(".csv"):
        return False
    return text.buffer.peek(1)[:1] in (b"[", b"{")  # type: ignore[attr-defined]


def _csv_batches(
    path: Path, text: io.TextIOWrapper, position: list[int]
) -> tuple[_Layout, Iterator[_Batch]]:
    reader = csv.reader(text, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise MalformedFile(path, "the file is empty", line=1) from None
    position[0] = reader.line_num
    layout = _csv_layout(path, header)
    index = {name: k for k, name in enumerate(header)}
    wanted = {col: index[src] for col, src in layout.columns.items() if src in index}
    _warn_unknown(path, set(header) - set(layout.columns.values()) - layout.extra)

    def batches() -> Iterator[_Batch]:
        batch = _Batch([], {col: [] for col in wanted})
        line = reader.line_num
        for row in reader:
            start, line = line + 1, reader.line_num
            position[0] = line
            if len(row) != len(header):
                if not row:
                    continue
                raise MalformedFile(
                    path,
                    f"the row has {len(row)} fields, the header {len(header)} "
                    "(truncated or ragged file)",
                    line=start,
                )
            batch.lines.append(start)
            for col, k in wanted.items():
                batch.columns[col].append(row[k])
            if len(batch.lines) >= _BATCH_ROWS:
                yield batch
                batch = _Batch([], {col: [] for col in wanted})
        if batch.lines:
            yield batch

    return layout, batches()


def _csv_layout(path: Path, header: list[str]) -> _Layout:
    if "track_id" in header:
        return _TIDYTUESDAY
    if "uri" in header:
        return _HIT_PREDICTOR
    raise MalformedFile(
        path,
        "unknown layout: expected a 'track_id' column (TidyTuesday spotify_songs) "
        "or a 'uri' column (Hit Predictor)",
        line=1,
    )


def _json_records(path: Path, text: io.TextIOWrapper) -> list[tuple[int, Any]]:
    data = text.read()
    stripped = data.lstrip()
    if stripped.startswith("{") and "\n{" in stripped.rstrip():
        records = []
        for number, line in enumerate(data.splitlines(), start=1):
            if line.strip():
                records.append((number, _decode(path, line, number)))
        return records
    decoded = _decode(path, data, None)
    if isinstance(decoded, dict) and "audio_features" in decoded:
        decoded = decoded["audio_features"]
    if isinstance(decoded, dict):
        decoded = [decoded]
    if not isinstance(decoded, list):
        raise MalformedFile(
            path, "expected a JSON array of audio-features objects", line=1
        )
    return [(k, r) for k, r in enumerate(decoded, start=1) if r is not None]


def _decode(path: Path, text: str, line: int | None) -> Any:
    try:
        return msgspec.json.decode(text)
    except msgspec.DecodeError as exc:
        where = line
        match = re.search(r"byte (\d+)", str(exc))
        if where is None:
            end = int(match[1]) if match else len(text.encode())
            where = text.encode()[:end].count(b"\n") + 1
        raise MalformedFile(path, f"not valid JSON: {exc}", line=where) from None


def _json_batches(
    path: Path, text: io.TextIOWrapper
) -> tuple[_Layout, Iterator[_Batch]]:
    layout = _SPOTIFY_JSON
    records = _json_records(path, text)
    known = set(layout.columns.values()) | layout.extra
    unknown: set[str] = set()
    lines: list[int] = []
    columns: dict[str, list[Any]] = {col: [] for col in layout.columns}
    for number, record in records:
        if not isinstance(record, dict):
            raise MalformedFile(path, "expected an audio-features object", line=number)
        unknown.update(k for k in record if k not in known)
        track = record.get("id")
        if track is None and isinstance(record.get("uri"), str):
            track = record["uri"]
        if track is None:
            raise InvalidValue(
                path, "the object has neither 'id' nor 'uri'", line=number, field="id"
            )
        lines.append(number)
        columns["track_id"].append(track)
        for col, key in layout.columns.items():
            if col != "track_id":
                columns[col].append(record.get(key))
    _warn_unknown(path, unknown)
    return layout, iter([_Batch(lines, columns)] if lines else [])


def _warn_unknown(path: Path, names: set[str]) -> None:
    if names:
        log.warning("%s: ignoring unknown columns: %s", path, ", ".join(sorted(names)))


# -- checking -----------------------------------------------------------------------

_TRACK_ID = re.compile(r"^(?:spotify:track:)?([0-9A-Za-z]{22})$")


def _columns(
    path: Path, layout: _Layout, batch: _Batch, ids: dict[str, str]
) -> dict[str, Any]:
    """Check one batch and turn it into typed columns for DuckDB."""
    lines = np.asarray(batch.lines, dtype=np.int64)
    n = len(lines)
    out: dict[str, Any] = {"line": lines}
    for col in _TEXT:
        values = batch.columns.get(col)
        if values is None:
            out[col] = np.full(n, None, dtype=object)
            continue
        marks = layout.missing_marks
        out[col] = np.asarray([None if v in marks else v for v in values], object)
    field = layout.columns["track_id"]
    track_ids = np.empty(n, dtype=object)
    for k, value in enumerate(out["track_id"]):
        match = _TRACK_ID.match(value) if isinstance(value, str) else None
        if match is None:
            raise InvalidValue(
                path,
                f"{value!r} is not a Spotify track id or spotify:track: URI",
                line=batch.lines[k],
                field=field,
            )
        track_ids[k] = match[1]
    out["track_id"] = track_ids
    for col in _NUMBERS:
        values = batch.columns.get(col)
        if values is None:
            out[col] = np.full(n, np.nan)
        else:
            out[col] = _numbers(path, layout, col, values, batch.lines)
    names = out["artist_name"]
    artist_ids = np.full(n, None, dtype=object)
    for k, name in enumerate(names):
        if name is not None:
            key = ids.get(name)
            if key is None:
                key = ids[name] = derived_id("artist", name)
            artist_ids[k] = key
    out["artist_id"] = artist_ids
    return out


def _numbers(
    path: Path, layout: _Layout, col: str, values: list[Any], lines: list[int]
) -> npt.NDArray[np.float64]:
    field = layout.columns[col]
    low, high = RANGES[col]
    if layout is _SPOTIFY_JSON:
        bad = [
            k
            for k, v in enumerate(values)
            if v is not None and (isinstance(v, bool) or not isinstance(v, int | float))
        ]
        if bad:
            raise InvalidValue(
                path,
                f"{values[bad[0]]!r} is not a number",
                line=lines[bad[0]],
                field=field,
            )
        array = np.asarray([np.nan if v is None else v for v in values], object)
    else:
        marks = layout.missing_marks
        array = np.asarray(["nan" if v in marks else v for v in values], object)
    try:
        numbers = array.astype(np.float64)
    except (TypeError, ValueError):
        for k, value in enumerate(array):
            try:
                float(value)
            except (TypeError, ValueError):
                raise InvalidValue(
                    path, f"{value!r} is not a number", line=lines[k], field=field
                ) from None
        raise  # pragma: no cover - astype failed, yet every value converts
    known = ~np.isnan(numbers)
    outside = known & ((numbers < low) | (numbers > high))
    if col in _INTEGERS:
        outside |= known & (numbers != np.round(numbers))
    if outside.any():
        k = int(np.argmax(outside))
        kind = "an integer " if col in _INTEGERS else ""
        raise InvalidValue(
            path,
            f"{values[k]!r} is not {kind}in the range {low:g}..{high:g}",
            line=lines[k],
            field=field,
        )
    return numbers


# -- storing ------------------------------------------------------------------------

_STAGING = (
    "line BIGINT, "
    + ", ".join(f"{c} VARCHAR" for c in _TEXT)
    + ", "
    + ", ".join(f"{c} DOUBLE" for c in _NUMBERS)
    + ", artist_id VARCHAR"
)


def _import_file(
    catalog: Catalog, path: Path, source: str | None
) -> tuple[str, dict[str, int]]:
    started_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    t0 = time.perf_counter()
    ids: dict[str, str] = {}
    rows = 0
    position = [0]  # the last line the CSV reader reached
    with catalog.transaction():
        catalog._execute(f"CREATE OR REPLACE TEMP TABLE _feat ({_STAGING})")
        try:
            with _open_text(path) as text:
                try:
                    if _is_json(path, text):
                        layout, batches = _json_batches(path, text)
                    else:
                        layout, batches = _csv_batches(path, text, position)
                    for batch in batches:
                        rows += len(batch.lines)
                        _stage(catalog, _columns(path, layout, batch, ids))
                except (
                    csv.Error,
                    UnicodeDecodeError,
                    EOFError,
                    gzip.BadGzipFile,
                    zlib.error,
                ) as exc:
                    raise MalformedFile(
                        path, f"cannot read the file: {exc}", line=position[0] + 1
                    ) from None
            label = source or layout.name
            counts = _store(catalog, label)
            counts["rows"] = rows
            catalog.log_import(
                kind="features",
                source=label,
                path=str(path),
                started_at=started_at,
                playlists=counts["playlists"],
                tracks=counts["tracks"],
                items=counts["items"],
                features=counts["features"],
            )
        finally:
            catalog._execute("DROP TABLE IF EXISTS _feat")
    log.info(
        "%s: %d rows as %s, %d feature rows in %.2fs",
        path,
        rows,
        label,
        counts["features"],
        time.perf_counter() - t0,
    )
    return label, counts


def _stage(catalog: Catalog, columns: dict[str, Any]) -> None:
    catalog._register("_feat_batch", columns)
    try:
        names = ", ".join(columns)
        catalog._execute(f"INSERT INTO _feat ({names}) SELECT {names} FROM _feat_batch")
    finally:
        catalog._unregister("_feat_batch")


def _store(catalog: Catalog, label: str) -> dict[str, int]:
    run = catalog._execute
    run("UPDATE _feat SET " + ", ".join(f"{c} = NULLIF({c}, 'NaN')" for c in _NUMBERS))
    run(
        """
        INSERT INTO artists (id, name, derived_id)
        SELECT DISTINCT ON (artist_id) artist_id, artist_name, true FROM _feat
        WHERE artist_id IS NOT NULL ORDER BY artist_id, line
        ON CONFLICT (id) DO NOTHING
        """
    )
    run(
        """
        INSERT INTO albums (id, name, release_date, release_date_precision)
        SELECT DISTINCT ON (album_id) album_id, album_name, release_date,
               CASE length(release_date) WHEN 4 THEN 'year' WHEN 7 THEN 'month'
                    WHEN 10 THEN 'day' END
        FROM _feat WHERE album_id IS NOT NULL AND album_name IS NOT NULL
        ORDER BY album_id, line
        ON CONFLICT (id) DO UPDATE SET
            release_date = COALESCE(albums.release_date, excluded.release_date),
            release_date_precision = COALESCE(albums.release_date_precision,
                                              excluded.release_date_precision)
        """
    )
    run(
        """
        INSERT INTO album_artists (album_id, position, artist_id)
        SELECT DISTINCT ON (album_id) album_id, 0, artist_id FROM _feat
        WHERE album_id IS NOT NULL AND album_name IS NOT NULL
              AND artist_id IS NOT NULL
        ORDER BY album_id, line
        ON CONFLICT DO NOTHING
        """
    )
    run(
        """
        INSERT INTO tracks (id, name, album_id, duration_ms, popularity)
        SELECT DISTINCT ON (track_id) track_id, track_name, album_id,
               duration_ms::INTEGER, popularity::SMALLINT
        FROM _feat WHERE track_name IS NOT NULL ORDER BY track_id, line
        ON CONFLICT (id) DO UPDATE SET
            album_id = COALESCE(tracks.album_id, excluded.album_id),
            duration_ms = COALESCE(tracks.duration_ms, excluded.duration_ms),
            popularity = COALESCE(tracks.popularity, excluded.popularity)
        """
    )
    run(
        """
        INSERT INTO track_artists (track_id, position, artist_id)
        SELECT DISTINCT ON (track_id) track_id, 0, artist_id FROM _feat
        WHERE track_name IS NOT NULL AND artist_id IS NOT NULL
        ORDER BY track_id, line
        ON CONFLICT DO NOTHING
        """
    )
    ints = {"key", "mode", "time_signature"}
    cols = ", ".join(FEATURE_NAMES)
    values = ", ".join(f"{n}::TINYINT" if n in ints else n for n in FEATURE_NAMES)
    run(
        f"""
        INSERT OR REPLACE INTO track_features (track_id, source, {cols})
        SELECT DISTINCT ON (track_id) track_id, ?, {values} FROM _feat
        ORDER BY track_id, line
        """,
        [label],
    )
    prefix = f"{label}:"
    run(
        """
        DELETE FROM playlist_items WHERE playlist_id IN
            (SELECT DISTINCT ? || playlist_id FROM _feat WHERE playlist_id IS NOT NULL)
        """,
        [prefix],
    )
    run(
        """
        INSERT OR REPLACE INTO playlists (id, source, name, description, num_tracks)
        SELECT ? || playlist_id, ?, first(playlist_name ORDER BY line),
               string_agg(DISTINCT 'genre: ' || genre || ', subgenre: ' || subgenre,
                          '; ' ORDER BY 'genre: ' || genre || ', subgenre: ' ||
                          subgenre),
               count(*)
        FROM _feat WHERE playlist_id IS NOT NULL GROUP BY playlist_id
        """,
        [prefix, label],
    )
    run(
        """
        INSERT INTO playlist_items (playlist_id, position, track_id)
        SELECT ? || playlist_id,
               row_number() OVER (PARTITION BY playlist_id ORDER BY line) - 1,
               track_id
        FROM _feat WHERE playlist_id IS NOT NULL
        """,
        [prefix],
    )
    counts = catalog._fetchall(
        """
        SELECT count(DISTINCT track_id),
               count(DISTINCT track_id) FILTER (WHERE track_name IS NOT NULL),
               count(DISTINCT playlist_id),
               count(playlist_id)
        FROM _feat
        """
    )[0]
    return {
        "features": int(counts[0]),
        "tracks": int(counts[1]),
        "playlists": int(counts[2]),
        "items": int(counts[3]),
    }
