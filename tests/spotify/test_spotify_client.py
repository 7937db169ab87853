"""Every public method of both client classes, on the in-memory fake."""

from __future__ import annotations

from typing import Any

import pytest
from spotify_clients import Both
from spotify_fake import FakeSpotify, make_id

from segue.spotify import (
    Album,
    Artist,
    EndpointUnavailable,
    NotFound,
    Paging,
    Playlist,
    PlaylistItem,
    PrivateUser,
    SearchResult,
    Track,
    ValidationError,
)


def paths(fake: FakeSpotify) -> list[str]:
    """Paths of the Web API requests the fake received."""
    return [r.url.path for r in fake.requests if r.url.host == "api.test"]


def test_track_album_artist(api: Both, fake: FakeSpotify) -> None:
    tid = fake.track_ids[3]
    track = api("track", f"spotify:track:{tid}")
    assert isinstance(track, Track)
    assert (track.id, track.name, track.duration_ms) == (tid, "Track 3", 1003)
    assert track.popularity is None  # development mode drops it
    assert track.external_ids is not None
    assert track.external_ids.isrc == "ISRC00000003"
    album = api("album", fake.album["id"])
    assert isinstance(album, Album)
    assert album.label is None
    assert album.tracks is not None
    assert album.tracks.total == 30
    artist = api("artist", fake.artist["id"])
    assert isinstance(artist, Artist)
    assert artist.genres is None
    assert artist.followers is None


def test_market_is_sent(make: Any, fake: FakeSpotify) -> None:
    api = make(fake, market="SE")
    api("track", fake.track_ids[0])
    api("track", fake.track_ids[0], market="DE")
    markets = [r.url.params.get("market") for r in fake.requests[-2:]]
    assert markets == ["SE", "DE"]


def test_unknown_track_is_not_found(api: Both) -> None:
    with pytest.raises(NotFound) as info:
        api("track", make_id("track", 99999))
    assert info.value.status == 404


def test_bad_id_fails_before_any_request(api: Both, fake: FakeSpotify) -> None:
    with pytest.raises(ValidationError):
        api("track", "spotify:album:" + fake.album["id"])
    assert fake.requests == []


def test_tracks_in_development_mode_fall_back_once_and_remember(
    api: Both, fake: FakeSpotify
) -> None:
    wanted = [*fake.track_ids[:120], make_id("track", 99999), fake.track_ids[0]]
    tracks = api("tracks", wanted)
    assert [t.id if t else None for t in tracks] == [*wanted[:120], None, wanted[0]]
    first = paths(fake)
    assert first.count("/v1/tracks") == 1  # one multi-get tried, 403
    assert len(first) == 1 + 121  # then one request per distinct id
    fake.requests.clear()
    api("tracks", fake.track_ids[:5])
    assert "/v1/tracks" not in paths(fake)  # remembered for the client's lifetime


def test_tracks_in_extended_mode_use_multi_gets_of_50(make: Any) -> None:
    fake = FakeSpotify(extended=True)
    api = make(fake)
    wanted = [*fake.track_ids[:120], make_id("track", 99999)]
    tracks = api("tracks", wanted)
    assert tracks[-1] is None
    assert [t.id for t in tracks[:-1]] == wanted[:-1]
    assert tracks[0].popularity == 0
    sizes = [len(r.url.params["ids"].split(",")) for r in fake.requests[1:]]
    assert sorted(sizes) == [21, 50, 50]


def test_development_mode_never_tries_multi_gets(make: Any) -> None:
    fake = FakeSpotify(extended=True)
    api = make(fake, mode="development")
    api("tracks", fake.track_ids[:3])
    assert paths(fake) == [f"/v1/tracks/{i}" for i in fake.track_ids[:3]] or sorted(
        paths(fake)
    ) == sorted(f"/v1/tracks/{i}" for i in fake.track_ids[:3])


def test_albums_and_artists_fall_back_too(api: Both, fake: FakeSpotify) -> None:
    albums = api("albums", [fake.album["id"], make_id("album", 5)])
    assert albums[0].name == "Album"
    assert albums[1] is None
    artists = api("artists", [fake.artist["id"]])
    assert artists[0].name == "Artist"


