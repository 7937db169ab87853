"""The login kept between commands: client id, service URLs and the token store.

``segue login`` writes two files into the segue data directory (``$SEGUE_HOME``, else
the user data directory), both readable by their owner only (mode 0600):

- ``spotify-token.json``: the access and refresh tokens (a
  :class:`~segue.spotify.FileTokenStore`, written atomically);
- ``spotify-login.json``: the client id, the API and accounts URLs and who logged in,
  so that later commands need no options. It holds no secret.

The client id comes from ``--client-id``, else ``SPOTIFY_CLIENT_ID``, else the stored
login; the URLs from ``SPOTIFY_API_URL`` / ``SPOTIFY_ACCOUNTS_URL`` (an emulator),
else the stored login, else Spotify's.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from segue import spotify as s
from segue.catalog.home import data_dir
from segue.collect.errors import LoginExpired, NotLoggedIn
from segue.collect.source import Connect, Mode

__all__ = [
    "ACCOUNTS_URL",
    "API_URL",
    "SCOPES",
    "Session",
    "connector",
    "data_dir",
    "load_session",
    "login",
    "logout",
    "whoami",
]

log = logging.getLogger("segue")

API_URL = "https://api.spotify.com/v1"
ACCOUNTS_URL = "https://accounts.spotify.com"

SCOPES = (
    "playlist-read-private",
    "playlist-read-collaborative",
    "user-library-read",
    "user-top-read",
    "user-read-recently-played",
    "user-follow-read",
)
"""What ``segue collect`` reads; nothing is written to the user's account."""

_TOKEN_FILE = "spotify-token.json"
_LOGIN_FILE = "spotify-login.json"


@dataclasses.dataclass(frozen=True)
class Session:
    """Where and as whom segue talks to Spotify.

    Parameters
    ----------
    client_id
        The app's client id (public; PKCE needs no secret).
    api_url, accounts_url
        Base URLs of the Web API and the accounts service.
    home
        The directory holding the token and login files.
    user_id, display_name
        Who logged in, once known.
    """

    client_id: str
    api_url: str = API_URL
    accounts_url: str = ACCOUNTS_URL
    home: Path = dataclasses.field(default_factory=data_dir)
    user_id: str | None = None
    display_name: str | None = None

    @property
    def token_path(self) -> Path:
        """The token file."""
        return self.home / _TOKEN_FILE

    @property
    def login_path(self) -> Path:
        """The login file (no secrets)."""
        return self.home / _LOGIN_FILE

    def store(self) -> s.FileTokenStore:
        """The token store."""
        return s.FileTokenStore(self.token_path)

    def auth(self) -> s.UserAuth:
        """The user's token provider (refreshes and saves the token as needed).

        Raises
        ------
        NotLoggedIn
            No token is stored.
        """
        store = self.store()
        if store.load() is None:
            raise NotLoggedIn("not logged in to Spotify; run `segue login` first")
        return s.UserAuth(self.client_id, store, accounts_base=self.accounts_url)


def _read_login(home: Path) -> dict[str, Any]:
    try:
        data = json.loads((home / _LOGIN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def load_session(client_id: str | None = None, *, home: Path | None = None) -> Session:
    """The session from options, environment and the stored login, in that order.

    Raises
    ------
    NotLoggedIn
        No client id anywhere.
    """
    where = home if home is not None else data_dir()
    stored = _read_login(where)
    cid = client_id or os.environ.get("SPOTIFY_CLIENT_ID") or stored.get("client_id")
    if not cid:
        raise NotLoggedIn(
            "no Spotify client id: pass --client-id or set SPOTIFY_CLIENT_ID "
            "(create an app at https://developer.spotify.com/dashboard)"
        )
    return Session(
        client_id=str(cid),
        api_url=os.environ.get("SPOTIFY_API_URL") or stored.get("api_url") or API_URL,
        accounts_url=os.environ.get("SPOTIFY_ACCOUNTS_URL")
        or stored.get("accounts_url")
        or ACCOUNTS_URL,
        home=where,
        user_id=stored.get("user_id"),
        display_name=stored.get("display_name"),
    )


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def login(
    session: Session,
    *,
    port: int = 0,
    open_url: Callable[[str], object] | None = None,
    timeout: float = 300.0,
) -> Session:
    """Log the user in (PKCE, loopback redirect), store the token, learn who it is.

    Parameters
    ----------
    session
        Client id and URLs.
    port
        Loopback port of the redirect server on ``127.0.0.1``; 0 picks a free one.
    open_url
        Called with the authorize URL; by default the browser opens.
    timeout
        Seconds to wait for the user.

    Raises
    ------
    segue.spotify.AuthError
        The user refused, or the accounts service refused the app (a redirect URI
        that is not registered, an unknown client id).
    """
    s.login(
        session.client_id,
        SCOPES,
        store=session.store(),
        accounts_base=session.accounts_url,
        open_url=open_url,
        port=port,
        timeout=timeout,
    )
    me = whoami(session)
    done = dataclasses.replace(session, user_id=me.id, display_name=me.display_name)
    _write_private(
        done.login_path,
        json.dumps(
            {
                "client_id": done.client_id,
                "api_url": done.api_url,
                "accounts_url": done.accounts_url,
                "user_id": done.user_id,
                "display_name": done.display_name,
            },
            indent=2,
        ),
    )
    log.info("logged in as %s", done.user_id)
    return done


def logout(home: Path | None = None) -> bool:
    """Forget the stored token and login; return whether there was one."""
    where = home if home is not None else data_dir()
    found = False
    for name in (_TOKEN_FILE, _LOGIN_FILE):
        with contextlib.suppress(FileNotFoundError):
            (where / name).unlink()
            found = True
    return found


def whoami(session: Session) -> s.PrivateUser:
    """The logged-in user's profile (``GET /me``).

    Raises
    ------
    NotLoggedIn
        No token is stored.
    LoginExpired
        Spotify refused the refresh token.
    """
    with _client(session, "development") as client:
        try:
            return client.me()
        except s.LoginRequired as exc:
            raise expired(exc) from None


def expired(exc: s.LoginRequired) -> LoginExpired:
    """The :class:`LoginExpired` for a refused refresh token."""
    return LoginExpired(
        "the Spotify login has expired or was revoked (refresh tokens last six "
        "months since 2026); run `segue login` again"
    )


def _client(session: Session, mode: Mode) -> s.Spotify:
    return s.Spotify(
        session.auth(),
        mode=mode,
        api_base=session.api_url,
        accounts_base=session.accounts_url,
    )


def connector(
    session: Session,
    *,
    pacer: s.Pacer | None = None,
    max_wait: float = 60.0,
    max_retries: int = 5,
) -> Connect:
    """A :data:`~segue.collect.source.Connect` for the collector.

    Every client it opens shares one token provider and one pacer, so they refresh
    once and keep under the app's rate limit together. A crawl is long, so 5xx
    answers and dropped connections are retried ``max_retries`` times (the client's
    default is 3) before the run stops; the next run resumes.

    Raises
    ------
    NotLoggedIn
        No token is stored.
    """
    shared = pacer if pacer is not None else s.Pacer()
    auth = session.auth()

    def connect(mode: Mode) -> s.Spotify:
        return s.Spotify(
            auth,
            mode=mode,
            api_base=session.api_url,
            accounts_base=session.accounts_url,
            pacer=shared,
            max_wait=max_wait,
            max_retries=max_retries,
        )

    return connect
