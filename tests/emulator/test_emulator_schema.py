"""Every endpoint's answers validate against Spotify's OpenAPI schemas.

Extended-mode answers are validated against the spec as it is. Development-mode
answers lack fields the spec still lists as required (``available_markets``,
``label``, ``popularity`` of albums, ``album_group`` of artist albums), so they
are validated against a copy with those names taken out of ``required`` and,
separately, checked to lack them.
"""

from __future__ import annotations

from typing import Any

import pytest

from segue.emulator import SCOPES, Emulator

MODES = ["development", "extended"]


def _user_playlist(app: Emulator) -> str:
    return app.world.by_owner["demo"][0]


def _endpoints(app: Emulator) -> list[tuple[str, str, dict[str, Any], str]]:
    """(method, path, params, schema) of every read endpoint."""
    world = app.world
    track = next(t for t in world.tracks.values() if t.isrc)
    album = next(a for a in world.albums if len(world.album_tracks[a]) > 1)
    artist = next(a for a in world.artists if world.artist_albums[a])
    playlist = _user_playlist(app)
    word = track.name.split()[0]
    return [
        ("GET", f"/v1/tracks/{track.id}", {}, "responses/OneTrack"),
        ("GET", f"/v1/albums/{album}", {}, "responses/OneAlbum"),
        (
            "GET",
            f"/v1/albums/{album}/tracks",
            {"limit": 1},
            "responses/PagingSimplifiedTrackObject",
        ),
        ("GET", f"/v1/artists/{artist}", {}, "responses/OneArtist"),
        (
            "GET",
            f"/v1/artists/{artist}/albums",
            {},
            "responses/PagingArtistDiscographyAlbumObject",
        ),
        (
            "GET",
            "/v1/search",
            {"q": word, "type": "track,artist,album,playlist"},
            "responses/SearchItems",
        ),
        ("GET", f"/v1/playlists/{playlist}", {}, "responses/OnePlaylist"),
        (
            "GET",
            f"/v1/playlists/{playlist}/items",
            {"limit": 2, "offset": 1},
            "responses/PagingPlaylistTrackObject",
        ),
        ("GET", "/v1/me", {}, "responses/OnePrivateUser"),
        ("GET", "/v1/me/playlists", {"limit": 2}, "responses/PagedPlaylists"),
        ("GET", "/v1/me/tracks", {"limit": 3}, "responses/PagingSavedTrackObject"),
        ("GET", "/v1/me/albums", {"limit": 3}, "responses/PagingSavedAlbumObject"),
        (
            "GET",
            "/v1/me/library/contains",
            {"uris": f"spotify:track:{track.id},spotify:album:{album}"},
            "responses/ArrayOfBooleans",
        ),
        ("GET", "/v1/me/top/tracks", {"time_range": "short_term"}, "PagingTrackObject"),
        ("GET", "/v1/me/top/artists", {}, "PagingArtistObject"),
        (
            "GET",
            "/v1/me/player/recently-played",
            {"limit": 5},
            "responses/CursorPagedPlayHistory",
        ),
        (
            "GET",
            "/v1/me/following",
            {"type": "artist", "limit": 2},
            "responses/CursorPagedArtists",
        ),
    ]


EXTENDED_ONLY = [
    ("/v1/tracks", "ids", "responses/ManyTracks", "tracks"),
    ("/v1/albums", "ids", "responses/ManyAlbums", "albums"),
    ("/v1/artists", "ids", "responses/ManyArtists", "artists"),
    ("/v1/audio-features", "ids", "responses/ManyAudioFeatures", "features"),
]


@pytest.mark.parametrize("mode", MODES)
def test_read_endpoints_match_the_spec(make_app, schemas, mode):
    app, client = make_app(mode=mode)
    token = app.accounts.mint("segue-demo", "demo", SCOPES)
    dev = mode == "development"
    for method, path, params, ref in _endpoints(app):
        answer = client.request(
            method, path, params=params, headers={"Authorization": f"Bearer {token}"}
        )
        assert answer.status_code == 200, (path, answer.text)
        assert answer.headers["content-type"] == "application/json; charset=utf-8"
        schemas.check(ref, answer.json(), dev=dev)


def test_development_mode_leaves_out_removed_fields(make_app):
    app, client = make_app()
    headers = {
        "Authorization": f"Bearer {app.accounts.mint('segue-demo', 'demo', SCOPES)}"
    }
    world = app.world
    track = next(t for t in world.tracks.values() if t.isrc)
    body = client.get(f"/v1/tracks/{track.id}", headers=headers).json()
    assert not {"popularity", "available_markets", "linked_from"} & set(body)
    assert not {"available_markets"} & set(body["album"])
    assert body["external_ids"] == {"isrc": track.isrc}
    album = client.get(f"/v1/albums/{track.album_id}", headers=headers).json()
    assert not {"popularity", "label", "available_markets", "album_group"} & set(album)
    artist = client.get(f"/v1/artists/{track.artist_ids[0]}", headers=headers).json()
    assert not {"popularity", "followers", "genres"} & set(artist)
    me = client.get("/v1/me", headers=headers).json()
    assert not {"country", "email", "product", "explicit_content", "followers"} & set(
        me
    )
    assert me["account_id"]


