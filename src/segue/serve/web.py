"""The web page and its small JSON helpers: catalog playlists, login, save.

The page (``static/index.html`` and ``static/app.js``) is plain HTML with a little
vanilla JavaScript; it continues a playlist through ``POST /v1/continuations`` and
draws the playlist's audio profile as SVG bars.
"""

from __future__ import annotations

import threading
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, RedirectResponse
from pydantic import BaseModel, ConfigDict, Field

from segue.serve.engine import Engine
from segue.serve.errors import BadRequest
from segue.serve.ids import MAX_TITLE, check_playlist_id, is_id
from segue.serve.sessions import SessionStore, session_id
from segue.serve.settings import Settings
from segue.serve.spotify_link import (
    LoginFlows,
    my_playlists,
    spotify_for,
    spotify_playlist_tracks,
)

__all__ = ["STATIC", "catalog_playlists", "router"]

STATIC = Path(str(resources.files("segue.serve") / "static"))

router = APIRouter()
_lock = threading.Lock()


@router.get("/", include_in_schema=False)
def index() -> FileResponse:
    """The web page."""
    return FileResponse(STATIC / "index.html", media_type="text/html")


@router.get("/static/{name}", include_in_schema=False)
def static(name: str) -> FileResponse:
    """The page's scripts and styles (a fixed set of files)."""
    allowed = {"app.js", "study.js", "style.css", "common.js"}
    if name not in allowed:
        raise BadRequest("no such file")
    media = "text/css" if name.endswith(".css") else "text/javascript"
    return FileResponse(STATIC / name, media_type=media)


def catalog_playlists(state: Any) -> list[dict[str, Any]]:
    """Id, name and length of every catalog playlist, read once and kept.

    ``state`` is the app's state; the list is built on first use (about 3 s for
    the 3,536 playlists of mpd-dev).
    """
    with _lock:
        cached: list[dict[str, Any]] | None = getattr(state, "playlists", None)
        if cached is None:
            engine: Engine = state.engine
            cached = [
                {"id": p.id, "name": p.name or "", "tracks": p.num_tracks}
                for p in engine.catalog.iter_playlists(items=False)
            ]
            state.playlists = cached
    return cached


@router.get("/api/playlists", tags=["web page"])
def playlists(
    request: Request,
    q: Annotated[str, Query(max_length=100)] = "",
    limit: Annotated[int, Query(ge=1, le=100)] = 30,
) -> dict[str, Any]:
    """Playlists of the catalog whose name contains ``q`` (case-insensitive)."""
    needle = q.casefold().strip()
    rows = [
        p
        for p in catalog_playlists(request.app.state)
        if needle in p["name"].casefold()
    ]
    return {"total": len(rows), "items": rows[:limit]}


@router.get("/api/session", tags=["web page"])
def session_info(request: Request) -> dict[str, Any]:
    """Whether saving to Spotify is possible and whether the user is logged in."""
    settings: Settings = request.app.state.settings
    store: SessionStore = request.app.state.sessions
    sid = session_id(request, create=False)
    return {
        "spotify_enabled": bool(settings.spotify_client_id),
        "logged_in": bool(sid and store.load(sid) is not None),
    }


@router.get("/login", include_in_schema=False)
def login(request: Request, next: str = "/") -> RedirectResponse:
    """Send the browser to Spotify's consent page (PKCE)."""
    if not next.startswith("/") or next.startswith("//") or len(next) > 200:
        next = "/"
    sid = session_id(request)
    assert sid is not None
    flows: LoginFlows = request.app.state.logins
    url = flows.start(sid, next)
    return RedirectResponse(url, status_code=303)


@router.get("/callback", include_in_schema=False)
def callback(request: Request) -> RedirectResponse:
    """Spotify's redirect back: exchange the code, keep the token server-side."""
    sid = session_id(request, create=False)
    if sid is None:
        raise BadRequest("no session: cookies must be enabled to log in")
    query = {k: v for k, v in request.query_params.items() if len(v) < 2000}
    flows: LoginFlows = request.app.state.logins
    target = flows.finish(request.app.state.sessions, sid, query)
    return RedirectResponse(target, status_code=303)


@router.post("/logout", include_in_schema=False)
def logout(request: Request) -> dict[str, bool]:
    """Forget the session's Spotify token."""
    sid = session_id(request, create=False)
    if sid is not None:
        request.app.state.sessions.forget(sid)
    request.session.clear()
    return {"logged_in": False}


class SaveRequest(BaseModel):
    """A new playlist for the logged-in user."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=MAX_TITLE)
    tracks: list[Annotated[str, Field(min_length=22, max_length=22)]] = Field(
        min_length=1, max_length=100
    )


@router.post("/api/save", tags=["web page"])
def save(request: Request, body: SaveRequest) -> dict[str, Any]:
    """Create a private playlist on the user's Spotify account with the tracks."""
    if not all(is_id(t) for t in body.tracks):
        raise BadRequest("invalid track id")
    with spotify_for(request) as sp:
        playlist = sp.create_playlist(
            body.name, public=False, description="Continued by segue"
        )
        sp.playlist_add_items(playlist.id, [f"spotify:track:{t}" for t in body.tracks])
    return {
        "id": playlist.id,
        "url": f"https://open.spotify.com/playlist/{playlist.id}",
        "tracks": len(body.tracks),
    }


@router.get("/api/me/playlists", tags=["web page"])
def spotify_playlists(request: Request) -> dict[str, Any]:
    """The logged-in user's Spotify playlists."""
    with spotify_for(request) as sp:
        return {"items": my_playlists(sp)}


@router.get("/api/me/playlists/{playlist_id}", tags=["web page"])
def spotify_playlist(request: Request, playlist_id: str) -> dict[str, Any]:
    """One of the user's Spotify playlists: its name and track ids."""
    check_playlist_id(playlist_id)
    with spotify_for(request) as sp:
        name, tracks = spotify_playlist_tracks(sp, playlist_id)
    return {"id": playlist_id, "name": name, "tracks": tracks}