def test_extended_only_endpoints(api: Both, make: Any, fake: FakeSpotify) -> None:
    with pytest.raises(EndpointUnavailable, match="ReccoBeats"):
        api("audio_features", fake.track_ids[:2])
    fake.requests.clear()
    with pytest.raises(EndpointUnavailable):
        api("audio_features", fake.track_ids[:2])
    assert fake.requests == []  # the 403 was remembered
    with pytest.raises(EndpointUnavailable, match="extended quota mode"):
        api("artist_top_tracks", fake.artist["id"])
    rich = FakeSpotify(extended=True)
    ext = make(rich, mode="extended")
    features = ext("audio_features", [*rich.track_ids[:3], make_id("track", 99999)])
    assert [f.tempo if f else None for f in features] == [120.0] * 3 + [None]
    assert len(ext("artist_top_tracks", rich.artist["id"])) == 10
    dev = make(rich, mode="development")
    with pytest.raises(EndpointUnavailable):
        dev("audio_features", rich.track_ids[:1])


@pytest.mark.parametrize(
    "name",
    [
        "recommendations",
        "recommendation_genre_seeds",
        "artist_related_artists",
        "audio_analysis",
        "featured_playlists",
        "category_playlists",
    ],
)
def test_removed_endpoints_say_what_replaced_them(
    api: Both, fake: FakeSpotify, name: str
) -> None:
    method = getattr(api.client, name)
    args = [] if name in ("recommendations", "recommendation_genre_seeds") else ["x"]
    if name == "featured_playlists":
        args = []
    with pytest.raises(EndpointUnavailable) as info:
        method(*args)
    assert info.value.endpoint == name
    assert "November 2024" in str(info.value)
    assert fake.requests == []


def test_album_tracks_and_artist_albums_pages(api: Both, fake: FakeSpotify) -> None:
    page = api("album_tracks", fake.album["id"], limit=50)
    assert isinstance(page, Paging)
    assert page.total == 30
    assert len(api.list("iter_album_tracks", fake.album["id"])) == 30
    assert api("artist_albums", fake.artist["id"], include_groups=["album"]).total == 23
    assert fake.requests[-1].url.params["include_groups"] == "album"
    assert fake.requests[-1].url.params["limit"] == "10"
    albums = api.list("iter_artist_albums", fake.artist["id"], max_items=15)
    assert [a.name for a in albums] == ["Album"] * 15
    with pytest.raises(ValidationError, match="between 1 and 50"):
        api("album_tracks", fake.album["id"], limit=51)
    with pytest.raises(ValidationError, match="between 1 and 10"):
        api("artist_albums", fake.artist["id"], limit=11)
    with pytest.raises(ValidationError, match="offset"):
        api("album_tracks", fake.album["id"], offset=-1)


def test_search_applies_the_2026_cap_and_filters(api: Both, fake: FakeSpotify) -> None:
    result = api("search", "Track", filters={"artist": "Daft Punk", "year": "2001"})
    assert isinstance(result, SearchResult)
    assert result.tracks is not None
    assert result.tracks.limit == 10
    assert result.tracks.total == len(fake.tracks)
    sent = fake.requests[-1].url.params
    assert sent["q"] == 'Track artist:"Daft Punk" year:2001'
    assert sent["type"] == "track"
    with pytest.raises(ValidationError, match="between 1 and 10"):
        api("search", "x", limit=50)
    with pytest.raises(ValidationError, match="search types"):
        api("search", "x", types=["podcast"])
    with pytest.raises(ValidationError, match="unknown search filter"):
        api("search", "x", filters={"mood": "happy"})
    with pytest.raises(ValidationError, match="at most 1000"):
        api("search", "x", offset=1001)


def test_extended_mode_lifts_the_search_cap(make: Any) -> None:
    fake = FakeSpotify(extended=True)
    api = make(fake, mode="extended")
    assert api("search", "Track", limit=50).tracks.limit == 50


