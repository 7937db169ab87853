"""Albums: ``/albums/{id}``, ``/albums?ids=``, ``/albums/{id}/tracks``."""

from __future__ import annotations

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
from segue.emulator._objects import MARKETS, page

__all__ = ["ROUTES"]


def _album_id(req: Request) -> str:
    album_id = req.params["id"]
    if album_id not in req.emu.world.albums:
        raise ApiError(404, "Resource not found")
    return album_id


def get_album(req: Request) -> Response:
    """``GET /albums/{id}``."""
    return json(req.renderer.album_full(_album_id(req)))


def get_albums(req: Request) -> Response:
    """``GET /albums?ids=`` (extended mode, 20 ids)."""
    albums = req.emu.world.albums
    return json(
        {
            "albums": [
                req.renderer.album_full(a) if a in albums else None
                for a in get_ids(req, 20)
            ]
        }
    )


def get_album_tracks(req: Request) -> Response:
    """``GET /albums/{id}/tracks``: simplified tracks, limit up to 50."""
    album_id = _album_id(req)
    limit = get_limit(req, 20, 50)
    offset = get_offset(req)
    track_ids = req.emu.world.album_tracks.get(album_id, [])
    render = req.renderer.track_simple
    return json(
        page(
            [render(t) for t in track_ids[offset : offset + limit]],
            url=f"{req.renderer.api}/albums/{album_id}/tracks",
            query="",
            total=len(track_ids),
            limit=limit,
            offset=offset,
        )
    )


def new_releases(req: Request) -> Response:
    """``GET /browse/new-releases`` (extended mode): the latest albums."""
    limit = get_limit(req, 20, 50)
    offset = get_offset(req)
    albums = req.emu.world.albums
    newest = sorted(
        (a for a in albums if albums[a].release_date),
        key=lambda a: (albums[a].release_date or "", a),
        reverse=True,
    )[:100]
    render = req.renderer.album_simple
    return json(
        {
            "albums": page(
                [render(a) for a in newest[offset : offset + limit]],
                url=f"{req.renderer.api}/browse/new-releases",
                query="",
                total=len(newest),
                limit=limit,
                offset=offset,
            )
        }
    )


def markets(req: Request) -> Response:
    """``GET /markets`` (extended mode)."""
    return json({"markets": MARKETS})


ROUTES = [
    Route("GET", "/v1/browse/new-releases", new_releases, extended_only=True),
    Route("GET", "/v1/markets", markets, extended_only=True),
    Route("GET", "/v1/albums/{id}", get_album),
    Route("GET", "/v1/albums", get_albums, extended_only=True),
    Route("GET", "/v1/albums/{id}/tracks", get_album_tracks),
]
