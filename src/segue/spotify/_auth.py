"""OAuth 2.0 with Spotify's accounts service, as I/O-free flows.

Three ways to get a token:

- :class:`ClientCredentials`: app-only token, no user data, renewed when it expires;
- :class:`UserAuth`: a user's token from a :class:`~segue.spotify.TokenStore`, refreshed
  before it expires (PKCE when there is no client secret, else authorization code);
- :class:`Authorization`: the authorize URL and the code exchange that produce that
  user token in the first place (see :func:`~segue.spotify.login` for the loopback
  redirect server that drives it).

Token requests are yielded as :class:`TokenRequest` and answered with a
:class:`~segue.spotify._core.Reply`; the sync and async transports drive the same
flows. A refresh answer without a ``refresh_token`` keeps the old one; ``invalid_grant``
raises :class:`~segue.spotify.LoginRequired`.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import re
import secrets
import threading
import time
from collections.abc import Callable, Generator, Iterable
from typing import Any
from urllib.parse import urlencode

from ._core import Reply
from ._errors import AuthError, LoginRequired, ValidationError
from ._tokens import MemoryTokenStore, Token, TokenStore

__all__ = [
    "ACCOUNTS_BASE",
    "Auth",
    "Authorization",
    "ClientCredentials",
    "TokenRequest",
    "UserAuth",
]

ACCOUNTS_BASE = "https://accounts.spotify.com"
REFRESH_MARGIN = 60.0
"""Seconds before expiry at which a token is renewed."""
_VERIFIER = re.compile(r"[A-Za-z0-9\-._~]{43,128}")

TokenFlow = Generator["TokenRequest", Reply, Token]


@dataclasses.dataclass(frozen=True, slots=True)
class TokenRequest:
    """A POST to the accounts service's token endpoint (secrets hidden from repr)."""

    url: str
    form: dict[str, str] = dataclasses.field(repr=False)
    basic: tuple[str, str] | None = dataclasses.field(default=None, repr=False)


def _basic_header(basic: tuple[str, str]) -> str:
    raw = f"{basic[0]}:{basic[1]}".encode()
    return "Basic " + base64.b64encode(raw).decode("ascii")


def token_request_headers(request: TokenRequest) -> dict[str, str]:
    """HTTP headers for ``request`` (holds the client secret: never log them)."""
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if request.basic is not None:
        headers["Authorization"] = _basic_header(request.basic)
    return headers


def _read_token(reply: Reply, previous_refresh: str | None, now: float) -> Token:
    try:
        data = json.loads(reply.content)
    except ValueError:
        data = None
    if reply.status >= 400 or not isinstance(data, dict):
        error = "invalid_response"
        description = ""
        if isinstance(data, dict):
            error = str(data.get("error") or error)
            description = str(data.get("error_description") or "")
        if error == "invalid_grant":
            raise LoginRequired(error, description, reply.status)
        raise AuthError(error, description, reply.status)
    access = data.get("access_token")
    if not isinstance(access, str) or not access:
        raise AuthError(
            "invalid_response", "no access_token in the answer", reply.status
        )
    refresh = data.get("refresh_token") or previous_refresh
    try:
        expires_in = float(data.get("expires_in", 3600))
    except (TypeError, ValueError):
        expires_in = 3600.0
    return Token(
        access_token=access,
        expires_at=now + expires_in,
        refresh_token=refresh if isinstance(refresh, str) else None,
        scope=str(data.get("scope") or ""),
        token_type=str(data.get("token_type") or "Bearer"),
    )


class Auth:
    """Base of the token providers a client can use.

    Subclasses implement :meth:`token_flow`. The transport holds ``lock`` (sync) or its
    own asyncio lock while it drives a flow, so one refresh serves all callers.
    """

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self.lock = threading.Lock()

    def current(self) -> Token | None:
        """The token in hand, if any, without any request."""
        raise NotImplementedError

    def token_flow(self, *, force: bool = False) -> TokenFlow:
        """Yield token requests until a fresh token is in hand, and return it.

        Parameters
        ----------
        force
            Renew even if the current token looks valid (after a 401).
        """
        raise NotImplementedError

    def fresh(self, token: Token | None, force: bool) -> bool:
        """Whether ``token`` can be used as is."""
        if token is None or force:
            return False
        return not token.expires_within(REFRESH_MARGIN, self.clock())