def test_iter_search_is_bounded(api: Both, fake: FakeSpotify) -> None:
    names = [t.name for t in api.list("iter_search", "Track", max_items=35)]
    assert len(names) == 35
    assert names[:2] == ["Track 0", "Track 1"]
    every = api.list("iter_search", "Track")
    assert len(every) == len(fake.tracks)
    assert all(r.url.params["limit"] == "10" for r in fake.requests[1:])


def test_playlist_and_items(api: Both, fake: FakeSpotify) -> None:
    pid = list(fake.playlists)[4]
    playlist = api("playlist", pid)
    assert isinstance(playlist, Playlist)
    assert playlist.first_items is not None
    assert playlist.first_items.total == 237
    page = api("playlist_items", pid, limit=50, offset=200)
    assert [i.content.id for i in page.items] == fake.playlists[pid]["items"][200:237]
    assert isinstance(page.items[0], PlaylistItem)
    with pytest.raises(ValidationError, match="between 1 and 50"):
        api("playlist_items", pid, limit=100)


@pytest.mark.parametrize(
    ("index", "size"), [(0, 0), (1, 1), (2, 50), (3, 51), (4, 237)]
)
def test_iter_playlist_items_reads_everything_in_order(
    api: Both, fake: FakeSpotify, index: int, size: int
) -> None:
    pid = list(fake.playlists)[index]
    items = api.list("iter_playlist_items", pid)
    assert [i.content.id for i in items] == fake.playlists[pid]["items"]
    assert len(items) == size
    reads = [r for r in fake.requests if r.url.path.endswith("/items")]
    assert len(reads) == max(1, -(-size // 50))
    assert {r.url.params["limit"] for r in reads} == {"50"}
    assert reads[0].url.path == f"/v1/playlists/{pid}/items"


def test_playlists_items_reads_many_in_two_rounds(api: Both, fake: FakeSpotify) -> None:
    pids = list(fake.playlists)
    lists = api("playlists_items", [pids[4], pids[0], pids[3], pids[4]])
    assert [[i.content.id for i in items] for items in lists] == [
        fake.playlists[p]["items"] for p in (pids[4], pids[0], pids[3], pids[4])
    ]
    reads = [r for r in fake.requests if r.url.path.endswith("/items")]
    firsts = [r for r in reads if r.url.params["offset"] == "0"]
    assert len(firsts) == 4
    assert len(reads) == 4 + 4 + 1 + 4  # 237 -> 4 more pages (twice), 51 -> 1 more
    assert api("playlists_items", []) == []


def test_iter_playlist_items_max_items(api: Both, fake: FakeSpotify) -> None:
    pid = list(fake.playlists)[4]
    assert len(api.list("iter_playlist_items", pid, max_items=120)) == 120
    assert api.list("iter_playlist_items", pid, max_items=0) == []


def test_playlist_writes(api: Both, fake: FakeSpotify) -> None:
    created = api("create_playlist", "Mix", public=False, description="d")
    assert created.name == "Mix"
    pid = created.id
    ids = fake.track_ids[:250]
    snapshot = api("playlist_add_items", pid, ids)
    assert snapshot == "s3"  # 100 + 100 + 50
    assert fake.playlists[pid]["items"] == ids
    api("playlist_add_items", pid, [f"spotify:track:{fake.track_ids[260]}"], position=0)
    assert fake.playlists[pid]["items"][0] == fake.track_ids[260]
    api("playlist_reorder_items", pid, range_start=0, insert_before=2)
    assert fake.playlists[pid]["items"][:2] == [ids[0], fake.track_ids[260]]
    api("playlist_remove_items", pid, [fake.track_ids[260], ids[5]])
    assert fake.playlists[pid]["items"] == [i for i in ids if i != ids[5]]
    api("playlist_replace_items", pid, fake.track_ids[:130])
    assert fake.playlists[pid]["items"] == fake.track_ids[:130]
    with pytest.raises(ValidationError, match="tracks and episodes"):
        api("playlist_add_items", pid, ["spotify:album:" + fake.album["id"]])
    with pytest.raises(ValidationError):
        api("create_playlist", "")


def test_me_and_my_playlists(api: Both, fake: FakeSpotify) -> None:
    me = api("me")
    assert isinstance(me, PrivateUser)
    assert (me.id, me.country, me.email) == ("me", None, None)
    page = api("my_playlists", limit=2)
    assert page.total == 5
    assert len(api.list("iter_my_playlists")) == 5
    assert api.list("iter_my_playlists")[4].total == 237


def test_saved_tracks_and_albums(api: Both) -> None:
    page = api("saved_tracks", limit=10, offset=5)
    assert page.items[0].track.name == "Track 5"
    assert page.items[0].added_at.year == 2026
    assert len(api.list("iter_saved_tracks")) == 120
    assert len(api.list("iter_saved_tracks", max_items=51)) == 51
    assert api("saved_albums").items[0].album.name == "Album"
    assert len(api.list("iter_saved_albums")) == 3


def test_library_chunks_uris_by_40(api: Both, fake: FakeSpotify) -> None:
    uris = [f"spotify:track:{t}" for t in fake.track_ids[:90]]
    uris.append("spotify:album:" + fake.album["id"])
    api("library_save", uris)
    assert fake.library == set(uris)
    calls = [r for r in fake.requests if r.url.path == "/v1/me/library"]
    assert sorted(len(r.url.params["uris"].split(",")) for r in calls) == [11, 40, 40]
    contains = api("library_contains", [uris[0], f"spotify:track:{fake.track_ids[95]}"])
    assert contains == [True, False]
    api("library_remove", uris[:50])
    assert fake.library == set(uris[50:])
    with pytest.raises(ValidationError, match="no kind"):
        api("library_save", [fake.track_ids[0]])


def test_top_items(api: Both) -> None:
    assert api("top_tracks", "short_term", limit=5).total == 75
    assert len(api.list("iter_top_tracks", "long_term")) == 75
    assert api("top_artists").total == 73
    assert len(api.list("iter_top_artists", max_items=60)) == 60
    with pytest.raises(ValidationError, match="time_range"):
        api("top_tracks", "forever")


def test_cursor_paging(api: Both, fake: FakeSpotify) -> None:
    page = api("recently_played", limit=10)
    assert len(page.items) == 10
    assert page.cursors.before == "10"
    played = api.list("iter_recently_played")
    assert [p.track.id for p in played] == [p["track"]["id"] for p in fake.plays]
    assert len(api.list("iter_recently_played", max_items=12)) == 12
    followed = api("followed_artists", limit=20)
    assert followed.total == 73
    artists = api.list("iter_followed_artists")
    assert [a.id for a in artists] == [a["id"] for a in fake.followed]
    assert len(api.list("iter_followed_artists", max_items=5)) == 5


def test_raw_escape_hatch(api: Both, fake: FakeSpotify) -> None:
    data = api("request", "GET", f"/tracks/{fake.track_ids[0]}")
    assert data["brand_new_field"] == [1, 2]
    assert (
        api("request", "PUT", "/me/library", params={"uris": ["spotify:track:x"]})
        is None
    )
    with pytest.raises(ValidationError):
        api("request", "GET", "https://elsewhere.test/v1/me")


def test_context_managers_close(fake: FakeSpotify) -> None:
    import asyncio

    import httpx

    from segue.spotify import AsyncSpotify, Spotify

    transport = httpx.MockTransport(fake)
    options: dict[str, Any] = {
        "client_id": fake.client_id,
        "client_secret": fake.client_secret,
        "api_base": "https://api.test/v1",
        "accounts_base": "https://accounts.test",
    }
    with Spotify(http_client=httpx.Client(transport=transport), **options) as sync:
        sync.me()
    assert sync._transport.client.is_closed

    async def run() -> AsyncSpotify:
        client = httpx.AsyncClient(transport=transport)
        async with AsyncSpotify(http_client=client, **options) as a:
            await a.me()
        return a

    assert asyncio.run(run())._transport.client.is_closed
