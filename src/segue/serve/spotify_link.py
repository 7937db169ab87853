"""The user's Spotify login (PKCE) and what the service does with it.

The login runs through :class:`segue.spotify.Authorization` against
``settings.accounts_url``; the token goes to the server-side
:class:`~segue.serve.sessions.SessionStore` and never into a page, a cookie or a log.
A pending login (its state and PKCE verifier) is kept by
:class:`~segue.serve.logins.PendingLogins` in the data directory, so the callback may
land on any worker of the server, even one started after a restart; it is taken once,
by the session that started it, within :data:`~segue.serve.logins.PENDING_SECONDS`.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from starlette.requests import Request

from segue.serve.errors import ApiError, BadRequest, ConfigError, Unauthorized
from segue.serve.logins import PendingLogin, PendingLogins
from segue.serve.sessions import SessionStore, SessionTokenStore, session_id
from segue.serve.settings import Settings
from segue.spotify import (
    Authorization,
    LoginRequired,
    Spotify,
    SpotifyError,
    Track,
    TransportError,
    UserAuth,
    exchange_code,
)

__all__ = ["LoginFlows", "spotify_for", "spotify_playlist_tracks"]

log = logging.getLogger("segue")

SCOPES = ("playlist-read-private", "playlist-modify-private", "playlist-modify-public")


class SpotifyUnavailable(ApiError):
    """Spotify (or the emulator) refused or failed (502)."""

    status = 502


class LoginFlows:
    """Logins of one server, started and finished by any of its workers.

    Parameters
    ----------
    settings
        The server's settings; pending logins live in ``logins.sqlite3`` in its data
        directory.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.pending = PendingLogins(settings.data_dir / "logins.sqlite3")

    def _authorization(self, state: str, verifier: str) -> Authorization:
        settings = self.settings
        if not settings.spotify_client_id:
            raise ConfigError("no Spotify client id: set SPOTIFY_CLIENT_ID")
        return Authorization(
            settings.spotify_client_id,
            settings.base_url.rstrip("/") + "/callback",
            SCOPES,
            accounts_base=settings.accounts_url,
            state=state,
            code_verifier=verifier,
        )

    def start(self, sid: str, next_path: str) -> str:
        """Begin a login for the session; return the URL to send the browser to.

        Raises
        ------
        ConfigError
            The settings carry no Spotify client id.
        """
        state, verifier = secrets.token_urlsafe(24), secrets.token_urlsafe(64)
        auth = self._authorization(state, verifier)
        login = PendingLogin(state, sid, verifier, next_path, self.pending.clock())
        self.pending.add(login)
        return auth.url()

    def finish(self, store: SessionStore, sid: str, query: dict[str, str]) -> str:
        """Complete the login from the redirect's query; return where to go next.

        Raises
        ------
        BadRequest
            The state is unknown, expired, already used or another session's, or the
            user refused, or Spotify refused the code.
        SpotifyUnavailable
            The accounts service did not answer.
        """
        pending = self.pending.take(query.get("state", ""), sid)
        if pending is None:
            log.info("refused a Spotify callback: no such login for this session")
            raise BadRequest("this login is unknown or expired: please log in again")
        auth = self._authorization(pending.state, pending.verifier)
        try:
            code = auth.check_callback(query)
            token = exchange_code(auth, code)
        except TransportError as exc:
            raise SpotifyUnavailable(
                f"the accounts service is unreachable: {type(exc).__name__}"
            ) from None
        except SpotifyError as exc:
            raise BadRequest(f"Spotify login failed: {type(exc).__name__}") from None
        store.save(sid, token)
        log.info("a user logged in to Spotify")
        return pending.next_path


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
