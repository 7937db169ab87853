"""The client against the project's emulator over real HTTP (loopback).

Every public method, both classes, both access modes; PKCE login end to end; refresh
without a new refresh token; rate limiting, quota and injected faults.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from spotify_clients import Both

from segue.emulator.testing import EmulatorServer
from segue.spotify import (
    AudioFeatures,
    EndpointUnavailable,
    FileTokenStore,
    Forbidden,
    LoginRequired,
    NotFound,
    Pacer,
    QuotaExceeded,
    RateLimited,
    Token,
    Unauthorized,
    UserAuth,
    ValidationError,
    login,
)


def user_auth(server: EmulatorServer, **options: Any) -> UserAuth:
    """A user token minted by the emulator (no refresh token)."""
    token = Token(server.user_token(), time.time() + 3600)
    return UserAuth(
        server.client_id, token=token, accounts_base=server.accounts_url, **options
    )


def connect(make: Any, server: EmulatorServer, **options: Any) -> Both:
    options.setdefault("auth", user_auth(server))
    client: Both = make(None, api_base=server.api_url, **options)
    return client


@pytest.mark.parametrize("mode", ["development", "extended"])
def test_every_public_method(
    make: Any, emulator_factory: Any, mode: str, kind: str
) -> None:
    server = emulator_factory(mode=mode)
    world = server.world
    api = connect(make, server, mode="auto" if mode == "development" else "extended")
    extended = mode == "extended"
    pool = sorted(world.tracks)
    track_ids = pool[:60]
    owned = world.by_owner["demo"][0]
    foreign = next(p for p, s in world.playlists.items() if s.owner_id != "demo")

    track = api("track", track_ids[0])
    assert track.id == track_ids[0]
    assert (track.popularity is not None) == extended
    tracks = api("tracks", [*track_ids, "0" * 22])
    assert [t.id for t in tracks[:-1]] == track_ids
    assert tracks[-1] is None
    routes = server.stats()["by_route"]
    assert ("GET /v1/tracks" in routes) == extended or routes["GET /v1/tracks"] == {
        "403": 1
    }
    album = api("album", track.album.id)
    assert album.id == track.album.id
    assert [a.id for a in api("albums", [album.id])] == [album.id]
    album_tracks = api.list("iter_album_tracks", album.id)
    assert [t.id for t in album_tracks] == world.album_tracks[album.id]
    assert api("album_tracks", album.id, limit=1).total == len(album_tracks)
    artist = api("artist", track.artists[0].id)
    assert [a.id for a in api("artists", [artist.id])] == [artist.id]
    albums = api.list("iter_artist_albums", artist.id)
    assert [a.id for a in albums] == world.artist_albums[artist.id]
    assert api("artist_albums", artist.id).limit == (50 if extended else 10)

    word = track.name.split()[0]
    result = api("search", word, ["track", "artist", "album", "playlist"])
    assert result.tracks is not None
    assert result.tracks.total >= 1
    assert result.tracks.limit == (50 if extended else 10)
    found = api.list("iter_search", word, "track", max_items=15)
    assert len(found) == min(15, result.tracks.total)
    filtered = api("search", "", filters={"artist": artist.name})
    assert filtered.tracks is not None

    playlist = api("playlist", owned)
    assert playlist.id == owned
    items = api.list("iter_playlist_items", owned)
    assert [i.content.id for i in items] == [
        e.track_id for e in world.playlists[owned].items
    ]
    assert len(api("playlist_items", owned, limit=5).items) == min(5, len(items))
    every = api("playlists_items", world.by_owner["demo"])
    assert [[i.content.id for i in got] for got in every] == [
        [e.track_id for e in world.playlists[p].items] for p in world.by_owner["demo"]
    ]
    if not extended:
        with pytest.raises(Forbidden):
            api("playlist_items", foreign)
    with pytest.raises(NotFound):
        api("playlist", "0" * 22)

    me = api("me")
    assert me.id == "demo"
    assert (me.country is not None) == extended
    mine = api.list("iter_my_playlists")
    assert {p.id for p in mine} >= set(world.by_owner["demo"])
    assert api("my_playlists", limit=1).total == len(mine)
    created = api("create_playlist", "segue test", public=False, description="d")
    snapshot = api("playlist_add_items", created.id, pool[:150])
    assert snapshot
    assert len(api.list("iter_playlist_items", created.id)) == 150
    api("playlist_reorder_items", created.id, range_start=0, insert_before=3)
    api("playlist_remove_items", created.id, pool[100:150])
    assert len(api.list("iter_playlist_items", created.id)) == 100
    api("playlist_replace_items", created.id, pool[:120])
    after = [i.content.id for i in api.list("iter_playlist_items", created.id)]
    assert after == pool[:120]

    library = world.library("demo")
    saved = api.list("iter_saved_tracks")
    assert [s.track.id for s in saved][::-1] == list(library.saved_tracks) or {
        s.track.id for s in saved
    } == set(library.saved_tracks)
    assert len(api.list("iter_saved_albums")) == len(library.saved_albums)
    assert api("saved_tracks", limit=2).total == len(saved)
    assert api("saved_albums", limit=2).total == len(library.saved_albums)
    uris = [f"spotify:track:{t}" for t in track_ids[:45]]
    api("library_remove", uris)
    assert api("library_contains", uris) == [False] * 45
    api("library_save", uris)
    assert api("library_contains", uris) == [True] * 45

    for span in ("short_term", "medium_term", "long_term"):
        top = api.list("iter_top_tracks", span)
        assert [t.id for t in top] == library.top_tracks[span]
        assert [a.id for a in api.list("iter_top_artists", span)] == (
            library.top_artists[span]
        )
    assert api("top_tracks", limit=3).total == len(library.top_tracks["medium_term"])
    assert api("top_artists", limit=3).items
    played = api.list("iter_recently_played")
    assert [p.track.id for p in played] == [t for t, _ in library.recent]
    assert len(api("recently_played", limit=5).items) == 5
    followed = api.list("iter_followed_artists")
    assert {a.id for a in followed} == library.followed_artists
    assert api("followed_artists", limit=2).items

    if extended:
        features = api("audio_features", track_ids[:3])
        assert all(isinstance(f, AudioFeatures) or f is None for f in features)
        assert any(f is not None for f in features) == bool(world.features)
        assert len(api("artist_top_tracks", artist.id)) >= 1
    else:
        with pytest.raises(EndpointUnavailable):
            api("audio_features", track_ids[:3])
        with pytest.raises(EndpointUnavailable):
            api("artist_top_tracks", artist.id)
    with pytest.raises(EndpointUnavailable):
        api.client.recommendations()
    raw = api("request", "GET", f"/tracks/{track_ids[0]}")
    assert raw["id"] == track_ids[0]
    with pytest.raises(ValidationError):
        api("search", "x", limit=51)


@pytest.mark.parametrize("mode", ["development", "extended"])
def test_app_token_from_client_credentials(
    make: Any, emulator_factory: Any, mode: str
) -> None:
    server = emulator_factory(mode=mode)
    api = make(
        None,
        client_id=server.client_id,
        client_secret=server.client_secret,
        api_base=server.api_url,
        accounts_base=server.accounts_url,
    )
    ids = sorted(server.world.tracks)[:7]
    assert [t.id for t in api("tracks", ids)] == ids
    with pytest.raises((Unauthorized, Forbidden)):
        api("me")  # app tokens act for no user


def test_pkce_login_and_refresh_without_a_new_refresh_token(
    emulator_factory: Any, make: Any, tmp_path: Path
) -> None:
    server = emulator_factory(access_lifetime_s=30)  # within the refresh margin
    store = FileTokenStore(tmp_path / "token.json")

    def browser(url: str) -> None:
        answer = httpx.get(url, follow_redirects=True, timeout=5)
        assert answer.status_code == 200

    token = login(
        server.client_id,
        ["user-read-private", "playlist-read-private", "user-top-read"],
        store=store,
        accounts_base=server.accounts_url,
        open_url=browser,
        timeout=10,
    )
    assert token.refresh_token
    auth = UserAuth(server.client_id, store, accounts_base=server.accounts_url)
    api = make(None, auth=auth, api_base=server.api_url)
    assert api("me").id == "demo"
    assert api("me").id == "demo"
    stored = store.load()
    assert stored is not None
    assert stored.refresh_token == token.refresh_token  # kept: none came back
    assert stored.access_token != token.access_token
    assert api.client.stats.token_requests == 2
    assert api.client.stats.requests == 2


def test_expired_refresh_token_asks_to_log_in_again(
    emulator_factory: Any, make: Any
) -> None:
    server = emulator_factory(access_lifetime_s=1, refresh_lifetime_s=0.5)
    token = login(
        server.client_id,
        accounts_base=server.accounts_url,
        open_url=lambda url: httpx.get(url, follow_redirects=True, timeout=5),
        timeout=10,
    )
    time.sleep(0.6)
    auth = UserAuth(server.client_id, token=token, accounts_base=server.accounts_url)
    api = make(None, auth=auth, api_base=server.api_url)
    with pytest.raises(LoginRequired, match="log in again"):
        api("me")


def test_rate_limit_is_learned_and_paced(emulator_factory: Any, make: Any) -> None:
    server = emulator_factory(rate_limit=20, rate_window_s=2.0)
    api = connect(make, server, pacer=Pacer(window=2.0, guard=0.05), max_concurrency=4)
    ids = sorted(server.world.tracks)[:90]
    started = time.monotonic()
    tracks = api("tracks", ids)
    elapsed = time.monotonic() - started
    assert [t.id for t in tracks] == ids
    # answers of the learning burst that come back after its 429s still count
    assert api.client.pacer.capacity == 20
    assert 1 <= api.client.stats.rate_limited <= 5  # one burst, while learning
    # 91 requests at 20 per 2 s: five windows, so at least four waits of 2 s; the
    # learning burst and the Retry-After rounding cost little beyond that
    assert 4 * 2.0 - 0.2 <= elapsed <= 4 * 2.0 * 1.25


def test_long_retry_after_is_raised_not_slept(emulator_factory: Any, make: Any) -> None:
    server = emulator_factory(rate_limit=2, rate_window_s=600)
    api = connect(make, server, max_wait=5)
    api("me")
    api("me")
    started = time.monotonic()
    with pytest.raises(RateLimited) as info:
        api("me")
    assert time.monotonic() - started < 2
    assert info.value.retry_after > 500


def test_quota_exceeded(emulator_factory: Any, make: Any) -> None:
    server = emulator_factory(quota=3)
    api = connect(make, server)
    for _ in range(3):
        api("me")
    with pytest.raises(QuotaExceeded) as info:
        api("me")
    assert info.value.retry_after == 86400


def test_injected_faults_are_retried(emulator_factory: Any, make: Any) -> None:
    server = emulator_factory(error_rate=0.2, drop_rate=0.1, seed=3)
    api = connect(make, server, max_retries=6)
    ids = sorted(server.world.tracks)[:60]
    assert [t.id for t in api("tracks", ids)] == ids
    stats = server.stats()
    assert stats["faults"] + stats["dropped"] > 0
    assert api.client.stats.retries >= stats["faults"] + stats["dropped"] - 1
