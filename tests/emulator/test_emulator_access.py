"""Access rules: tokens, scopes, the allow-list and what each mode allows."""

from __future__ import annotations

import pytest

from segue.emulator import SCOPES


def auth(token):
    return {"Authorization": f"Bearer {token}"}


def error(answer):
    return answer.status_code, answer.json()["error"]["message"]


def test_tokens_are_required_and_checked(make_app):
    app, client = make_app()
    track = next(iter(app.world.tracks))
    assert error(client.get(f"/v1/tracks/{track}")) == (401, "No token provided")
    bad = client.get(f"/v1/tracks/{track}", headers=auth("made-up"))
    assert error(bad) == (401, "Invalid access token")
    assert "invalid_token" in bad.headers["www-authenticate"]
    old = app.accounts.mint("segue-demo", None, expires_in=-1)
    assert error(client.get(f"/v1/tracks/{track}", headers=auth(old))) == (
        401,
        "The access token expired",
    )
    fresh = app.accounts.mint("segue-demo", None)
    assert client.get(f"/v1/tracks/{track}", headers=auth(fresh)).status_code == 200


def test_client_credentials_cannot_use_user_endpoints(make_app):
    app, client = make_app()
    token = app.accounts.mint("segue-demo", None)
    for path in ("/v1/me", "/v1/me/playlists", "/v1/me/tracks"):
        assert error(client.get(path, headers=auth(token))) == (401, "Unauthorized.")
    playlist = app.world.by_owner["demo"][0]
    items = client.get(f"/v1/playlists/{playlist}/items", headers=auth(token))
    assert items.status_code == 403


@pytest.mark.parametrize(
    ("path", "params", "scope"),
    [
        ("/v1/me/tracks", {}, "user-library-read"),
        ("/v1/me/albums", {}, "user-library-read"),
        ("/v1/me/top/tracks", {}, "user-top-read"),
        ("/v1/me/top/artists", {}, "user-top-read"),
        ("/v1/me/player/recently-played", {}, "user-read-recently-played"),
        ("/v1/me/following", {"type": "artist"}, "user-follow-read"),
    ],
)
def test_scopes_are_enforced(make_app, path, params, scope):
    app, client = make_app()
    without = app.accounts.mint("segue-demo", "demo", SCOPES - {scope})
    answer = client.get(path, params=params, headers=auth(without))
    assert error(answer) == (403, "Insufficient client scope")
    with_scope = app.accounts.mint("segue-demo", "demo", {scope})
    assert client.get(path, params=params, headers=auth(with_scope)).status_code == 200


def test_library_scopes_follow_the_uri_types(make_app):
    app, client = make_app()
    track = next(iter(app.world.tracks))
    artist = next(iter(app.world.artists))
    token = app.accounts.mint("segue-demo", "demo", {"user-library-modify"})
    saved = client.put(
        "/v1/me/library", params={"uris": f"spotify:track:{track}"}, headers=auth(token)
    )
    assert saved.status_code == 200
    follow = client.put(
        "/v1/me/library",
        params={"uris": f"spotify:artist:{artist}"},
        headers=auth(token),
    )
    assert error(follow) == (403, "Insufficient client scope")


def test_private_playlist_writes_need_the_private_scope(make_app):
    app, client = make_app()
    public_only = app.accounts.mint("segue-demo", "demo", {"playlist-modify-public"})
    answer = client.post(
        "/v1/me/playlists",
        json={"name": "x", "public": False},
        headers=auth(public_only),
    )
    assert error(answer) == (403, "Insufficient client scope")
    public = client.post(
        "/v1/me/playlists", json={"name": "x"}, headers=auth(public_only)
    )
    assert public.status_code == 201


def test_only_five_users_are_allowed_in_development_mode(make_app):
    app, client = make_app()
    users = list(app.world.users)
    assert len(users) > 5
    for user in users[:5]:
        token = app.accounts.mint("segue-demo", user, SCOPES)
        assert client.get("/v1/me", headers=auth(token)).status_code == 200
    sixth = app.accounts.mint("segue-demo", users[5], SCOPES)
    status, message = error(client.get("/v1/me", headers=auth(sixth)))
    assert status == 403
    assert "may not be registered" in message
    app.configure(mode="extended")
    assert client.get("/v1/me", headers=auth(sixth)).status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/tracks?ids={track}"),
        ("GET", "/v1/albums?ids={album}"),
        ("GET", "/v1/artists?ids={artist}"),
        ("GET", "/v1/artists/{artist}/top-tracks"),
        ("GET", "/v1/audio-features?ids={track}"),
        ("GET", "/v1/audio-features/{track}"),
        ("GET", "/v1/playlists/{playlist}/tracks"),
        ("POST", "/v1/playlists/{playlist}/tracks?uris=spotify:track:{track}"),
        ("GET", "/v1/users/demo/playlists"),
        ("GET", "/v1/users/demo"),
        ("GET", "/v1/browse/new-releases"),
        ("GET", "/v1/markets"),
        ("PUT", "/v1/playlists/{playlist}/followers"),
        ("PUT", "/v1/me/tracks?ids={track}"),
        ("DELETE", "/v1/me/albums?ids={album}"),
        ("GET", "/v1/me/tracks/contains?ids={track}"),
        ("PUT", "/v1/me/following?type=artist&ids={artist}"),
        ("GET", "/v1/me/following/contains?type=artist&ids={artist}"),
        ("POST", "/v1/users/demo/playlists"),
    ],
)
def test_development_mode_forbids_removed_endpoints(make_app, method, path):
    app, client = make_app()
    track = next(iter(app.world.tracks))
    names = {
        "track": track,
        "album": app.world.tracks[track].album_id,
        "artist": app.world.tracks[track].artist_ids[0],
        "playlist": app.world.by_owner["demo"][0],
    }
    url = path.format(**names)
    token = app.accounts.mint("segue-demo", "demo", SCOPES)
    body = {"name": "x"} if method == "POST" else None
    answer = client.request(method, url, headers=auth(token), json=body)
    assert answer.status_code == 403, answer.text
    assert answer.json() == {"error": {"status": 403, "message": "Forbidden"}}
    app.configure(mode="extended")
    allowed = client.request(method, url, headers=auth(token), json=body)
    assert allowed.status_code in (200, 201, 204), allowed.text


