"""The accounts service: client credentials, code and PKCE flows, refresh."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import secrets
import urllib.parse

import httpx
import pytest

from segue.emulator import Client, Config, Emulator

REDIRECT = "http://127.0.0.1:43210/callback"


def basic(client_id="segue-demo", secret="segue-demo-secret"):
    raw = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


def authorize(client, **params):
    query = {
        "response_type": "code",
        "client_id": "segue-demo",
        "redirect_uri": REDIRECT,
        "scope": "user-read-private playlist-read-private",
        "state": "s1",
        **params,
    }
    return client.get("/authorize", params=query)


def code_of(answer):
    assert answer.status_code == 302, answer.text
    location = answer.headers["location"]
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))


def test_client_credentials(make_app):
    _, client = make_app()
    answer = client.post(
        "/api/token", data={"grant_type": "client_credentials"}, headers=basic()
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert "refresh_token" not in body
    me = client.get(
        "/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.status_code == 401


@pytest.mark.parametrize(
    ("headers", "data", "description"),
    [
        (basic(secret="wrong"), {}, "Invalid client secret"),
        (basic(client_id="nobody"), {}, "Invalid client"),
        ({}, {}, "Invalid client"),
    ],
)
def test_bad_clients_are_refused(make_app, headers, data, description):
    _, client = make_app()
    answer = client.post(
        "/api/token", data={"grant_type": "client_credentials", **data}, headers=headers
    )
    assert answer.status_code == 400
    assert answer.json() == {
        "error": "invalid_client",
        "error_description": description,
    }


def test_unknown_grant_type(make_app):
    _, client = make_app()
    answer = client.post("/api/token", data={"grant_type": "password"}, headers=basic())
    assert answer.json()["error"] == "unsupported_grant_type"


def test_authorization_code_flow_with_secret(make_app):
    app, client = make_app()
    query = code_of(authorize(client))
    assert query["state"] == "s1"
    form = {
        "grant_type": "authorization_code",
        "code": query["code"],
        "redirect_uri": REDIRECT,
    }
    answer = client.post("/api/token", data=form, headers=basic())
    body = answer.json()
    assert body["scope"] == "playlist-read-private user-read-private"
    assert body["refresh_token"]
    me = client.get(
        "/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.json()["id"] == app.config.authorize_user
    again = client.post("/api/token", data=form, headers=basic())
    assert again.json() == {
        "error": "invalid_grant",
        "error_description": "Invalid authorization code",
    }


def test_code_needs_the_same_redirect_uri(make_app):
    _, client = make_app()
    query = code_of(authorize(client))
    form = {
        "grant_type": "authorization_code",
        "code": query["code"],
        "redirect_uri": "http://127.0.0.1:1/other",
    }
    answer = client.post("/api/token", data=form, headers=basic())
    assert answer.json()["error"] == "invalid_grant"


def _pkce():
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def test_pkce_checks_the_verifier(make_app):
    _, client = make_app()
    verifier, challenge = _pkce()
    params = {"code_challenge": challenge, "code_challenge_method": "S256"}
    query = code_of(authorize(client, **params))
    form = {
        "grant_type": "authorization_code",
        "code": query["code"],
        "redirect_uri": REDIRECT,
        "client_id": "segue-demo",
        "code_verifier": verifier + "x",
    }
    wrong = client.post("/api/token", data=form)
    assert wrong.json()["error"] == "invalid_grant"
    query = code_of(authorize(client, **params))
    form.update(code=query["code"], code_verifier=verifier)
    right = client.post("/api/token", data=form)
    assert right.status_code == 200, right.text
    assert right.json()["refresh_token"]
    refreshed = client.post(
        "/api/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": right.json()["refresh_token"],
            "client_id": "segue-demo",
        },
    )
    assert refreshed.status_code == 200
    assert "refresh_token" not in refreshed.json()


def test_plain_pkce_is_refused(make_app):
    _, client = make_app()
    query = code_of(
        authorize(client, code_challenge="abc", code_challenge_method="plain")
    )
    assert query["error"] == "invalid_request"


@pytest.mark.parametrize(
    ("uri", "ok"),
    [
        ("http://127.0.0.1:5000/cb", True),
        ("http://127.0.0.1/cb", True),
        ("http://[::1]:9999/cb", True),
        ("https://example.org/cb", True),
        ("http://localhost:5000/cb", False),
        ("http://example.org/cb", False),
    ],
)
def test_redirect_uris(make_app, uri, ok):
    _, client = make_app()
    answer = authorize(client, redirect_uri=uri)
    if ok:
        assert answer.status_code == 302
        assert answer.headers["location"].startswith(uri)
    else:
        assert answer.status_code == 400
        assert "INVALID_CLIENT: Insecure redirect URI" in answer.text


def test_registered_loopback_uris_match_any_port(make_app):
    registered = Client("app", "secret", ("http://127.0.0.1/cb",))
    _, client = make_app(clients=[registered])
    fine = authorize(client, client_id="app", redirect_uri="http://127.0.0.1:7777/cb")
    assert fine.status_code == 302
    other = authorize(client, client_id="app", redirect_uri="http://127.0.0.1:7777/x")
    assert other.status_code == 400
    assert "Invalid redirect URI" in other.text
    unknown = authorize(client, client_id="nobody")
    assert unknown.status_code == 400


def test_denial_redirects_with_access_denied(make_app):
    _, client = make_app(authorize_denies=True)
    query = code_of(authorize(client))
    assert query == {"error": "access_denied", "state": "s1"}


def _refresh(client, token):
    return client.post(
        "/api/token",
        data={"grant_type": "refresh_token", "refresh_token": token},
        headers=basic(),
    )


def test_refresh_tokens_expire_six_months_after_authorization(emulator_world):
    now = [1_000_000.0]
    app = Emulator(emulator_world.clone(), Config(), clock=lambda: now[0])
    refresh = app.accounts.mint_refresh("segue-demo", "demo", {"user-read-private"})
    with _client(app) as client:
        assert _refresh(client, refresh).status_code == 200
        now[0] += 182 * 24 * 3600
        assert _refresh(client, refresh).status_code == 200
        now[0] += 2 * 24 * 3600
        answer = _refresh(client, refresh)
        assert answer.status_code == 400
        assert answer.json() == {
            "error": "invalid_grant",
            "error_description": "Refresh token revoked",
        }


def test_refresh_may_return_a_new_token(make_app):
    app, client = make_app(refresh_returns_token=True)
    refresh = app.accounts.mint_refresh("segue-demo", "demo")
    answer = _refresh(client, refresh).json()
    assert answer["refresh_token"] != refresh
    assert _refresh(client, refresh).json()["error"] == "invalid_grant"
    assert _refresh(client, answer["refresh_token"]).status_code == 200


def test_refresh_token_of_another_client_is_invalid(make_app):
    app, client = make_app()
    refresh = app.accounts.mint_refresh("someone-else", "demo")
    assert _refresh(client, refresh).json()["error"] == "invalid_grant"


@contextlib.contextmanager
def _client(app):
    transport = httpx.ASGITransport(app=app)
    loop = asyncio.new_event_loop()
    async_client = httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:1")

    class Sync:
        def post(self, url, **kwargs):
            return loop.run_until_complete(async_client.post(url, **kwargs))

    try:
        yield Sync()
    finally:
        loop.run_until_complete(async_client.aclose())
        loop.close()
