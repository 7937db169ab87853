"""The accounts service: clients, authorization codes, access and refresh tokens.

It follows ``accounts.spotify.com`` as of 2026: client credentials, authorization
code with a client secret or with PKCE (S256 checked), refresh tokens that expire
six months after the user's authorization and refresh answers that may omit a new
refresh token; redirect URIs must be HTTPS or a loopback IP literal with any port.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
import secrets
import time
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from segue.emulator._config import Config
from segue.emulator._errors import ApiError, OAuthError

__all__ = ["SCOPES", "Accounts", "Client", "Token", "redirect_problem"]

SCOPES = frozenset(
    {
        "ugc-image-upload",
        "user-read-playback-state",
        "user-modify-playback-state",
        "user-read-currently-playing",
        "app-remote-control",
        "streaming",
        "playlist-read-private",
        "playlist-read-collaborative",
        "playlist-modify-private",
        "playlist-modify-public",
        "user-follow-modify",
        "user-follow-read",
        "user-read-playback-position",
        "user-top-read",
        "user-read-recently-played",
        "user-library-modify",
        "user-library-read",
        "user-read-email",
        "user-read-private",
        "user-personalized",
        "user-soa-link",
        "user-soa-unlink",
        "user-manage-entitlements",
        "user-manage-partner",
        "user-create-partner",
    }
)
"""Every scope Spotify knows."""


@dataclasses.dataclass(frozen=True)
class Client:
    """A registered app. ``redirect_uris`` empty means any allowed URI."""

    id: str
    secret: str
    redirect_uris: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Token:
    """What an access token grants; ``user_id`` is None for client credentials."""

    client_id: str
    user_id: str | None
    scopes: frozenset[str]
    expires_at: float


@dataclasses.dataclass(frozen=True)
class _Grant:
    client_id: str
    user_id: str
    scopes: frozenset[str]
    authorized_at: float
    redirect_uri: str = ""
    challenge: str | None = None


def redirect_problem(uri: str) -> str | None:
    """Why Spotify would refuse ``uri`` as a redirect URI, or None if it is fine.

    HTTPS is fine; plain HTTP only to the loopback IP literals ``127.0.0.1`` and
    ``[::1]`` (any port); ``localhost`` is refused.
    """
    parts = urllib.parse.urlsplit(uri)
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.scheme == "http" and parts.hostname in ("127.0.0.1", "::1"):
        return None
    if parts.scheme == "http":
        return "INVALID_CLIENT: Insecure redirect URI"
    if parts.scheme and parts.scheme not in ("http", "https") and parts.netloc == "":
        return None  # custom app schemes such as myapp:/callback
    return "INVALID_CLIENT: Invalid redirect URI"


def _loopback_key(uri: str) -> str:
    """A redirect URI with the port of a loopback URI left out."""
    parts = urllib.parse.urlsplit(uri)
    if parts.scheme == "http" and parts.hostname in ("127.0.0.1", "::1"):
        host = "[::1]" if parts.hostname == "::1" else parts.hostname
        return urllib.parse.urlunsplit(
            (parts.scheme, host, parts.path, parts.query, "")
        )
    return uri


class Accounts:
    """Clients, codes and tokens of one emulator.

    Parameters
    ----------
    config
        The emulator's options (token lifetimes, refresh behaviour, who
        ``/authorize`` approves).
    clients
        The registered apps.
    clock
        Wall-clock seconds; tests pass a fake one to move time.
    """

    def __init__(
        self,
        config: Config,
        clients: Iterable[Client],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config
        self.clients = {c.id: c for c in clients}
        self.clock = clock
        self._tokens: dict[str, Token] = {}
        self._codes: dict[str, _Grant] = {}
        self._refresh: dict[str, _Grant] = {}

    # -- tokens for tests ---------------------------------------------------------

    def mint(
        self,
        client_id: str,
        user_id: str | None,
        scopes: Iterable[str] = (),
        *,
        expires_in: float | None = None,
    ) -> str:
        """Issue an access token directly, without an OAuth flow."""
        lifetime = self.config.access_lifetime_s if expires_in is None else expires_in
        token = secrets.token_urlsafe(48)
        self._tokens[token] = Token(
            client_id, user_id, frozenset(scopes), self.clock() + lifetime
        )
        return token

    def mint_refresh(
        self,
        client_id: str,
        user_id: str,
        scopes: Iterable[str] = (),
        *,
        authorized_at: float | None = None,
    ) -> str:
        """Issue a refresh token directly, as if the user authorized at a time."""
        token = secrets.token_urlsafe(48)
        when = self.clock() if authorized_at is None else authorized_at
        self._refresh[token] = _Grant(client_id, user_id, frozenset(scopes), when)
        return token

    def check(self, header: str | None) -> Token:
        """The grant of an ``Authorization: Bearer`` header.

        Raises
        ------
        ApiError
            401 with Spotify's message when the token is missing, unknown or
            expired.
        """
        if not header:
            raise ApiError(401, "No token provided")
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise ApiError(401, "Only valid bearer authentication supported")
        token = self._tokens.get(value.strip())
        if token is None:
            raise ApiError(
                401,
                "Invalid access token",
                headers={
                    "WWW-Authenticate": 'Bearer realm="spotify", '
                    'error="invalid_token", error_description="Invalid access token"'
                },
            )
        if token.expires_at <= self.clock():
            raise ApiError(
                401,
                "The access token expired",
                headers={
                    "WWW-Authenticate": 'Bearer realm="spotify", '
                    'error="invalid_token", '
                    'error_description="The access token expired"'
                },
            )
        return token

    # -- /authorize ---------------------------------------------------------------

    def authorize(self, query: Mapping[str, str]) -> str:
        """Approve (or deny) at once; return the URL to redirect to.

        Raises
        ------
        OAuthError
            The client or redirect URI is refused; Spotify shows such errors on
            its own page instead of redirecting.
        """
        client = self.clients.get(query.get("client_id", ""))
        if client is None:
            raise OAuthError("invalid_client", "INVALID_CLIENT: Invalid client")
        redirect = query.get("redirect_uri", "")
        if not redirect:
            raise OAuthError("invalid_request", "INVALID_CLIENT: Invalid redirect URI")
        problem = redirect_problem(redirect)
        if problem is not None:
            raise OAuthError("invalid_client", problem)
        if client.redirect_uris and _loopback_key(redirect) not in {
            _loopback_key(u) for u in client.redirect_uris
        }:
            raise OAuthError("invalid_client", "INVALID_CLIENT: Invalid redirect URI")
        answer: dict[str, str] = {}
        scopes = frozenset(query.get("scope", "").replace(",", " ").split())
        if query.get("response_type") != "code":
            answer["error"] = "unsupported_response_type"
        elif scopes - SCOPES:
            answer["error"] = "invalid_scope"
        elif (
            query.get("code_challenge") and query.get("code_challenge_method") != "S256"
        ):
            answer["error"] = "invalid_request"
        elif self.config.authorize_denies:
            answer["error"] = "access_denied"
        else:
            code = secrets.token_urlsafe(32)
            self._codes[code] = _Grant(
                client.id,
                self.config.authorize_user,
                scopes,
                self.clock(),
                redirect,
                query.get("code_challenge") or None,
            )
            answer["code"] = code
        if "state" in query:
            answer["state"] = query["state"]
        sep = "&" if "?" in redirect else "?"
        return redirect + sep + urllib.parse.urlencode(answer)

    # -- /api/token ---------------------------------------------------------------

    def _client(
        self, form: Mapping[str, str], header: str | None, *, secret_needed: bool
    ) -> Client:
        client_id = form.get("client_id")
        secret = form.get("client_secret")
        if header:
            scheme, _, value = header.partition(" ")
            if scheme.lower() != "basic":
                raise OAuthError("invalid_client", "Invalid client", 400)
            try:
                decoded = base64.b64decode(value.strip(), validate=True).decode()
            except (binascii.Error, UnicodeDecodeError):
                raise OAuthError("invalid_client", "Invalid client", 400) from None
            client_id, _, secret = decoded.partition(":")
        if not client_id:
            raise OAuthError("invalid_client", "Invalid client", 400)
        client = self.clients.get(client_id)
        if client is None:
            raise OAuthError("invalid_client", "Invalid client", 400)
        if secret is not None and not secrets.compare_digest(secret, client.secret):
            raise OAuthError("invalid_client", "Invalid client secret", 400)
        if secret is None and secret_needed:
            raise OAuthError("invalid_client", "Invalid client", 400)
        return client

    def _issue(
        self, client_id: str, user_id: str | None, scopes: frozenset[str]
    ) -> dict[str, Any]:
        token = self.mint(client_id, user_id, scopes)
        answer: dict[str, Any] = {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": self.config.access_lifetime_s,
        }
        if user_id is not None:
            answer["scope"] = " ".join(sorted(scopes))
        return answer

    def token(self, form: Mapping[str, str], header: str | None) -> dict[str, Any]:
        """Answer ``POST /api/token``.

        Raises
        ------
        OAuthError
            ``invalid_client``, ``invalid_grant``, ``invalid_request`` or
            ``unsupported_grant_type``, as Spotify answers them.
        """
        grant = form.get("grant_type")
        if not grant:
            raise OAuthError(
                "unsupported_grant_type", "grant_type parameter is missing"
            )
        if grant == "client_credentials":
            client = self._client(form, header, secret_needed=True)
            return self._issue(client.id, None, frozenset())
        if grant == "authorization_code":
            return self._exchange(form, header)
        if grant == "refresh_token":
            return self._refresh_grant(form, header)
        raise OAuthError(
            "unsupported_grant_type",
            "grant_type must be client_credentials, authorization_code or "
            "refresh_token",
        )

    def _exchange(self, form: Mapping[str, str], header: str | None) -> dict[str, Any]:
        verifier = form.get("code_verifier")
        client = self._client(form, header, secret_needed=verifier is None)
        code = form.get("code", "")
        grant = self._codes.pop(code, None)
        if grant is None or grant.client_id != client.id:
            raise OAuthError("invalid_grant", "Invalid authorization code")
        if form.get("redirect_uri") != grant.redirect_uri:
            raise OAuthError("invalid_grant", "Invalid redirect URI")
        if grant.challenge is not None:
            if not verifier:
                raise OAuthError("invalid_request", "code_verifier required")
            digest = hashlib.sha256(verifier.encode()).digest()
            expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if not secrets.compare_digest(expected, grant.challenge):
                raise OAuthError("invalid_grant", "code_verifier was incorrect")
        elif verifier is not None:
            raise OAuthError("invalid_grant", "code_verifier was incorrect")
        answer = self._issue(client.id, grant.user_id, grant.scopes)
        refresh = secrets.token_urlsafe(48)
        self._refresh[refresh] = grant
        answer["refresh_token"] = refresh
        return answer

    def _refresh_grant(
        self, form: Mapping[str, str], header: str | None
    ) -> dict[str, Any]:
        client = self._client(form, header, secret_needed=False)
        value = form.get("refresh_token", "")
        grant = self._refresh.get(value)
        if grant is None or grant.client_id != client.id:
            raise OAuthError("invalid_grant", "Invalid refresh token")
        if self.clock() >= grant.authorized_at + self.config.refresh_lifetime_s:
            self._refresh.pop(value, None)
            raise OAuthError("invalid_grant", "Refresh token revoked")
        answer = self._issue(client.id, grant.user_id, grant.scopes)
        if self.config.refresh_returns_token:
            self._refresh.pop(value, None)
            fresh = secrets.token_urlsafe(48)
            self._refresh[fresh] = grant
            answer["refresh_token"] = fresh
        return answer
