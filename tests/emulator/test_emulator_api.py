"""What the endpoints answer: paging, cursors, search filters and writes."""

from __future__ import annotations

import urllib.parse

import pytest

from segue.emulator import SCOPES


@pytest.fixture
def api(make_app):
    app, client = make_app(mode="extended")
    token = app.accounts.mint("segue-demo", "demo", SCOPES)
    client_headers = {"Authorization": f"Bearer {token}"}

    class Api:
        world = app.world
        emu = app

        @staticmethod
        def get(path, **params):
            answer = client.get(path, params=params, headers=client_headers)
            assert answer.status_code == 200, answer.text
            return answer.json()

        @staticmethod
        def call(method, path, **kwargs):
            return client.request(method, path, headers=client_headers, **kwargs)

    return Api


def _path(url):
    parts = urllib.parse.urlsplit(url)
    return parts.path, dict(urllib.parse.parse_qsl(parts.query))


def test_paging_links_walk_every_item(api):
    playlist = max(api.world.playlists.values(), key=lambda p: len(p.items))
    assert len(playlist.items) > 7
    seen = []
    page = api.get(f"/v1/playlists/{playlist.id}/items", limit=3)
    assert page["previous"] is None
    assert page["href"].startswith("http://127.0.0.1:9999/v1/playlists/")
    while True:
        seen += [i["item"]["id"] for i in page["items"]]
        if page["next"] is None:
            break
        path, params = _path(page["next"])
        page = api.get(path, **params)
        assert _path(page["previous"])[1]["offset"] == str(page["offset"] - 3)
    assert seen == [e.track_id for e in playlist.items]
    assert page["total"] == len(playlist.items)


def test_search_filters(api):
    world = api.world
    track = next(t for t in world.tracks.values() if t.isrc)
    artist = world.artists[track.artist_ids[0]]
    album = world.albums[track.album_id]
    by_isrc = api.get("/v1/search", q=f"isrc:{track.isrc}", type="track")
    assert [t["id"] for t in by_isrc["tracks"]["items"]] == [track.id]
    q = f'track:"{track.name}" artist:"{artist.name}"'
    found = api.get("/v1/search", q=q, type="track", limit=50)["tracks"]
    assert track.id in [t["id"] for t in found["items"]]
    for item in found["items"]:
        assert artist.id in [a["id"] for a in item["artists"]]
    year = int(album.release_date[:4])
    ranged = api.get(
        "/v1/search",
        q=f'artist:"{artist.name}" year:{year - 1}-{year + 1}',
        type="album",
    )
    assert album.id in [a["id"] for a in ranged["albums"]["items"]]
    missed = api.get(
        "/v1/search",
        q=f'artist:"{artist.name}" year:{year + 1}-{year + 3}',
        type="album",
    )
    assert album.id not in [a["id"] for a in missed["albums"]["items"]]
    artists = api.get("/v1/search", q=artist.name, type="artist", limit=50)["artists"]
    assert artist.id in [a["id"] for a in artists["items"]]
    nothing = api.get("/v1/search", q="zzzqqqxxx", type="track,playlist")
    assert nothing["tracks"]["total"] == nothing["playlists"]["total"] == 0


def test_search_answers_bad_requests(api):
    assert api.call("GET", "/v1/search", params={"type": "track"}).status_code == 400
    assert api.call("GET", "/v1/search", params={"q": "a"}).status_code == 400
    bad = api.call("GET", "/v1/search", params={"q": "a", "type": "song"})
    assert bad.json()["error"]["message"] == "Bad search type field"


def test_playlist_writes_change_items_and_snapshot(api):
    world = api.world
    created = api.call("POST", "/v1/me/playlists", json={"name": "mix"}).json()
    pid = created["id"]
    assert created["owner"]["id"] == "demo"
    tracks = list(world.tracks)[:5]
    uris = [f"spotify:track:{t}" for t in tracks]
    snapshots = {created["snapshot_id"]}

    def items():
        return [i["item"]["id"] for i in api.get(f"/v1/playlists/{pid}/items")["items"]]

    def snap(answer):
        assert answer.status_code in (200, 201), answer.text
        snapshot = answer.json()["snapshot_id"]
        assert snapshot not in snapshots
        snapshots.add(snapshot)

    snap(api.call("POST", f"/v1/playlists/{pid}/items", json={"uris": uris[:3]}))
    snap(
        api.call(
            "POST", f"/v1/playlists/{pid}/items", json={"uris": uris[3:], "position": 1}
        )
    )
    assert items() == [tracks[0], tracks[3], tracks[4], tracks[1], tracks[2]]
    move = {"range_start": 0, "insert_before": 5, "range_length": 2}
    snap(api.call("PUT", f"/v1/playlists/{pid}/items", json=move))
    assert items() == [tracks[4], tracks[1], tracks[2], tracks[0], tracks[3]]
    snap(
        api.call(
            "DELETE",
            f"/v1/playlists/{pid}/items",
            json={"items": [{"uri": uris[1]}, {"uri": uris[2]}]},
        )
    )
    assert items() == [tracks[4], tracks[0], tracks[3]]
    snap(api.call("PUT", f"/v1/playlists/{pid}/items", json={"uris": uris[:2]}))
    assert items() == tracks[:2]
    bad = api.call(
        "POST", f"/v1/playlists/{pid}/items", json={"uris": ["spotify:track:nope"]}
    )
    assert bad.status_code == 400
    mine = api.get("/v1/me/playlists", limit=50)["items"]
    assert mine[0]["id"] == pid


