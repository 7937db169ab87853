"""Spotify-shaped JSON objects (tracks, artists, albums, errors) from the catalog.

The shapes follow the Web API's simplified track object as the removed
``/v1/recommendations`` endpoint returned it, so that code written for that endpoint
reads segue's answers unchanged. Fields the catalog does not know are null (or empty
lists), as Spotify itself answers for local files.
"""

from __future__ import annotations

import math
from typing import Any

from segue.serve.engine import Engine

__all__ = ["error_body", "track_object"]

OPEN = "https://open.spotify.com"


def error_body(status: int, message: str) -> dict[str, Any]:
    """Spotify's error shape: ``{"error": {"status": ..., "message": ...}}``."""
    return {"error": {"status": status, "message": message}}


def _number(value: Any) -> int | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return int(value)


def _ref(kind: str, id_: str | None, name: str | None, api: str) -> dict[str, Any]:
    return {
        "external_urls": {"spotify": f"{OPEN}/{kind}/{id_}"} if id_ else {},
        "href": f"{api}/{kind}s/{id_}" if id_ else None,
        "id": id_,
        "name": name,
        "type": kind,
        "uri": f"spotify:{kind}:{id_}" if id_ else None,
    }


def track_object(engine: Engine, track_id: str, api: str) -> dict[str, Any]:
    """The track as the Web API's track object, from the catalog's columns.

    Parameters
    ----------
    engine
        Holds the track table.
    track_id
        A track of the catalog (an unknown one gets nulls).
    api
        The base URL used in ``href`` fields, e.g. ``http://host/v1``.
    """
    i = engine.row.get(track_id)
    t = engine.table
    get = (lambda col: None) if i is None else (lambda col: col[i])
    artist = _ref("artist", get(t.artist_id), get(t.artist_name), api)
    album = _ref("album", get(t.album_id), get(t.album_name), api)
    year = _number(get(t.release_year))
    album.update(
        {
            "album_type": "album",
            "artists": [artist] if artist["id"] else [],
            "images": [],
            "release_date": str(year) if year is not None else None,
            "release_date_precision": "year" if year is not None else None,
            "total_tracks": None,
        }
    )
    track = _ref("track", track_id, get(t.name), api)
    isrc = get(t.isrc)
    track.update(
        {
            "album": album,
            "artists": [artist] if artist["id"] else [],
            "disc_number": 1,
            "duration_ms": _number(get(t.duration_ms)),
            "explicit": False,
            "external_ids": {"isrc": isrc} if isrc else {},
            "is_local": False,
            "is_playable": True,
            "popularity": _number(get(t.popularity)),
            "preview_url": None,
            "track_number": None,
        }
    )
    return track