@pytest.mark.parametrize(
    "path",
    [
        "/v1/recommendations?seed_tracks={track}",
        "/v1/recommendations/available-genre-seeds",
        "/v1/artists/{artist}/related-artists",
    ],
)
def test_removed_services_are_not_found(make_app, path):
    app, client = make_app(mode="extended")
    track = next(iter(app.world.tracks))
    url = path.format(track=track, artist=app.world.tracks[track].artist_ids[0])
    token = app.accounts.mint("segue-demo", "demo", SCOPES)
    assert error(client.get(url, headers=auth(token)))[0] == 404


def test_items_only_of_own_or_collaborative_playlists(make_app):
    app, client = make_app()
    world = app.world
    token = app.accounts.mint("segue-demo", "demo", SCOPES)
    own = world.by_owner["demo"][0]
    other = next(
        p.id for p in world.playlists.values() if p.owner_id != "demo" and p.public
    )
    assert (
        client.get(f"/v1/playlists/{own}/items", headers=auth(token)).status_code == 200
    )
    denied = client.get(f"/v1/playlists/{other}/items", headers=auth(token))
    assert denied.json() == {"error": {"status": 403, "message": "Forbidden"}}
    meta = client.get(f"/v1/playlists/{other}", headers=auth(token)).json()
    assert "items" not in meta
    assert "tracks" not in meta
    assert meta["owner"]["id"] != "demo"
    mine = client.get(f"/v1/playlists/{own}", headers=auth(token)).json()
    assert mine["items"]["total"] == len(world.playlists[own].items)
    # a collaborative playlist the user follows is readable and writable
    collab = world.playlists[other]
    collab.collaborative = True
    world.library("demo").followed_playlists.append(other)
    assert (
        client.get(f"/v1/playlists/{other}/items", headers=auth(token)).status_code
        == 200
    )
    app.configure(mode="extended")
    collab.collaborative = False
    assert (
        client.get(f"/v1/playlists/{other}/items", headers=auth(token)).status_code
        == 200
    )


def test_others_playlists_cannot_be_changed(make_app):
    app, client = make_app(mode="extended")
    token = app.accounts.mint("segue-demo", "demo", SCOPES)
    other = next(p.id for p in app.world.playlists.values() if p.owner_id != "demo")
    track = next(iter(app.world.tracks))
    answer = client.post(
        f"/v1/playlists/{other}/items",
        json={"uris": [f"spotify:track:{track}"]},
        headers=auth(token),
    )
    assert answer.status_code == 403


@pytest.mark.parametrize(
    ("path", "params", "dev_max", "ext_max"),
    [
        ("/v1/search", {"q": "a", "type": "track"}, 10, 50),
        ("/v1/artists/{artist}/albums", {}, 10, 50),
        ("/v1/playlists/{playlist}/items", {}, 50, 50),
        ("/v1/me/tracks", {}, 50, 50),
        ("/v1/me/playlists", {}, 50, 50),
        ("/v1/albums/{album}/tracks", {}, 50, 50),
    ],
)
def test_page_limits(make_app, path, params, dev_max, ext_max):
    app, client = make_app()
    track = next(iter(app.world.tracks))
    url = path.format(
        artist=app.world.tracks[track].artist_ids[0],
        playlist=app.world.by_owner["demo"][0],
        album=app.world.tracks[track].album_id,
    )
    token = app.accounts.mint("segue-demo", "demo", SCOPES)
    for mode, maximum in (("development", dev_max), ("extended", ext_max)):
        app.configure(mode=mode)
        ok = client.get(url, params={**params, "limit": maximum}, headers=auth(token))
        assert ok.status_code == 200, (mode, ok.text)
        body = ok.json()
        assert body.get("tracks", body)["limit"] == maximum
        over = client.get(
            url, params={**params, "limit": maximum + 1}, headers=auth(token)
        )
        assert error(over) == (400, "Invalid limit")


def test_search_and_artist_albums_default_to_five_in_development(make_app):
    app, client = make_app()
    token = app.accounts.mint("segue-demo", "demo", SCOPES)
    answer = client.get(
        "/v1/search", params={"q": "a", "type": "artist"}, headers=auth(token)
    )
    assert answer.json()["artists"]["limit"] == 5
    app.configure(mode="extended")
    answer = client.get(
        "/v1/search", params={"q": "a", "type": "artist"}, headers=auth(token)
    )
    assert answer.json()["artists"]["limit"] == 20


def test_library_takes_at_most_40_uris(make_app):
    app, client = make_app()
    token = app.accounts.mint("segue-demo", "demo", SCOPES)
    ids = list(app.world.tracks)[:41]
    uris = ",".join(f"spotify:track:{t}" for t in ids)
    answer = client.get(
        "/v1/me/library/contains", params={"uris": uris}, headers=auth(token)
    )
    assert answer.status_code == 400
    uris = ",".join(f"spotify:track:{t}" for t in ids[:40])
    answer = client.get(
        "/v1/me/library/contains", params={"uris": uris}, headers=auth(token)
    )
    assert len(answer.json()) == 40
