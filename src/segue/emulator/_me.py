"""The current user: profile, library, top items, history and followed artists."""

from __future__ import annotations

import datetime as dt
from typing import Any

from segue.emulator._errors import ApiError
from segue.emulator._http import Request, Response, Route, get_limit, get_offset, json
from segue.emulator._objects import page
from segue.emulator._world import TIME_RANGES, iso

__all__ = ["ROUTES"]

_LIBRARY_KINDS = {
    # kind: (modify scope, read scope)
    "track": ("user-library-modify", "user-library-read"),
    "album": ("user-library-modify", "user-library-read"),
    "artist": ("user-follow-modify", "user-follow-read"),
    "user": ("user-follow-modify", "user-follow-read"),
    "playlist": ("playlist-modify-public", "playlist-read-private"),
}


def get_me(req: Request) -> Response:
    """``GET /me``."""
    assert req.token is not None
    user = req.emu.world.users[req.user_id]
    return json(req.renderer.private_user(user, req.token.scopes))


def _saved_page(req: Request, saved: dict[str, str], kind: str) -> Response:
    limit = get_limit(req, 20, 50)
    offset = get_offset(req)
    newest_first = list(reversed(saved.items()))
    chosen = newest_first[offset : offset + limit]
    renderer = req.renderer
    items: list[dict[str, Any]]
    if kind == "track":
        items = [{"added_at": a, "track": renderer.track_full(t)} for t, a in chosen]
    else:
        items = [{"added_at": a, "album": renderer.album_full(t)} for t, a in chosen]
    return json(
        page(
            items,
            url=f"{renderer.api}/me/{kind}s",
            query="",
            total=len(saved),
            limit=limit,
            offset=offset,
        )
    )


def saved_tracks(req: Request) -> Response:
    """``GET /me/tracks``, newest first."""
    return _saved_page(req, req.emu.world.library(req.user_id).saved_tracks, "track")


def saved_albums(req: Request) -> Response:
    """``GET /me/albums``, newest first."""
    return _saved_page(req, req.emu.world.library(req.user_id).saved_albums, "album")


def _library_uris(req: Request, *, modify: bool) -> list[tuple[str, str]]:
    raw = req.query.get("uris")
    if raw is None:
        body = req.json()
        if isinstance(body, dict) and isinstance(body.get("uris"), list):
            raw = ",".join(str(u) for u in body["uris"])
    uris = [u for u in (raw or "").split(",") if u]
    if not uris:
        raise ApiError(400, "Missing required parameter: uris")
    if len(uris) > 40:
        raise ApiError(400, "Too many ids requested")
    parsed = []
    for uri in uris:
        parts = uri.split(":")
        if len(parts) != 3 or parts[0] != "spotify" or not parts[2]:
            raise ApiError(400, f"Invalid uri: {uri}")
        kind = parts[1]
        if kind not in _LIBRARY_KINDS:
            raise ApiError(400, f"Unsupported uri type: {kind}")
        parsed.append((kind, parts[2]))
    needed = {_LIBRARY_KINDS[k][0 if modify else 1] for k, _ in parsed}
    for scope in sorted(needed):
        req.require_scope(scope)
    return parsed


def _known(req: Request, kind: str, item_id: str) -> bool:
    world = req.emu.world
    tables: dict[str, Any] = {
        "track": world.tracks,
        "album": world.albums,
        "artist": world.artists,
        "user": world.users,
        "playlist": world.playlists,
    }
    return item_id in tables[kind]


def _change_library(req: Request, *, save: bool) -> Response:
    items = _library_uris(req, modify=True)
    for kind, item_id in items:
        if not _known(req, kind, item_id):
            raise ApiError(400, "Payload contains a non-existing ID")
    world = req.emu.world
    library = world.library(req.user_id)
    now = iso(dt.datetime.now(dt.UTC))
    with world.lock:
        for kind, item_id in items:
            if kind in ("track", "album"):
                saved = (
                    library.saved_tracks if kind == "track" else library.saved_albums
                )
                if save:
                    saved.setdefault(item_id, now)
                else:
                    saved.pop(item_id, None)
            elif kind == "artist":
                if save:
                    library.followed_artists.add(item_id)
                else:
                    library.followed_artists.discard(item_id)
            elif kind == "playlist":
                followed = library.followed_playlists
                if save and item_id not in followed:
                    followed.append(item_id)
                elif not save and item_id in followed:
                    followed.remove(item_id)
    return Response(200, b"")


