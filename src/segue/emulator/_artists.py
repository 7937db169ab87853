"""Artists: ``/artists/{id}``, ``/artists?ids=``, albums and top tracks."""

from __future__ import annotations

import urllib.parse

from segue.emulator._errors import ApiError
from segue.emulator._http import (
    Request,
    Response,
    Route,
    get_ids,
    get_limit,
    get_offset,
    json,
)
from segue.emulator._objects import album_type, page

__all__ = ["ROUTES"]

GROUPS = ("album", "single", "compilation", "appears_on")


def _artist_id(req: Request) -> str:
    artist_id = req.params["id"]
    if artist_id not in req.emu.world.artists:
        raise ApiError(404, "Resource not found")
    return artist_id


def get_artist(req: Request) -> Response:
    """``GET /artists/{id}``."""
    return json(req.renderer.artist_full(_artist_id(req)))


def get_artists(req: Request) -> Response:
    """``GET /artists?ids=`` (extended mode, 50 ids)."""
    artists = req.emu.world.artists
    return json(
        {
            "artists": [
                req.renderer.artist_full(a) if a in artists else None
                for a in get_ids(req, 50)
            ]
        }
    )


def get_artist_albums(req: Request) -> Response:
    """``GET /artists/{id}/albums``; development mode allows at most 10 a page."""
    artist_id = _artist_id(req)
    limit = get_limit(req, 20, 50) if req.emu.extended else get_limit(req, 5, 10)
    offset = get_offset(req)
    groups_param = req.query.get("include_groups", "")
    groups = {g for g in groups_param.split(",") if g} or set(GROUPS)
    if groups - set(GROUPS):
        raise ApiError(400, "Invalid include_groups")
    world = req.emu.world
    album_ids = []
    for album_id in world.artist_albums.get(artist_id, ()):
        album = world.albums[album_id]
        main = album.artist_ids[:1] == [artist_id]
        group = album_type(album.album_type) if main else "appears_on"
        if group in groups:
            album_ids.append(album_id)
    query = (
        f"include_groups={urllib.parse.quote(groups_param, safe=',')}&"
        if groups_param
        else ""
    )
    render = req.renderer.album_of_artist
    return json(
        page(
            [render(a, artist_id) for a in album_ids[offset : offset + limit]],
            url=f"{req.renderer.api}/artists/{artist_id}/albums",
            query=query,
            total=len(album_ids),
            limit=limit,
            offset=offset,
        )
    )


def get_top_tracks(req: Request) -> Response:
    """``GET /artists/{id}/top-tracks`` (extended mode): ten most popular."""
    artist_id = _artist_id(req)
    track_ids = req.emu.world.artist_tracks.get(artist_id, [])[:10]
    return json({"tracks": [req.renderer.track_full(t) for t in track_ids]})


ROUTES = [
    Route("GET", "/v1/artists/{id}", get_artist),
    Route("GET", "/v1/artists", get_artists, extended_only=True),
    Route("GET", "/v1/artists/{id}/albums", get_artist_albums),
    Route("GET", "/v1/artists/{id}/top-tracks", get_top_tracks, extended_only=True),
]
