"""Playlists: metadata, items (GET, POST, PUT, DELETE), the user's playlists.

Development mode reads items only of playlists the user owns or collaborates on,
answers 403 on the old ``/playlists/{id}/tracks`` path and on
``/users/{id}/playlists``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from segue.emulator import _fields as fields
from segue.emulator._errors import ApiError
from segue.emulator._http import Request, Response, Route, get_limit, get_offset, json
from segue.emulator._objects import page
from segue.emulator._world import Entry, PlaylistState, iso

__all__ = ["ROUTES"]

_MODIFY = ("playlist-modify-public", "playlist-modify-private")


def _playlist(req: Request) -> PlaylistState:
    playlist = req.emu.world.playlists.get(req.params["id"])
    if playlist is None:
        raise ApiError(404, "Resource not found")
    user = req.token.user_id if req.token is not None else None
    if (
        not playlist.public
        and user != playlist.owner_id
        and not _collaborates(req, playlist)
    ):
        raise ApiError(404, "Resource not found")
    return playlist


def _collaborates(req: Request, playlist: PlaylistState) -> bool:
    assert req.token is not None
    user = req.token.user_id
    if user is None or not playlist.collaborative:
        return False
    return playlist.id in req.emu.world.library(user).followed_playlists


def _member(req: Request, playlist: PlaylistState) -> bool:
    """Whether the token's user owns or collaborates on the playlist."""
    assert req.token is not None
    return req.token.user_id == playlist.owner_id or _collaborates(req, playlist)


def _check_read(req: Request, playlist: PlaylistState) -> None:
    if _member(req, playlist):
        if (
            playlist.collaborative
            and req.token
            and req.token.user_id != playlist.owner_id
        ):
            req.require_scope("playlist-read-collaborative")
        elif not playlist.public:
            req.require_scope("playlist-read-private")
        return
    if not req.emu.extended or not playlist.public:
        raise ApiError(403, "Forbidden")


def _check_modify(req: Request, playlist: PlaylistState) -> None:
    assert req.token is not None
    if req.token.user_id is None:
        raise ApiError(401, "Unauthorized.")
    if not _member(req, playlist):
        raise ApiError(403, "Forbidden")
    req.require_scope(
        "playlist-modify-public" if playlist.public else "playlist-modify-private"
    )


def _answer(req: Request, obj: Any) -> Response:
    """A JSON answer, cut down to the ``fields`` parameter when there is one."""
    text = req.query.get("fields")
    if not text:
        return json(obj)
    selection = fields.parse(text)
    return json(fields.apply(msgspec.json.decode(msgspec.json.encode(obj)), selection))


def get_playlist(req: Request) -> Response:
    """``GET /playlists/{id}``; ``items`` only where the user may read them."""
    playlist = _playlist(req)
    try:
        _check_read(req, playlist)
        readable = True
    except ApiError:
        readable = False
    return _answer(req, req.renderer.playlist_full(playlist, with_items=readable))


def _get_items(req: Request, maximum: int, path: str) -> Response:
    playlist = _playlist(req)
    _check_read(req, playlist)
    limit = get_limit(req, 20, maximum)
    offset = get_offset(req)
    return _answer(
        req, req.renderer.items_page(playlist, limit=limit, offset=offset, path=path)
    )


def get_items(req: Request) -> Response:
    """``GET /playlists/{id}/items``: at most 50 a page."""
    return _get_items(req, 50, "items")


def get_tracks_legacy(req: Request) -> Response:
    """``GET /playlists/{id}/tracks`` (extended mode): at most 100 a page."""
    return _get_items(req, 100, "tracks")


def _track_ids(req: Request, uris: Any) -> list[str]:
    if not isinstance(uris, list) or not all(isinstance(u, str) for u in uris):
        raise ApiError(400, "Invalid uris")
    if len(uris) > 100:
        raise ApiError(400, "You can add a maximum of 100 tracks per request.")
    tracks = req.emu.world.tracks
    ids = []
    for uri in uris:
        kind, _, track_id = uri.removeprefix("spotify:").partition(":")
        if not uri.startswith("spotify:") or kind != "track":
            raise ApiError(400, f"Invalid track uri: {uri}")
        if track_id not in tracks:
            raise ApiError(400, "Payload contains a non-existing ID")
        ids.append(track_id)
    return ids


def _uris(req: Request, body: Any) -> Any:
    if isinstance(body, list):  # a bare array of URIs, as spotipy sends it
        return body
    if isinstance(body, dict) and "uris" in body:
        return body["uris"]
    if "uris" in req.query:
        return [u for u in req.query["uris"].split(",") if u]
    return None


def _now() -> str:
    return iso(dt.datetime.now(dt.UTC))


