"""The user's Spotify login (PKCE) and what the service does with it.

The login runs through :class:`segue.spotify.Authorization` against
``settings.accounts_url``; the token goes to the server-side
:class:`~segue.serve.sessions.SessionStore` and never into a page, a cookie or a log.
A pending login (its PKCE verifier) lives in the memory of the worker that started
it, keyed by the OAuth ``state``; with several workers a login whose callback lands
on another worker fails and is simply retried.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from starlette.requests import Request

from segue.serve.errors import ApiError, BadRequest, ConfigError, Unauthorized
from segue.serve.sessions import SessionStore, SessionTokenStore, session_id
from segue.serve.settings import Settings
from segue.spotify import (
    Authorization,
    LoginRequired,
    Spotify,
    SpotifyError,
    Token,
    Track,
    UserAuth,
)
from segue.spotify._core import Reply  # the token flows are answered with it

__all__ = ["LoginFlows", "spotify_for", "spotify_playlist_tracks"]

log = logging.getLogger("segue")

SCOPES = ("playlist-read-private", "playlist-modify-private", "playlist-modify-public")
PENDING_SECONDS = 600.0


class SpotifyUnavailable(ApiError):
    """Spotify (or the emulator) refused or failed (502)."""

    status = 502


class LoginFlows:
    """Logins in progress in this worker, by OAuth state."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: dict[str, tuple[Authorization, str, str, float]] = {}

    def start(self, settings: Settings, sid: str, next_path: str) -> str:
        """Begin a login for the session; return the URL to send the browser to."""
        if not settings.spotify_client_id:
            raise ConfigError("no Spotify client id: set SPOTIFY_CLIENT_ID")
        auth = Authorization(
            settings.spotify_client_id,
            settings.base_url.rstrip("/") + "/callback",
            SCOPES,
            accounts_base=settings.accounts_url,
        )
        now = time.monotonic()
        with self._lock:
            for state in [
                s for s, v in self._pending.items() if now - v[3] > PENDING_SECONDS
            ]:
                del self._pending[state]
            self._pending[auth.state] = (auth, sid, next_path, now)
        return auth.url()

    def finish(
        self, settings: Settings, store: SessionStore, sid: str, query: dict[str, str]
    ) -> str:
        """Complete the login from the redirect's query; return where to go next.

        Raises
        ------
        BadRequest
            The state is unknown, belongs to another session, or the user refused.
        """
        with self._lock:
            pending = self._pending.pop(query.get("state", ""), None)
        if pending is None or pending[1] != sid:
            raise BadRequest("this login is unknown or expired: please log in again")
        auth, _, next_path, _ = pending
        try:
            code = auth.check_callback(query)
            token = _exchange(auth, code)
        except SpotifyError as exc:
            raise BadRequest(f"Spotify login failed: {type(exc).__name__}") from None
        store.save(sid, token)
        log.info("a user logged in to Spotify")
        return next_path


def _exchange(auth: Authorization, code: str) -> Token:
    flow = auth.exchange_flow(code)
    with httpx.Client(timeout=10.0) as http:
        request = next(flow)
        try:
            while True:
                try:
                    response = http.post(request.url, data=request.form)
                except httpx.HTTPError as exc:
                    raise SpotifyUnavailable(
                        f"the accounts service is unreachable: {type(exc).__name__}"
                    ) from None
                request = flow.send(Reply(response.status_code, response.content))
        except StopIteration as stop:
            token: Token = stop.value
            return token


@contextmanager
def spotify_for(request: Request) -> Iterator[Spotify]:
    """A Spotify client acting for the logged-in user of the request.

    Raises
    ------
    Unauthorized
        The session has no Spotify login.
    """
    settings: Settings = request.app.state.settings
    store: SessionStore = request.app.state.sessions
    sid = session_id(request, create=False)
    if sid is None or store.load(sid) is None or not settings.spotify_client_id:
        raise Unauthorized("log in with Spotify first")
    auth = UserAuth(
        settings.spotify_client_id,
        SessionTokenStore(store, sid),
        accounts_base=settings.accounts_url,
    )
    try:
        with Spotify(
            auth,
            api_base=settings.api_url,
            accounts_base=settings.accounts_url,
            max_wait=10.0,
        ) as sp:
            yield sp
    except LoginRequired:
        store.forget(sid)
        raise Unauthorized("the Spotify login expired: log in again") from None
    except SpotifyError as exc:
        raise SpotifyUnavailable(f"Spotify answered {type(exc).__name__}") from None


def spotify_playlist_tracks(sp: Spotify, playlist_id: str) -> tuple[str, list[str]]:
    """The name and track ids of one of the user's playlists (first 500 items)."""
    playlist = sp.playlist(playlist_id)
    ids = []
    for item in sp.iter_playlist_items(playlist_id, max_items=500):
        content = item.content
        if isinstance(content, Track) and content.id:
            ids.append(content.id)
    return playlist.name, ids


def my_playlists(sp: Spotify) -> list[dict[str, Any]]:
    """The user's playlists (first 100): id, name and item count."""
    out = []
    for p in sp.iter_my_playlists(max_items=100):
        ref = p.items or p.tracks
        out.append({"id": p.id, "name": p.name, "tracks": getattr(ref, "total", None)})
    return out
