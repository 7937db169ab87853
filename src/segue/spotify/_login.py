"""Interactive login: the authorize URL, a loopback redirect server, the code exchange.

:func:`login` listens on ``127.0.0.1`` on a free port (Spotify refuses ``localhost``),
opens the authorize URL in the browser (or prints it, or hands it to a callable, which
is how tests follow it with httpx), waits for the redirect, checks its ``state``, and
exchanges the code for a token that it saves to the store (:func:`exchange_code`, which
a web service that receives the redirect itself calls directly). The code and verifier
are never logged, and the redirect server's own request log is silenced.
"""

from __future__ import annotations

import http.server
import logging
import sys
import threading
import webbrowser
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

from ._auth import ACCOUNTS_BASE, Authorization
from ._errors import AuthError
from ._tokens import MemoryTokenStore, Token, TokenStore
from ._transport import post_token

__all__ = ["exchange_code", "login"]

logger = logging.getLogger("segue")

_PAGE = (
    b"<!doctype html><title>segue</title><p>Logged in to Spotify. "
    b"You can close this tab and return to the terminal.</p>"
)


class _Catcher(http.server.BaseHTTPRequestHandler):
    """Answers the one redirect and hands its query to the server."""

    server: _Server

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path != self.server.callback_path:
            self.send_error(404)
            return
        self.server.query = dict(parse_qsl(parts.query))
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(_PAGE)))
        self.end_headers()
        self.wfile.write(_PAGE)
        self.server.done.set()

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default request log: its lines would carry the code."""


class _Server(http.server.HTTPServer):
    def __init__(self, host: str, port: int, callback_path: str) -> None:
        super().__init__((host, port), _Catcher)
        self.callback_path = callback_path
        self.query: dict[str, str] = {}
        self.done = threading.Event()


def _open_browser(url: str) -> None:
    if not webbrowser.open(url):
        print(f"Open this URL to log in to Spotify:\n{url}", file=sys.stderr)


def login(
    client_id: str,
    scopes: Iterable[str] = (),
    *,
    store: TokenStore | None = None,
    client_secret: str | None = None,
    accounts_base: str = ACCOUNTS_BASE,
    open_url: Callable[[str], object] | None = None,
    port: int = 0,
    callback_path: str = "/callback",
    timeout: float = 300.0,
    http_client: httpx.Client | None = None,
) -> Token:
    """Log a user in through the browser and return (and store) their token.

    Uses PKCE unless ``client_secret`` is given (authorization code flow).

    Parameters
    ----------
    client_id
        The app's client id.
    scopes
        Scopes to ask for, e.g. ``["playlist-read-private", "user-library-read"]``.
    store
        Where to save the token; it is also returned.
    client_secret
        The app's secret, for the authorization code flow without PKCE.
    accounts_base
        Base URL of the accounts service.
    open_url
        Called with the authorize URL; by default the browser is opened, or the URL
        printed when there is no browser.
    port
        Loopback port; 0 picks a free one. Register ``http://127.0.0.1/callback`` (a
        loopback URI may leave the port out).
    callback_path
        Path of the redirect URI.
    timeout
        Seconds to wait for the user.
    http_client
        Client for the code exchange (for tests).

    Raises
    ------
    AuthError
        The user refused, the state did not match, the wait timed out, or the
        exchange failed.
    """
    server = _Server("127.0.0.1", port, callback_path)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        redirect_uri = f"http://127.0.0.1:{server.server_port}{callback_path}"
        auth = Authorization(
            client_id,
            redirect_uri,
            scopes,
            client_secret=client_secret,
            accounts_base=accounts_base,
        )
        logger.info("waiting for the Spotify login on %s", redirect_uri)
        (open_url or _open_browser)(auth.url())
        if not server.done.wait(timeout):
            raise AuthError("timeout", f"no login within {timeout:g} s")
        code = auth.check_callback(server.query)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    token = exchange_code(auth, code, http_client=http_client)
    (store if store is not None else MemoryTokenStore()).save(token)
    logger.info("logged in to Spotify (scopes: %s)", token.scope or "none")
    return token


def exchange_code(
    auth: Authorization,
    code: str,
    *,
    http_client: httpx.Client | None = None,
    timeout: float = 10.0,
) -> Token:
    """Exchange an authorization code for the user's token (blocking).

    The last step of :class:`Authorization`, for callers that receive the redirect
    themselves, e.g. a web service: check the redirect with
    :meth:`Authorization.check_callback`, then pass its code here. The code, the
    verifier and the token are never logged.

    Parameters
    ----------
    auth
        The authorization the code answers.
    code
        The code from the redirect's query.
    http_client
        Client for the request; a new one, closed afterwards, when None.
    timeout
        Seconds to wait for the accounts service when ``http_client`` is None.

    Returns
    -------
    Token
        The user's token, with its refresh token.

    Raises
    ------
    AuthError
        The accounts service refused the code (``invalid_grant`` raises its
        subclass :class:`~segue.spotify.LoginRequired`).
    TransportError
        The accounts service did not answer.
    """
    http = http_client or httpx.Client(timeout=httpx.Timeout(timeout))
    try:
        flow = auth.exchange_flow(code)
        request = next(flow)
        while True:
            request = flow.send(post_token(http, request))
    except StopIteration as stop:
        token: Token = stop.value
        return token
    finally:
        if http_client is None:
            http.close()