def add_items(req: Request) -> Response:
    """``POST /playlists/{id}/items``: add tracks at a position or the end."""
    playlist = _playlist(req)
    _check_modify(req, playlist)
    body = req.json()
    uris = _uris(req, body)
    if uris is None:
        raise ApiError(400, "No uris provided")
    ids = _track_ids(req, uris)
    position = body.get("position") if isinstance(body, dict) else None
    if position is None and "position" in req.query:
        try:
            position = int(req.query["position"])
        except ValueError:
            raise ApiError(400, "Invalid position") from None
    with req.emu.world.lock:
        if position is None:
            position = len(playlist.items)
        if not isinstance(position, int) or not 0 <= position <= len(playlist.items):
            raise ApiError(400, "Index out of bounds")
        added = _now()
        entries = [Entry(t, added, req.user_id) for t in ids]
        playlist.items[position:position] = entries
        playlist.touch()
    return json({"snapshot_id": playlist.snapshot_id}, 201)


def update_items(req: Request) -> Response:
    """``PUT /playlists/{id}/items``: replace all items, or move a range."""
    playlist = _playlist(req)
    _check_modify(req, playlist)
    body = req.json()
    uris = _uris(req, body)
    world = req.emu.world
    if uris is not None:
        ids = _track_ids(req, uris)
        with world.lock:
            added = _now()
            playlist.items = [Entry(t, added, req.user_id) for t in ids]
            playlist.touch()
        return json({"snapshot_id": playlist.snapshot_id})
    if (
        not isinstance(body, dict)
        or "range_start" not in body
        or "insert_before" not in body
    ):
        raise ApiError(400, "Missing range_start or insert_before")
    start, before = body["range_start"], body["insert_before"]
    length = body.get("range_length", 1)
    with world.lock:
        size = len(playlist.items)
        for value, name in ((start, "range_start"), (before, "insert_before")):
            if not isinstance(value, int) or not 0 <= value <= size:
                raise ApiError(400, f"Invalid {name}")
        if not isinstance(length, int) or length < 1 or start + length > size:
            raise ApiError(400, "Invalid range_length")
        if not start <= before <= start + length:
            block = playlist.items[start : start + length]
            rest = playlist.items[:start] + playlist.items[start + length :]
            at = before if before < start else before - length
            playlist.items = rest[:at] + block + rest[at:]
        playlist.touch()
    return json({"snapshot_id": playlist.snapshot_id})


def remove_items(req: Request) -> Response:
    """``DELETE /playlists/{id}/items``: remove tracks (all or given positions)."""
    playlist = _playlist(req)
    _check_modify(req, playlist)
    body = req.json()
    objects = None
    if isinstance(body, dict):
        objects = body.get("items", body.get("tracks"))
    if not isinstance(objects, list) or not objects:
        raise ApiError(400, "Missing items")
    if len(objects) > 100:
        raise ApiError(400, "You can remove a maximum of 100 tracks per request.")
    wanted: dict[str, set[int] | None] = {}
    for obj in objects:
        if not isinstance(obj, dict) or not isinstance(obj.get("uri"), str):
            raise ApiError(400, "Invalid item")
        (track_id,) = _track_ids(req, [obj["uri"]])
        positions = obj.get("positions")
        if positions is None:
            wanted[track_id] = None
        else:
            known = wanted.get(track_id, set())
            if known is not None:
                wanted[track_id] = known | set(positions)
    with req.emu.world.lock:
        kept = []
        for position, entry in enumerate(playlist.items):
            if entry.track_id in wanted:
                positions_wanted = wanted[entry.track_id]
                if positions_wanted is None or position in positions_wanted:
                    continue
            kept.append(entry)
        playlist.items = kept
        playlist.touch()
    return json({"snapshot_id": playlist.snapshot_id})


def _user_playlists(
    req: Request, user_id: str, *, own_view: bool
) -> list[PlaylistState]:
    world = req.emu.world
    scopes = req.token.scopes if req.token is not None else frozenset()
    owned = [world.playlists[p] for p in reversed(world.by_owner.get(user_id, []))]
    followed = []
    if own_view:
        followed = [
            world.playlists[p]
            for p in world.library(user_id).followed_playlists
            if p in world.playlists
        ]
    found = []
    for playlist in owned + followed:
        if not playlist.public and (
            not own_view or "playlist-read-private" not in scopes
        ):
            continue
        if (
            playlist.collaborative
            and playlist.owner_id != user_id
            and "playlist-read-collaborative" not in scopes
        ):
            continue
        found.append(playlist)
    return found


def _playlists_page(req: Request, playlists: list[PlaylistState], url: str) -> Response:
    limit = get_limit(req, 20, 50)
    offset = get_offset(req)
    render = req.renderer.playlist_simple
    return json(
        page(
            [render(p) for p in playlists[offset : offset + limit]],
            url=url,
            query="",
            total=len(playlists),
            limit=limit,
            offset=offset,
        )
    )


def my_playlists(req: Request) -> Response:
    """``GET /me/playlists``: owned and followed; private ones need a scope."""
    playlists = _user_playlists(req, req.user_id, own_view=True)
    return _playlists_page(req, playlists, f"{req.renderer.api}/me/playlists")


