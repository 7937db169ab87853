"""The versioned DuckDB schema of a segue catalog.

Each entry of :data:`MIGRATIONS` moves the schema one version up; a new catalog applies
them all. The version lives in the ``meta`` table under ``schema_version``.
"""

from __future__ import annotations

import duckdb

from segue.catalog.errors import SchemaError

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "migrate"]

_V1 = """
CREATE TABLE meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

CREATE TABLE artists (
    id VARCHAR PRIMARY KEY,          -- Spotify id, or one derived from the name
    name VARCHAR NOT NULL,
    genres VARCHAR[],                -- NULL when unknown (deprecated in 2026)
    popularity SMALLINT,             -- 0..100, NULL when unknown
    followers BIGINT,
    derived_id BOOLEAN NOT NULL DEFAULT false
);

CREATE TABLE albums (
    id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    album_type VARCHAR,              -- album, single, compilation
    release_date VARCHAR,            -- as Spotify gives it: YYYY, YYYY-MM or YYYY-MM-DD
    release_date_precision VARCHAR,
    total_tracks INTEGER,
    upc VARCHAR,
    label VARCHAR,
    popularity SMALLINT,
    derived_id BOOLEAN NOT NULL DEFAULT false
);

CREATE TABLE album_artists (
    album_id VARCHAR NOT NULL,
    position SMALLINT NOT NULL,
    artist_id VARCHAR NOT NULL,
    PRIMARY KEY (album_id, position)
);

CREATE TABLE tracks (
    id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    album_id VARCHAR,
    duration_ms INTEGER,
    explicit BOOLEAN,
    isrc VARCHAR,
    disc_number SMALLINT,
    track_number SMALLINT,
    popularity SMALLINT
);

CREATE TABLE track_artists (
    track_id VARCHAR NOT NULL,
    position SMALLINT NOT NULL,      -- 0 is the main artist
    artist_id VARCHAR NOT NULL,
    PRIMARY KEY (track_id, position)
);

CREATE TABLE playlists (
    id VARCHAR PRIMARY KEY,          -- Spotify id, or SOURCE:PID for dataset playlists
    source VARCHAR NOT NULL,         -- label of the import or collection
    name VARCHAR,                    -- NULL for challenge playlists without a title
    description VARCHAR,
    owner_id VARCHAR,
    owner_name VARCHAR,
    followers BIGINT,
    collaborative BOOLEAN,
    public BOOLEAN,
    snapshot_id VARCHAR,
    pid BIGINT,                      -- the dataset's own playlist id (MPD pid)
    modified_at TIMESTAMP,
    num_edits INTEGER,
    num_tracks INTEGER,              -- as the source states it (includes hold-outs)
    num_holdouts INTEGER,            -- challenge sets: tracks withheld from the items
    num_albums INTEGER,
    num_artists INTEGER,
    duration_ms BIGINT
);

CREATE TABLE playlist_items (
    playlist_id VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    track_id VARCHAR NOT NULL,
    added_at TIMESTAMP,
    added_by VARCHAR
);

CREATE TABLE track_features (
    track_id VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    danceability DOUBLE,
    energy DOUBLE,
    key TINYINT,
    loudness DOUBLE,
    mode TINYINT,
    speechiness DOUBLE,
    acousticness DOUBLE,
    instrumentalness DOUBLE,
    liveness DOUBLE,
    valence DOUBLE,
    tempo DOUBLE,
    time_signature TINYINT,
    PRIMARY KEY (track_id, source)
);

-- The user's own library: saved tracks and albums, top items per time range,
-- recently played tracks and followed artists.
CREATE TABLE library (
    kind VARCHAR NOT NULL,           -- saved_track, saved_album, top_track, top_artist,
                                     -- recent_track, followed_artist
    item_id VARCHAR NOT NULL,
    time_range VARCHAR NOT NULL DEFAULT '',  -- top items: short/medium/long_term
    rank INTEGER,
    happened_at TIMESTAMP NOT NULL DEFAULT TIMESTAMP '1970-01-01',  -- added, played
    PRIMARY KEY (kind, item_id, time_range, happened_at)
);

CREATE SEQUENCE import_id_seq;
CREATE TABLE imports (
    id BIGINT PRIMARY KEY DEFAULT nextval('import_id_seq'),
    kind VARCHAR NOT NULL,           -- mpd, features, collect, synthetic
    source VARCHAR NOT NULL,
    path VARCHAR,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL,
    playlists BIGINT NOT NULL DEFAULT 0,
    tracks BIGINT NOT NULL DEFAULT 0,
    items BIGINT NOT NULL DEFAULT 0,
    features BIGINT NOT NULL DEFAULT 0
);
"""