def save_library(req: Request) -> Response:
    """``PUT /me/library?uris=``: save or follow up to 40 items."""
    return _change_library(req, save=True)


def remove_library(req: Request) -> Response:
    """``DELETE /me/library?uris=``: remove or unfollow up to 40 items."""
    return _change_library(req, save=False)


def library_contains(req: Request) -> Response:
    """``GET /me/library/contains?uris=``: one boolean per URI."""
    items = _library_uris(req, modify=False)
    world = req.emu.world
    library = world.library(req.user_id)
    answer = []
    for kind, item_id in items:
        if kind == "track":
            answer.append(item_id in library.saved_tracks)
        elif kind == "album":
            answer.append(item_id in library.saved_albums)
        elif kind == "artist":
            answer.append(item_id in library.followed_artists)
        elif kind == "playlist":
            answer.append(
                item_id in library.followed_playlists
                or item_id in world.by_owner.get(req.user_id, ())
            )
        else:
            answer.append(False)
    return json(answer)


def top_items(req: Request) -> Response:
    """``GET /me/top/{type}`` with ``time_range``."""
    kind = req.params["type"]
    if kind not in ("artists", "tracks"):
        raise ApiError(404, "Service not found")
    time_range = req.query.get("time_range", "medium_term")
    if time_range not in TIME_RANGES:
        raise ApiError(400, "Invalid time range")
    limit = get_limit(req, 20, 50)
    offset = get_offset(req)
    library = req.emu.world.library(req.user_id)
    ids = (library.top_artists if kind == "artists" else library.top_tracks)[time_range]
    render = req.renderer.artist_full if kind == "artists" else req.renderer.track_full
    return json(
        page(
            [render(i) for i in ids[offset : offset + limit]],
            url=f"{req.renderer.api}/me/top/{kind}",
            query=f"time_range={time_range}&",
            total=len(ids),
            limit=limit,
            offset=offset,
        )
    )