def test_extended_mode_has_full_fields(make_app, schemas):
    app, client = make_app(mode="extended")
    headers = {
        "Authorization": f"Bearer {app.accounts.mint('segue-demo', 'demo', SCOPES)}"
    }
    track = next(t for t in app.world.tracks.values() if t.popularity is not None)
    body = client.get(f"/v1/tracks/{track.id}", headers=headers).json()
    assert body["popularity"] == track.popularity
    assert body["available_markets"]
    artist_id = track.artist_ids[0]
    artist = client.get(f"/v1/artists/{artist_id}", headers=headers).json()
    assert set(artist) >= {"popularity", "followers", "genres"}
    me = client.get("/v1/me", headers=headers).json()
    assert {"country", "email", "product"} <= set(me)
    ids = list(app.world.tracks)[:3]
    for path, param, ref, _ in EXTENDED_ONLY:
        chosen = ids if "album" not in path and "artist" not in path else None
        if path == "/v1/albums":
            chosen = [app.world.tracks[t].album_id for t in ids]
        if path == "/v1/artists":
            chosen = [app.world.tracks[t].artist_ids[0] for t in ids]
        answer = client.get(path, params={param: ",".join(chosen)}, headers=headers)
        assert answer.status_code == 200, (path, answer.text)
        schemas.check(ref, answer.json())
    one = client.get(f"/v1/audio-features/{ids[0]}", headers=headers)
    schemas.check("responses/OneAudioFeatures", one.json())
    assert one.json()["danceability"] == app.world.features[ids[0]].danceability
    top = client.get(f"/v1/artists/{artist_id}/top-tracks", headers=headers)
    schemas.check("responses/ManyTracks", top.json())
    old = client.get(
        f"/v1/playlists/{_user_playlist(app)}/tracks",
        params={"limit": 100},
        headers=headers,
    )
    schemas.check("responses/PagingPlaylistTrackObject", old.json())


def test_write_answers_match_the_spec(make_app, schemas):
    app, client = make_app()
    headers = {
        "Authorization": f"Bearer {app.accounts.mint('segue-demo', 'demo', SCOPES)}"
    }
    created = client.post(
        "/v1/me/playlists", json={"name": "new one", "public": False}, headers=headers
    )
    assert created.status_code == 201
    schemas.check("responses/OnePlaylist", created.json(), dev=True)
    track = next(iter(app.world.tracks))
    added = client.post(
        f"/v1/playlists/{created.json()['id']}/items",
        json={"uris": [f"spotify:track:{track}"]},
        headers=headers,
    )
    assert added.status_code == 201
    schemas.check("responses/PlaylistSnapshotId", added.json())


def test_error_bodies_match_the_spec(make_app, schemas):
    app, client = make_app(quota=2)
    track = next(iter(app.world.tracks))
    answer = client.get(f"/v1/tracks/{track}")
    assert answer.status_code == 401
    schemas.check("responses/Unauthorized", answer.json())
    token = app.accounts.mint("segue-demo", "demo", SCOPES)
    headers = {"Authorization": f"Bearer {token}"}
    forbidden = client.get("/v1/tracks", params={"ids": track}, headers=headers)
    assert forbidden.status_code == 403
    schemas.check("responses/Forbidden", forbidden.json())
    bad = client.get("/v1/search", params={"q": "a", "type": "x"}, headers=headers)
    assert bad.status_code == 400
    schemas.check("responses/BadRequest", bad.json())
    spent = client.get(f"/v1/tracks/{track}", headers=headers)
    assert spent.status_code == 429
    schemas.check("responses/TooManyRequests", spent.json())
    assert spent.json()["error"]["reason"] == "QUOTA_EXCEEDED"


def test_extended_only_extras_match_the_spec(make_app, schemas):
    app, client = make_app(mode="extended")
    token = app.accounts.mint("segue-demo", "demo", SCOPES)
    headers = {"Authorization": f"Bearer {token}"}
    user = client.get("/v1/users/user1", headers=headers)
    schemas.check("responses/OnePublicUser", user.json())
    track = next(iter(app.world.tracks))
    contains = client.get(
        "/v1/me/tracks/contains", params={"ids": track}, headers=headers
    )
    schemas.check("responses/ArrayOfBooleans", contains.json())
    playlists = client.get("/v1/users/user1/playlists", headers=headers)
    schemas.check("responses/PagedPlaylists", playlists.json())
    releases = client.get("/v1/browse/new-releases", headers=headers)
    schemas.check("responses/PagedAlbums", releases.json())
    schemas.check(
        "responses/Markets", client.get("/v1/markets", headers=headers).json()
    )