_V2 = """
-- The collector's crawl state (segue.catalog.crawl): runs, their tasks with cursors,
-- items staged page by page, and the objects already fetched, so that a collection
-- killed at any moment resumes without refetching or duplicating anything.
CREATE TABLE crawl_runs (
    id BIGINT PRIMARY KEY,
    scope VARCHAR NOT NULL,          -- 'all' or 'playlist:ID'
    source VARCHAR NOT NULL,         -- source label of the collected playlists
    user_id VARCHAR,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP            -- NULL while the run is unfinished
);

CREATE TABLE crawl_tasks (
    run_id BIGINT NOT NULL,
    key VARCHAR NOT NULL,            -- my_playlists, playlist:ID, top_tracks:short_term
    kind VARCHAR NOT NULL,
    seq INTEGER NOT NULL,            -- order of work within the run
    status VARCHAR NOT NULL,         -- pending, done, forbidden, missing
    cursor VARCHAR,                  -- next offset or cursor; NULL: from the start
    snapshot_id VARCHAR,             -- playlists: the snapshot being fetched
    payload VARCHAR,                 -- playlists: the metadata, as JSON
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (run_id, key)
);

CREATE TABLE crawl_items (
    run_id BIGINT NOT NULL,
    task_key VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    item_id VARCHAR NOT NULL,
    added_at TIMESTAMP,
    added_by VARCHAR,
    PRIMARY KEY (run_id, task_key, position)
);

CREATE TABLE crawl_fetched (
    kind VARCHAR NOT NULL,           -- track, album, artist, features
    id VARCHAR NOT NULL,
    status VARCHAR NOT NULL,         -- ok, missing
    fetched_at TIMESTAMP NOT NULL,
    PRIMARY KEY (kind, id)
);

CREATE TABLE crawl_settings (
    key VARCHAR PRIMARY KEY,         -- access_mode, features:spotify
    value VARCHAR NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
"""

MIGRATIONS: tuple[str, ...] = (_V1, _V2)
"""SQL scripts, one per schema version; index 0 creates version 1."""

SCHEMA_VERSION = len(MIGRATIONS)
"""The version this segue writes and reads."""


def _current_version(con: duckdb.DuckDBPyConnection) -> int:
    tables = {
        row[0]
        for row in con.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'main'"
        ).fetchall()
    }
    if not tables:
        return 0
    if "meta" not in tables:
        raise SchemaError("the database has tables but is not a segue catalog")
    rows = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
    if not rows:
        raise SchemaError("the catalog has no schema version")
    return int(rows[0][0])


def migrate(con: duckdb.DuckDBPyConnection, *, read_only: bool = False) -> int:
    """Bring the schema of ``con`` to :data:`SCHEMA_VERSION`.

    Parameters
    ----------
    con
        An open DuckDB connection.
    read_only
        When true, only check the version: an outdated catalog raises instead of
        being upgraded.

    Returns
    -------
    int
        The schema version after the call.

    Raises
    ------
    SchemaError
        The database is not a segue catalog, is newer than this segue, or is outdated
        and ``read_only`` is set.
    """
    version = _current_version(con)
    if version > SCHEMA_VERSION:
        raise SchemaError(
            f"the catalog has schema version {version}, newer than this segue "
            f"understands ({SCHEMA_VERSION}); upgrade segue"
        )
    if version == SCHEMA_VERSION:
        return version
    if read_only:
        raise SchemaError(
            f"the catalog has schema version {version}; open it writable once to "
            f"upgrade it to {SCHEMA_VERSION}"
        )
    con.execute("BEGIN TRANSACTION")
    try:
        for script in MIGRATIONS[version:]:
            con.execute(script).fetchall()
        con.execute(
            "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
            [str(SCHEMA_VERSION)],
        ).fetchall()
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return SCHEMA_VERSION