def _ms(value: str | None, name: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise ApiError(400, f"Invalid {name} parameter") from None


def _played_at(ms: int) -> str:
    moment = dt.datetime.fromtimestamp(ms / 1000, dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def _context(req: Request, track_id: str) -> dict[str, Any] | None:
    album_id = req.emu.world.tracks[track_id].album_id
    if album_id is None:
        return None
    return {
        "type": "album",
        "href": f"{req.renderer.api}/albums/{album_id}",
        "external_urls": {"spotify": f"https://open.spotify.com/album/{album_id}"},
        "uri": f"spotify:album:{album_id}",
    }


def recently_played(req: Request) -> Response:
    """``GET /me/player/recently-played``: cursor paging in Unix ms."""
    limit = get_limit(req, 20, 50)
    after = _ms(req.query.get("after"), "after")
    before = _ms(req.query.get("before"), "before")
    if after is not None and before is not None:
        raise ApiError(400, "Only one of after or before may be specified")
    history = req.emu.world.library(req.user_id).recent
    if after is not None:
        newer = [p for p in history if p[1] > after]
        chosen = newer[-limit:]
    elif before is not None:
        chosen = [p for p in history if p[1] < before][:limit]
    else:
        chosen = history[:limit]
    renderer = req.renderer
    url = f"{renderer.api}/me/player/recently-played"
    cursor = (
        f"after={after}&"
        if after is not None
        else f"before={before}&"
        if before is not None
        else ""
    )
    older = bool(chosen) and any(p[1] < chosen[-1][1] for p in history)
    return json(
        {
            "href": f"{url}?{cursor}limit={limit}",
            "items": [
                {
                    "track": renderer.track_full(t),
                    "played_at": _played_at(ms),
                    "context": _context(req, t),
                }
                for t, ms in chosen
            ],
            "limit": limit,
            "next": f"{url}?before={chosen[-1][1]}&limit={limit}" if older else None,
            "cursors": {
                "after": str(chosen[0][1]) if chosen else None,
                "before": str(chosen[-1][1]) if chosen else None,
            }
            if chosen
            else None,
            "total": len(history),
        }
    )


def following(req: Request) -> Response:
    """``GET /me/following?type=artist``: cursor paging by artist id."""
    if req.query.get("type") != "artist":
        raise ApiError(400, "Only valid type is artist")
    limit = get_limit(req, 20, 50)
    after = req.query.get("after")
    followed = sorted(req.emu.world.library(req.user_id).followed_artists)
    start = 0
    if after:
        start = next((i + 1 for i, a in enumerate(followed) if a == after), 0)
        if start == 0:
            start = sum(1 for a in followed if a <= after)
    chosen = followed[start : start + limit]
    more = start + limit < len(followed)
    renderer = req.renderer
    url = f"{renderer.api}/me/following"
    query = f"type=artist&after={after}&" if after else "type=artist&"
    last = chosen[-1] if chosen and more else None
    return json(
        {
            "artists": {
                "href": f"{url}?{query}limit={limit}",
                "items": [renderer.artist_full(a) for a in chosen],
                "limit": limit,
                "next": f"{url}?type=artist&after={last}&limit={limit}"
                if last
                else None,
                "cursors": {"after": last},
                "total": len(followed),
            }
        }
    )


def _legacy_ids(req: Request, maximum: int) -> list[str]:
    raw = req.query.get("ids")
    if raw is None:
        body = req.json()
        if isinstance(body, dict) and isinstance(body.get("ids"), list):
            raw = ",".join(str(i) for i in body["ids"])
    ids = [i for i in (raw or "").split(",") if i]
    if not ids:
        raise ApiError(400, "Missing required parameter: ids")
    if len(ids) > maximum:
        raise ApiError(400, "Too many ids requested")
    return ids


def _legacy_kind(req: Request) -> str:
    if req.path.startswith("/v1/me/tracks"):
        return "track"
    if req.path.startswith("/v1/me/albums"):
        return "album"
    kind = req.query.get("type")
    if kind not in ("artist", "user"):
        raise ApiError(400, "Only valid types are artist and user")
    return kind


def _legacy_change(req: Request) -> Response:
    kind = _legacy_kind(req)
    ids = _legacy_ids(req, 20 if kind == "album" else 50)
    req.query["uris"] = ",".join(f"spotify:{kind}:{i}" for i in ids)
    answer = _change_library(req, save=req.method == "PUT")
    return Response(204, b"") if kind in ("artist", "user") else answer


def _legacy_contains(req: Request) -> Response:
    kind = _legacy_kind(req)
    ids = _legacy_ids(req, 20 if kind == "album" else 50)
    req.query["uris"] = ",".join(f"spotify:{kind}:{i}" for i in ids)
    return library_contains(req)


def get_user(req: Request) -> Response:
    """``GET /users/{id}`` (extended mode): a public profile."""
    user = req.emu.world.users.get(req.params["user_id"])
    if user is None:
        raise ApiError(404, "Resource not found")
    obj = req.renderer.owner(user.id)
    obj["followers"] = {"href": None, "total": user.followers}
    obj["images"] = []
    return json(obj)


_LEGACY = [
    ("/v1/me/tracks", ("user-library-modify",), ("user-library-read",)),
    ("/v1/me/albums", ("user-library-modify",), ("user-library-read",)),
    ("/v1/me/following", ("user-follow-modify",), ("user-follow-read",)),
]

ROUTES = [
    *(
        Route(
            method, path, _legacy_change, user=True, scopes=modify, extended_only=True
        )
        for path, modify, _ in _LEGACY
        for method in ("PUT", "DELETE")
    ),
    *(
        Route(
            "GET",
            path + "/contains",
            _legacy_contains,
            user=True,
            scopes=read,
            extended_only=True,
        )
        for path, _, read in _LEGACY
    ),
    Route("GET", "/v1/users/{user_id}", get_user, extended_only=True),
    Route("GET", "/v1/me", get_me, user=True),
    Route(
        "GET", "/v1/me/tracks", saved_tracks, user=True, scopes=("user-library-read",)
    ),
    Route(
        "GET", "/v1/me/albums", saved_albums, user=True, scopes=("user-library-read",)
    ),
    Route("PUT", "/v1/me/library", save_library, user=True),
    Route("DELETE", "/v1/me/library", remove_library, user=True),
    Route("GET", "/v1/me/library/contains", library_contains, user=True),
    Route("GET", "/v1/me/top/{type}", top_items, user=True, scopes=("user-top-read",)),
    Route(
        "GET",
        "/v1/me/player/recently-played",
        recently_played,
        user=True,
        scopes=("user-read-recently-played",),
    ),
    Route(
        "GET", "/v1/me/following", following, user=True, scopes=("user-follow-read",)
    ),
]