def test_library_saves_and_contains(api):
    world = api.world
    saved = world.library("demo").saved_tracks
    new = next(t for t in world.tracks if t not in saved)
    uris = f"spotify:track:{new}"
    assert api.get("/v1/me/library/contains", uris=uris) == [False]
    assert api.call("PUT", "/v1/me/library", params={"uris": uris}).status_code == 200
    assert api.get("/v1/me/library/contains", uris=uris) == [True]
    first = api.get("/v1/me/tracks", limit=1)
    assert first["items"][0]["track"]["id"] == new
    assert first["total"] == len(saved)
    api.call("DELETE", "/v1/me/library", params={"uris": uris})
    assert api.get("/v1/me/library/contains", uris=uris) == [False]


def test_recently_played_cursors(api):
    history = api.world.library("demo").recent
    page = api.get("/v1/me/player/recently-played", limit=4)
    assert [int(page["cursors"]["after"]), int(page["cursors"]["before"])] == [
        history[0][1],
        history[3][1],
    ]
    path, params = _path(page["next"])
    older = api.get(path, **params)
    assert older["items"][0]["track"]["id"] == history[4][0]
    newer = api.get("/v1/me/player/recently-played", after=history[2][1], limit=50)
    assert len(newer["items"]) == 2


def test_followed_artists_cursor(api):
    followed = sorted(api.world.library("demo").followed_artists)
    seen = []
    page = api.get("/v1/me/following", type="artist", limit=3)["artists"]
    while True:
        seen += [a["id"] for a in page["items"]]
        if page["next"] is None:
            break
        path, params = _path(page["next"])
        page = api.get(path, **params)["artists"]
    assert seen == followed


def test_top_items_differ_by_time_range(api):
    library = api.world.library("demo")
    for time_range in ("short_term", "medium_term", "long_term"):
        got = api.get("/v1/me/top/tracks", time_range=time_range, limit=50)
        assert [t["id"] for t in got["items"]] == library.top_tracks[time_range]
    bad = api.call("GET", "/v1/me/top/tracks", params={"time_range": "forever"})
    assert bad.status_code == 400


def test_unknown_ids_are_not_found(api):
    for path in ("/v1/tracks/x", "/v1/albums/x", "/v1/artists/x", "/v1/playlists/x"):
        answer = api.call("GET", path)
        assert answer.status_code == 404
        assert answer.json()["error"]["status"] == 404
    multi = api.get("/v1/tracks", ids=f"x,{next(iter(api.world.tracks))}")
    assert multi["tracks"][0] is None
    assert multi["tracks"][1] is not None
    too_many = api.call("GET", "/v1/albums", params={"ids": ",".join(["x"] * 21)})
    assert too_many.status_code == 400


def test_fields_filter(api):
    pid = api.world.by_owner["demo"][0]
    meta = api.get(f"/v1/playlists/{pid}", fields="name,owner.id")
    assert meta == {"name": api.world.playlists[pid].name, "owner": {"id": "demo"}}
    page = api.get(
        f"/v1/playlists/{pid}/items",
        fields="total,items(added_at,item(id,album(name)))",
    )
    first = api.world.playlists[pid].items[0]
    assert set(page) == {"total", "items"}
    assert page["items"][0]["item"]["id"] == first.track_id
    assert set(page["items"][0]) == {"added_at", "item"}
    assert set(page["items"][0]["item"]["album"]) == {"name"}
    trimmed = api.get(
        f"/v1/playlists/{pid}/items", fields="items(item(!album,!artists))"
    )
    item = trimmed["items"][0]["item"]
    assert "album" not in item
    assert "artists" not in item
    assert item["id"] == first.track_id
    bad = api.call("GET", f"/v1/playlists/{pid}", params={"fields": "items(name"})
    assert bad.status_code == 400


def test_playlist_details_change(api):
    pid = api.world.by_owner["demo"][0]
    before = api.get(f"/v1/playlists/{pid}")["snapshot_id"]
    answer = api.call(
        "PUT", f"/v1/playlists/{pid}", json={"name": "renamed", "public": False}
    )
    assert answer.status_code == 200
    after = api.get(f"/v1/playlists/{pid}")
    assert (after["name"], after["public"]) == ("renamed", False)
    assert after["snapshot_id"] != before
    other = next(p for p in api.world.playlists.values() if p.owner_id != "demo")
    refused = api.call("PUT", f"/v1/playlists/{other.id}", json={"name": "mine"})
    assert refused.status_code in (403, 404)
