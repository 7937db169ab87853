"""The segue catalog: playlists, tracks, audio features and the library, in DuckDB.

This package is the only home of SQL in segue. Other parts ask it for what they need,
an interaction matrix, a track table, one playlist, and never write queries.

Modules
-------
``records``   row records (msgspec structs) for writing and reading
``mpd``       importer of Million Playlist Dataset slices and challenge sets
``features``  importer of audio-feature tables (CSV and Spotify JSON)
``synth``     seeded synthetic worlds for tests and benchmarks
``home``      where segue keeps its files (``$SEGUE_HOME``)
``errors``    the exception tree, rooted at :class:`CatalogError`
"""

from segue.catalog._catalog import Catalog, Interactions, TrackTable
from segue.catalog._schema import SCHEMA_VERSION
from segue.catalog.errors import (
    CatalogError,
    ImportFailed,
    InvalidValue,
    MalformedFile,
    NotFound,
    SchemaError,
)
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

__all__ = [
    "FEATURE_NAMES",
    "SCHEMA_VERSION",
    "Album",
    "Artist",
    "Catalog",
    "CatalogError",
    "Features",
    "ImportFailed",
    "Interactions",
    "InvalidValue",
    "LibraryEntry",
    "MalformedFile",
    "NotFound",
    "Playlist",
    "PlaylistItem",
    "SchemaError",
    "Track",
    "TrackTable",
]
