"""No secret reaches a log line, an exception message or a repr: a full flow, proven.

Secrets: the client secret, every access and refresh token issued, the authorization
code and the PKCE code verifier.
"""

from __future__ import annotations

import logging
import threading
import traceback
from pathlib import Path
from typing import Any

import httpx
import pytest
from spotify_clients import Both
from spotify_fake import ACCOUNTS, FakeSpotify

from segue.spotify import (
    Authorization,
    ClientCredentials,
    FileTokenStore,
    LoginRequired,
    SpotifyError,
    Token,
    UserAuth,
    login,
)
from segue.spotify._auth import TokenRequest


class Capture(logging.Handler):
    """Every formatted record at DEBUG, from every logger, but the test's browser's."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.browsing = False
        self.main = threading.get_ident()

    def emit(self, record: logging.LogRecord) -> None:
        if self.browsing and threading.get_ident() == self.main:
            return  # the simulated browser's own httpx log shows the redirect URL
        self.lines.append(f"{record.name} {record.getMessage()}")


@pytest.fixture
def capture() -> Any:
    handler = Capture()
    root = logging.getLogger()
    old = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(old)


def test_no_secret_anywhere_in_a_full_flow(
    capture: Capture, make: Any, tmp_path: Path
) -> None:
    fake = FakeSpotify(omit_refresh_token=True)
    texts: list[str] = []

    def open_url(url: str) -> None:
        capture.browsing = True
        try:
            with httpx.Client(transport=httpx.MockTransport(fake)) as accounts:
                redirect = accounts.get(url)
            httpx.get(redirect.headers["location"], timeout=5)
        finally:
            capture.browsing = False

    store = FileTokenStore(tmp_path / "token.json")
    accounts = httpx.Client(transport=httpx.MockTransport(fake))
    token = login(
        fake.client_id,
        ["user-top-read"],
        store=store,
        accounts_base=ACCOUNTS,
        open_url=open_url,
        timeout=10,
        http_client=accounts,
    )
    accounts.close()
    auth = UserAuth(fake.client_id, store, accounts_base=ACCOUNTS)
    user: Both = make(fake, auth=auth)
    user("me")
    user.list("iter_playlist_items", next(iter(fake.playlists.values()))["id"])
    user("tracks", fake.track_ids[:3])
    fake.issued.clear()  # force a 401 and a refresh without a new refresh token
    user("me")
    app: Both = make(fake)
    app("track", fake.track_ids[0])
    fake.faults.extend([500, 500, 500, 500])
    errors: list[BaseException] = []
    for action in (
        lambda: app("me"),
        lambda: user("audio_features", fake.track_ids[:2]),
        lambda: app("track", "not-an-id"),
    ):
        try:
            action()
        except SpotifyError as exc:
            errors.append(exc)
    fake.refresh_tokens.clear()  # the refresh token is revoked
    fake.issued.clear()
    try:
        user("me")
    except LoginRequired as exc:
        errors.append(exc)
    bad = make(fake, client_secret="wrong-" + fake.client_secret)
    try:
        bad("me")
    except SpotifyError as exc:
        errors.append(exc)
    assert len(errors) == 5

    verifier_holder = Authorization(fake.client_id, "http://127.0.0.1:1/cb")
    request = TokenRequest(
        "https://x/api/token", {"code": "CODE-x"}, ("id", "SECRET-literal-77")
    )
    for obj in (
        token,
        store.load(),
        store,
        auth,
        user.client,
        app.client,
        ClientCredentials(fake.client_id, fake.client_secret),
        verifier_holder,
        request,
        Token("AT-literal", 0.0, "RT-literal"),
    ):
        texts.append(repr(obj))
        texts.append(str(obj))
    for error in errors:
        texts.extend(traceback.format_exception_only(type(error), error))
        texts.append(repr(error))
        cause = error.__cause__
        while cause is not None:
            texts.append(repr(cause))
            cause = cause.__cause__

    secrets = {s for s in fake.secrets if s} | {fake.client_secret}
    secrets |= {"AT-literal", "RT-literal", "CODE-x", "SECRET-literal-77"}
    assert len(secrets) >= 8
    assert capture.lines, "nothing was logged at all"
    assert any("segue" in line for line in capture.lines)
    haystack = "\n".join(capture.lines + texts)
    leaked = sorted(s for s in secrets if s in haystack)
    assert leaked == []