class ClientCredentials(Auth):
    """App-only tokens from the client credentials grant.

    Parameters
    ----------
    client_id, client_secret
        The app's credentials. The secret never appears in a repr or message.
    accounts_base
        Base URL of the accounts service.
    """

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        *,
        accounts_base: str = ACCOUNTS_BASE,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(clock)
        if not client_id or not client_secret:
            raise ValidationError("client credentials need a client id and secret")
        self.client_id = client_id
        self._secret = client_secret
        self.token_url = accounts_base.rstrip("/") + "/api/token"
        self._token: Token | None = None

    def current(self) -> Token | None:
        """The token in hand, if any."""
        return self._token

    def token_flow(self, *, force: bool = False) -> TokenFlow:
        """Request a new app token when there is none or it is about to expire."""
        token = self._token
        if token is not None and self.fresh(token, force):
            return token
        reply = yield TokenRequest(
            self.token_url,
            {"grant_type": "client_credentials"},
            (self.client_id, self._secret),
        )
        self._token = _read_token(reply, None, self.clock())
        return self._token

    def __repr__(self) -> str:
        return f"ClientCredentials(client_id={self.client_id!r})"


class UserAuth(Auth):
    """A user's token, kept in a store and refreshed before it expires.

    Parameters
    ----------
    client_id
        The app's client id.
    store
        Where the token lives; a :class:`~segue.spotify.MemoryTokenStore` when omitted.
    client_secret
        The app's secret for the authorization code flow; ``None`` for PKCE, where the
        refresh request carries the client id instead.
    token
        A token to start with (saved to the store).
    accounts_base
        Base URL of the accounts service.
    """

    def __init__(
        self,
        client_id: str,
        store: TokenStore | None = None,
        *,
        client_secret: str | None = None,
        token: Token | None = None,
        accounts_base: str = ACCOUNTS_BASE,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(clock)
        if not client_id:
            raise ValidationError("a user token needs the app's client id")
        self.client_id = client_id
        self._secret = client_secret
        self.store: TokenStore = store if store is not None else MemoryTokenStore()
        self.token_url = accounts_base.rstrip("/") + "/api/token"
        if token is not None:
            self.store.save(token)
        self._token = self.store.load()

    def current(self) -> Token | None:
        """The token in hand, if any."""
        return self._token

    def token_flow(self, *, force: bool = False) -> TokenFlow:
        """Refresh the stored token when it is about to expire (or ``force``).

        Raises
        ------
        LoginRequired
            There is no token or refresh token, or Spotify answered ``invalid_grant``.
        """
        token = self._token
        if token is None:
            token = self._token = self.store.load()
        if token is None:
            raise LoginRequired("no_token", "no stored token for this user")
        if self.fresh(token, force):
            return token
        if token.refresh_token is None:
            raise LoginRequired("no_refresh_token", "the token cannot be refreshed")
        form = {"grant_type": "refresh_token", "refresh_token": token.refresh_token}
        basic = None
        if self._secret is None:
            form["client_id"] = self.client_id
        else:
            basic = (self.client_id, self._secret)
        reply = yield TokenRequest(self.token_url, form, basic)
        fresh = _read_token(reply, token.refresh_token, self.clock())
        self.store.save(fresh)
        self._token = fresh
        return fresh

    def __repr__(self) -> str:
        return f"UserAuth(client_id={self.client_id!r}, store={self.store!r})"


class Authorization:
    """One authorization: the authorize URL, then the code exchange.

    PKCE (no client secret) is the default; it generates a code verifier and sends its
    S256 challenge. Neither the verifier, the state nor the code appears in a repr.

    An authorization can be finished in another process (a web service with several
    workers): start it with a ``state`` and ``code_verifier`` of your own, keep them
    where the other process can read them, and build an equal authorization there.

    Parameters
    ----------
    client_id
        The app's client id.
    redirect_uri
        Where Spotify sends the user back, e.g. ``http://127.0.0.1:PORT/callback``.
    scopes
        The scopes to ask for.
    client_secret
        The app's secret, for the authorization code flow without PKCE.
    accounts_base
        Base URL of the accounts service.
    state
        The OAuth state to send and expect back; a random one when None.
    code_verifier
        The PKCE code verifier, 43 to 128 characters of ``A-Z a-z 0-9 - . _ ~``
        (RFC 7636); a random one when None. It is a secret: keep it like a token.

    Raises
    ------
    ValidationError
        The redirect URI names ``localhost``, the state is empty, or the verifier
        does not fit RFC 7636.
    """

    def __init__(
        self,
        client_id: str,
        redirect_uri: str,
        scopes: Iterable[str] = (),
        *,
        client_secret: str | None = None,
        accounts_base: str = ACCOUNTS_BASE,
        clock: Callable[[], float] = time.time,
        state: str | None = None,
        code_verifier: str | None = None,
    ) -> None:
        if "localhost" in redirect_uri:
            raise ValidationError(
                "Spotify refuses 'localhost' redirect URIs since November 2025; "
                "use http://127.0.0.1:PORT/..."
            )
        self.client_id = client_id
        self.redirect_uri = redirect_uri
        self.scopes = tuple(scopes)
        self.clock = clock
        self._secret = client_secret
        self._base = accounts_base.rstrip("/")
        if state is not None and not state:
            raise ValidationError("an OAuth state cannot be empty")
        if code_verifier is not None and not _VERIFIER.fullmatch(code_verifier):
            raise ValidationError(
                "a PKCE code verifier is 43 to 128 characters of A-Z a-z 0-9 - . _ ~"
            )
        self.state = state if state is not None else secrets.token_urlsafe(24)
        self._verifier = (
            code_verifier if code_verifier is not None else secrets.token_urlsafe(64)
        )

    @property
    def pkce(self) -> bool:
        """Whether the flow uses PKCE (no client secret)."""
        return self._secret is None

    def url(self) -> str:
        """The URL to open in the user's browser."""
        params: dict[str, Any] = {
            "client_id": self.client_id,
            "response_type": "code",
            "redirect_uri": self.redirect_uri,
            "state": self.state,
        }
        if self.scopes:
            params["scope"] = " ".join(self.scopes)
        if self.pkce:
            digest = hashlib.sha256(self._verifier.encode("ascii")).digest()
            challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
            params["code_challenge_method"] = "S256"
            params["code_challenge"] = challenge
        return f"{self._base}/authorize?{urlencode(params)}"

    def check_callback(self, query: dict[str, str]) -> str:
        """Return the code from the redirect's query, after checking its state.

        Raises
        ------
        AuthError
            The user refused, or the state does not match (a forged redirect).
        """
        if "error" in query:
            raise AuthError(query["error"], "authorization was not granted")
        if not secrets.compare_digest(query.get("state", ""), self.state):
            raise AuthError("state_mismatch", "the redirect's state is not ours")
        code = query.get("code", "")
        if not code:
            raise AuthError("invalid_request", "the redirect carries no code")
        return code

    def exchange_flow(self, code: str) -> TokenFlow:
        """Exchange the authorization ``code`` for a user token."""
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.redirect_uri,
        }
        basic = None
        if self.pkce:
            form["client_id"] = self.client_id
            form["code_verifier"] = self._verifier
        else:
            assert self._secret is not None
            basic = (self.client_id, self._secret)
        reply = yield TokenRequest(f"{self._base}/api/token", form, basic)
        return _read_token(reply, None, self.clock())

    def __repr__(self) -> str:
        return (
            f"Authorization(client_id={self.client_id!r}, "
            f"redirect_uri={self.redirect_uri!r}, pkce={self.pkce})"
        )