def user_playlists(req: Request) -> Response:
    """``GET /users/{id}/playlists`` (extended mode): public playlists."""
    user_id = req.params["user_id"]
    if user_id not in req.emu.world.users:
        raise ApiError(404, "Resource not found")
    own = req.token is not None and req.token.user_id == user_id
    playlists = _user_playlists(req, user_id, own_view=own)
    return _playlists_page(
        req, playlists, f"{req.renderer.api}/users/{user_id}/playlists"
    )


def _create(req: Request, owner_id: str) -> Response:
    body = req.json()
    if not isinstance(body, dict) or not isinstance(body.get("name"), str):
        raise ApiError(400, "Missing required field: name")
    public = body.get("public", True)
    collaborative = body.get("collaborative", False)
    if not isinstance(public, bool) or not isinstance(collaborative, bool):
        raise ApiError(400, "Invalid request")
    if public and collaborative:
        raise ApiError(400, "Collaborative playlists can only be private.")
    req.require_scope("playlist-modify-public" if public else "playlist-modify-private")
    description = body.get("description")
    playlist = req.emu.world.create_playlist(
        owner_id,
        body["name"],
        description=description if isinstance(description, str) else None,
        public=public,
        collaborative=collaborative,
    )
    return json(req.renderer.playlist_full(playlist, with_items=True), 201)


def create_my_playlist(req: Request) -> Response:
    """``POST /me/playlists``."""
    return _create(req, req.user_id)


def create_user_playlist(req: Request) -> Response:
    """``POST /users/{id}/playlists`` (extended mode), for oneself only."""
    if req.params["user_id"] != req.user_id:
        raise ApiError(403, "You cannot create a playlist for another user")
    return _create(req, req.user_id)


def change_details(req: Request) -> Response:
    """``PUT /playlists/{id}``: name, description, public, collaborative."""
    playlist = _playlist(req)
    assert req.token is not None
    if req.token.user_id != playlist.owner_id:
        raise ApiError(403, "Forbidden")
    req.require_scope(
        "playlist-modify-public" if playlist.public else "playlist-modify-private"
    )
    body = req.json()
    if not isinstance(body, dict):
        raise ApiError(400, "Invalid request")
    with req.emu.world.lock:
        for key, kind in (
            ("name", str),
            ("description", str),
            ("public", bool),
            ("collaborative", bool),
        ):
            if key in body:
                if not isinstance(body[key], kind):
                    raise ApiError(400, f"Invalid {key}")
                setattr(playlist, key, body[key])
        playlist.touch()
    return Response(200, b"")


def follow(req: Request) -> Response:
    """``PUT``/``DELETE /playlists/{id}/followers`` (extended mode)."""
    playlist = _playlist(req)
    followed = req.emu.world.library(req.user_id).followed_playlists
    with req.emu.world.lock:
        if req.method == "PUT" and playlist.id not in followed:
            followed.append(playlist.id)
        elif req.method == "DELETE" and playlist.id in followed:
            followed.remove(playlist.id)
    return Response(200, b"")


_ITEMS = "/v1/playlists/{id}/items"
_TRACKS = "/v1/playlists/{id}/tracks"

ROUTES = [
    Route("GET", "/v1/playlists/{id}", get_playlist),
    Route("PUT", "/v1/playlists/{id}", change_details, user=True, scopes=_MODIFY),
    *(
        Route(
            method,
            "/v1/playlists/{id}/followers",
            follow,
            user=True,
            scopes=_MODIFY,
            extended_only=True,
        )
        for method in ("PUT", "DELETE")
    ),
    Route("GET", _ITEMS, get_items),
    Route("POST", _ITEMS, add_items, user=True, scopes=_MODIFY),
    Route("PUT", _ITEMS, update_items, user=True, scopes=_MODIFY),
    Route("DELETE", _ITEMS, remove_items, user=True, scopes=_MODIFY),
    Route("GET", _TRACKS, get_tracks_legacy, extended_only=True),
    Route("POST", _TRACKS, add_items, user=True, scopes=_MODIFY, extended_only=True),
    Route("PUT", _TRACKS, update_items, user=True, scopes=_MODIFY, extended_only=True),
    Route(
        "DELETE", _TRACKS, remove_items, user=True, scopes=_MODIFY, extended_only=True
    ),
    Route("GET", "/v1/me/playlists", my_playlists, user=True),
    Route("POST", "/v1/me/playlists", create_my_playlist, user=True, scopes=_MODIFY),
    Route(
        "GET",
        "/v1/users/{user_id}/playlists",
        user_playlists,
        extended_only=True,
    ),
    Route(
        "POST",
        "/v1/users/{user_id}/playlists",
        create_user_playlist,
        user=True,
        scopes=_MODIFY,
        extended_only=True,
    ),
]
