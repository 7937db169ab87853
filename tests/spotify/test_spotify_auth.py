"""Tokens, stores, refresh, and the PKCE login through a real loopback server."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import httpx
import pytest
from spotify_fake import ACCOUNTS, FakeSpotify

from segue.spotify import (
    AuthError,
    Authorization,
    FileTokenStore,
    LoginRequired,
    MemoryTokenStore,
    Token,
    TransportError,
    UserAuth,
    ValidationError,
    exchange_code,
    login,
)


def browser(fake: FakeSpotify) -> Any:
    """A user agent that approves at the fake accounts service, then follows the
    redirect to the loopback server with httpx over real HTTP."""

    def open_url(url: str) -> None:
        accounts = httpx.Client(transport=httpx.MockTransport(fake))
        with accounts:
            redirect = accounts.get(url)
        assert redirect.status_code == 302
        answer = httpx.get(redirect.headers["location"], timeout=5)
        assert answer.status_code == 200
        assert "Logged in" in answer.text

    return open_url


def accounts_client(fake: FakeSpotify) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(fake))


def test_token_repr_hides_secrets() -> None:
    token = Token("AT-secret", 10.0, "RT-secret", "a b")
    assert "secret" not in repr(token)
    assert token.scopes == {"a", "b"}
    assert Token.from_dict(token.to_dict()) == token
    with pytest.raises(ValidationError, match="malformed"):
        Token.from_dict({"access_token": "AT-secret"})


def test_file_store_is_private_and_atomic(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "token.json"
    store = FileTokenStore(path)
    assert store.load() is None
    store.save(Token("AT-1", 10.0, "RT-1"))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    store.save(Token("AT-2", 20.0, "RT-2"))
    assert store.load() == Token("AT-2", 20.0, "RT-2")
    assert sorted(p.name for p in path.parent.iterdir()) == ["token.json"]
    assert "AT-2" not in repr(store)
    path.write_text("{not json")
    assert store.load() is None
    path.write_text(json.dumps({"access_token": "x"}))
    assert store.load() is None


def test_file_store_keeps_the_old_file_when_writing_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "token.json"
    store = FileTokenStore(path)
    store.save(Token("AT-1", 10.0, "RT-1"))

    def broken(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError, match="disk full"):
        store.save(Token("AT-2", 10.0, "RT-2"))
    assert store.load() == Token("AT-1", 10.0, "RT-1")
    assert [p.name for p in tmp_path.iterdir()] == ["token.json"]


def test_memory_store() -> None:
    store = MemoryTokenStore()
    assert store.load() is None
    store.save(Token("AT", 1.0))
    assert store.load() == Token("AT", 1.0)
    assert "AT" not in repr(store)


def test_pkce_login_end_to_end(fake: FakeSpotify, tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path / "token.json")
    token = login(
        fake.client_id,
        ["playlist-read-private"],
        store=store,
        accounts_base=ACCOUNTS,
        open_url=browser(fake),
        timeout=10,
        http_client=accounts_client(fake),
    )
    assert token.refresh_token in fake.refresh_tokens
    assert store.load() == token
    exchange = [r for r in fake.requests if r.url.path == "/api/token"][-1]
    form = dict(httpx.QueryParams(exchange.content.decode()))
    assert form["grant_type"] == "authorization_code"
    assert "code_verifier" in form
    assert "authorization" not in exchange.headers  # PKCE: no client secret
    authorize = next(r for r in fake.requests if r.url.path == "/authorize")
    assert authorize.url.params["redirect_uri"].startswith("http://127.0.0.1:")
    assert authorize.url.params["code_challenge_method"] == "S256"


def test_authorization_code_login_with_secret(fake: FakeSpotify) -> None:
    token = login(
        fake.client_id,
        client_secret=fake.client_secret,
        accounts_base=ACCOUNTS,
        open_url=browser(fake),
        timeout=10,
        http_client=accounts_client(fake),
    )
    assert token.refresh_token
    exchange = [r for r in fake.requests if r.url.path == "/api/token"][-1]
    assert exchange.headers["authorization"].startswith("Basic ")
    assert b"code_verifier" not in exchange.content


def test_login_refuses_a_forged_state() -> None:
    auth = Authorization("cid", "http://127.0.0.1:9/callback")
    with pytest.raises(AuthError, match="state_mismatch"):
        auth.check_callback({"code": "c", "state": "forged"})
    with pytest.raises(AuthError, match="access_denied"):
        auth.check_callback({"error": "access_denied", "state": auth.state})
    with pytest.raises(ValidationError, match="localhost"):
        Authorization("cid", "http://localhost:8080/callback")


def test_authorization_is_finished_by_an_equal_one_built_elsewhere(
    fake: FakeSpotify,
) -> None:
    verifier = "v" * 43
    redirect = "http://127.0.0.1:9/callback"
    started = Authorization(
        fake.client_id,
        redirect,
        accounts_base=ACCOUNTS,
        state="the-state",
        code_verifier=verifier,
    )
    assert started.state == "the-state"
    assert verifier not in repr(started)
    with accounts_client(fake) as accounts:
        location = accounts.get(started.url()).headers["location"]
        query = dict(httpx.URL(location).params)
        # another process: only the state and the verifier were kept
        finisher = Authorization(
            fake.client_id,
            redirect,
            accounts_base=ACCOUNTS,
            state="the-state",
            code_verifier=verifier,
        )
        token = exchange_code(
            finisher, finisher.check_callback(query), http_client=accounts
        )
        assert token.refresh_token in fake.refresh_tokens
        # a different verifier does not fit the challenge Spotify was sent
        again = Authorization(
            fake.client_id, redirect, accounts_base=ACCOUNTS, state="s2"
        )
        code = dict(httpx.URL(accounts.get(again.url()).headers["location"]).params)
        wrong = Authorization(
            fake.client_id,
            redirect,
            accounts_base=ACCOUNTS,
            state="s2",
            code_verifier="w" * 43,
        )
        with pytest.raises(LoginRequired, match="invalid_grant"):
            exchange_code(wrong, code["code"], http_client=accounts)


@pytest.mark.parametrize(
    ("state", "verifier"),
    [("", None), (None, "short"), (None, "x" * 129), (None, "a" * 42 + " ")],
)
def test_authorization_refuses_a_bad_state_or_verifier(
    state: str | None, verifier: str | None
) -> None:
    with pytest.raises(ValidationError):
        Authorization(
            "cid", "http://127.0.0.1:9/callback", state=state, code_verifier=verifier
        )


def test_exchange_code_wraps_an_unreachable_accounts_service() -> None:
    auth = Authorization("cid", "http://127.0.0.1:9/callback", accounts_base=ACCOUNTS)

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    http = httpx.Client(transport=httpx.MockTransport(refuse))
    with http, pytest.raises(TransportError) as caught:
        exchange_code(auth, "CODE-secret", http_client=http)
    assert "CODE-secret" not in str(caught.value)


def test_login_times_out(fake: FakeSpotify) -> None:
    with pytest.raises(AuthError, match="timeout"):
        login(fake.client_id, accounts_base=ACCOUNTS, open_url=print, timeout=0.2)


def test_refresh_keeps_the_old_refresh_token(make: Any) -> None:
    fake = FakeSpotify(omit_refresh_token=True)
    now = [1000.0]
    refresh = "RT-original"
    fake.refresh_tokens.add(refresh)
    store = MemoryTokenStore(Token("AT-stale", 1000.0 + 30, refresh))
    auth = UserAuth(fake.client_id, store, accounts_base=ACCOUNTS, clock=lambda: now[0])
    api = make(fake, auth=auth)
    assert api("me").id == "me"  # expires within the margin: refreshed first
    stored = store.load()
    assert stored is not None
    assert stored.refresh_token == refresh
    assert stored.access_token != "AT-stale"
    grant = next(r for r in fake.requests if r.url.path == "/api/token")
    form = dict(httpx.QueryParams(grant.content.decode()))
    assert form == {
        "grant_type": "refresh_token",
        "refresh_token": refresh,
        "client_id": fake.client_id,
    }
    now[0] += 3600
    assert api("me").id == "me"
    assert store.load().refresh_token == refresh  # type: ignore[union-attr]


def test_refresh_with_a_secret_uses_basic_auth(make: Any, fake: FakeSpotify) -> None:
    fake.refresh_tokens.add("RT-x")
    auth = UserAuth(
        fake.client_id,
        client_secret=fake.client_secret,
        token=Token("AT-old", 0.0, "RT-x"),
        accounts_base=ACCOUNTS,
    )
    api = make(fake, auth=auth)
    api("me")
    grant = next(r for r in fake.requests if r.url.path == "/api/token")
    assert grant.headers["authorization"].startswith("Basic ")
    assert auth.current() is not None
    assert auth.current().refresh_token != "RT-x"  # type: ignore[union-attr]


def test_invalid_grant_says_log_in_again(make: Any, fake: FakeSpotify) -> None:
    auth = UserAuth(
        fake.client_id, token=Token("AT-old", 0.0, "RT-revoked"), accounts_base=ACCOUNTS
    )
    api = make(fake, auth=auth)
    with pytest.raises(LoginRequired, match="log in again") as info:
        api("me")
    assert info.value.error == "invalid_grant"


def test_no_token_at_all_says_log_in(make: Any, fake: FakeSpotify) -> None:
    api = make(fake, auth=UserAuth(fake.client_id, accounts_base=ACCOUNTS))
    with pytest.raises(LoginRequired, match="no stored token"):
        api("me")


def test_bad_client_secret_is_an_auth_error(make: Any, fake: FakeSpotify) -> None:
    api = make(fake, client_secret="wrong")
    with pytest.raises(AuthError, match="invalid_client") as info:
        api("me")
    assert not isinstance(info.value, LoginRequired)
