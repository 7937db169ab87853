"""spotipy and tekore, unchanged apart from their base URLs, against the emulator.

spotipy takes its API prefix as ``Spotify.prefix`` and its accounts URLs as the
``OAUTH_TOKEN_URL`` / ``OAUTH_AUTHORIZE_URL`` attributes of its auth managers.
tekore's URLs are module constants, so it gets a sender that rewrites the two
Spotify hosts to the emulator's.
"""

from __future__ import annotations

import urllib.parse

import httpx
import pydantic
import pytest
import spotipy
import tekore as tk
from spotipy.cache_handler import MemoryCacheHandler

REDIRECT = "http://127.0.0.1:8765/callback"


def spotipy_client_credentials(server) -> spotipy.Spotify:
    manager = spotipy.SpotifyClientCredentials(
        client_id=server.client_id,
        client_secret=server.client_secret,
        cache_handler=MemoryCacheHandler(),
    )
    manager.OAUTH_TOKEN_URL = server.token_url
    sp = spotipy.Spotify(
        client_credentials_manager=manager, requests_timeout=5, retries=0
    )
    sp.prefix = server.api_url + "/"
    return sp


def spotipy_user(server, scope: str) -> spotipy.Spotify:
    """A spotipy client whose token came through /authorize and /api/token."""
    manager = spotipy.SpotifyOAuth(
        client_id=server.client_id,
        client_secret=server.client_secret,
        redirect_uri=REDIRECT,
        scope=scope,
        cache_handler=MemoryCacheHandler(),
        open_browser=False,
    )
    manager.OAUTH_AUTHORIZE_URL = server.authorize_url
    manager.OAUTH_TOKEN_URL = server.token_url
    redirect = httpx.get(manager.get_authorize_url(state="xyz"))
    assert redirect.status_code == 302
    location = redirect.headers["location"]
    assert location.startswith(REDIRECT)
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))
    assert query["state"] == "xyz"
    token = manager.get_access_token(query["code"], as_dict=False, check_cache=False)
    sp = spotipy.Spotify(auth=token, requests_timeout=5, retries=0)
    sp.prefix = server.api_url + "/"
    return sp


class RewritingSender(tk.SyncSender):
    """tekore's sender with Spotify's two hosts replaced by the emulator's."""

    def __init__(self, base: str) -> None:
        super().__init__(httpx.Client(timeout=5))
        self.base = base

    def send(self, request: tk.Request) -> tk.Response:
        for host in ("https://api.spotify.com", "https://accounts.spotify.com"):
            if request.url.startswith(host):
                request.url = self.base + request.url[len(host) :]
        return super().send(request)


@pytest.fixture
def tekore_sender(emulator):
    sender = RewritingSender(emulator.accounts_url)
    yield sender
    sender.client.close()


def test_spotipy_with_client_credentials(emulator):
    sp = spotipy_client_credentials(emulator)
    world = emulator.world
    track = next(t for t in world.tracks.values() if t.isrc)
    got = sp.track(track.id)
    assert got["name"] == track.name
    assert got["external_ids"]["isrc"] == track.isrc
    assert "popularity" not in got
    album = sp.album_tracks(track.album_id)
    assert [t["id"] for t in album["items"]] == world.album_tracks[track.album_id][:20]
    found = sp.search(f"isrc:{track.isrc}", limit=10)
    assert track.id in [t["id"] for t in found["tracks"]["items"]]
    with pytest.raises(spotipy.SpotifyException) as caught:
        sp.tracks([track.id])
    assert caught.value.http_status == 403
    with pytest.raises(spotipy.SpotifyException) as caught:
        sp.search("a", limit=11)
    assert caught.value.http_status == 400
    assert "Invalid limit" in caught.value.msg


def test_spotipy_user_flow(emulator):
    sp = spotipy_user(emulator, "playlist-read-private playlist-modify-private")
    assert sp.me()["id"] == "demo"
    playlists = sp.current_user_playlists(limit=50)
    owned = set(emulator.world.by_owner["demo"])
    assert owned <= {p["id"] for p in playlists["items"]}
    mine = next(p for p in playlists["items"] if p["id"] in owned)
    items = sp.playlist_items(mine["id"], limit=50)
    expected = [e.track_id for e in emulator.world.playlists[mine["id"]].items]
    assert [i["item"]["id"] for i in items["items"]] == expected[:50]
    new = sp.current_user_playlist_create("made by spotipy", public=False)
    snapshot = sp.playlist_add_items(new["id"], expected[:3])["snapshot_id"]
    assert snapshot != new["snapshot_id"]
    assert [i["track"]["id"] for i in sp.playlist_items(new["id"])["items"]] == (
        expected[:3]
    )
    other = next(p for p in emulator.world.playlists.values() if p.owner_id != "demo")
    with pytest.raises(spotipy.SpotifyException) as caught:
        sp.playlist_items(other.id)
    assert caught.value.http_status == 403


def tekore_sender_for(server) -> RewritingSender:
    return RewritingSender(server.accounts_url)


def test_tekore_with_client_credentials(emulator_factory):
    server = emulator_factory(mode="extended")
    sender = tekore_sender_for(server)
    try:
        credentials = tk.Credentials(
            server.client_id, server.client_secret, sender=sender
        )
        token = credentials.request_client_token()
        spotify = tk.Spotify(token, sender=sender)
        track = next(iter(server.world.tracks.values()))
        assert spotify.track(track.id).name == track.name
        tracks = spotify.album_tracks(track.album_id, limit=50)
        assert tracks.total == len(server.world.album_tracks[track.album_id])
        word = track.name.split()[0]
        (found,) = spotify.search(word, types=("track",), limit=10)
        assert found.items
        assert found.limit == 10
    finally:
        sender.client.close()


def test_tekore_models_need_fields_development_mode_removed(emulator, tekore_sender):
    """tekore 6.2 still requires ``popularity``: its track model fails on the
    development-mode answer, as it does against the real service."""
    credentials = tk.Credentials(
        emulator.client_id, emulator.client_secret, sender=tekore_sender
    )
    spotify = tk.Spotify(credentials.request_client_token(), sender=tekore_sender)
    track = next(iter(emulator.world.tracks.values()))
    with pytest.raises(pydantic.ValidationError, match="popularity"):
        spotify.track(track.id)
    tracks = spotify.album_tracks(track.album_id, limit=50)
    assert tracks.total == len(emulator.world.album_tracks[track.album_id])


def test_tekore_user_flow_meets_the_removed_path(emulator, tekore_sender):
    credentials = tk.Credentials(
        emulator.client_id,
        emulator.client_secret,
        redirect_uri=REDIRECT,
        sender=tekore_sender,
    )
    url = credentials.user_authorisation_url(scope="playlist-read-private")
    redirect = tekore_sender.client.get(
        url.replace("https://accounts.spotify.com", emulator.accounts_url)
    )
    query = dict(
        urllib.parse.parse_qsl(
            urllib.parse.urlsplit(redirect.headers["location"]).query
        )
    )
    token = credentials.request_user_token(query["code"])
    assert token.refresh_token
    spotify = tk.Spotify(token, sender=tekore_sender)
    assert spotify.current_user().id == "demo"
    playlists = spotify.followed_playlists(limit=50)
    owned = next(p for p in playlists.items if p.owner.id == "demo")
    # tekore still reads items through /playlists/{id}/tracks: 403 since Feb 2026
    with pytest.raises(tk.Forbidden):
        spotify.playlist_items(owned.id)
    # a refresh answer without a new refresh token keeps the old one
    refreshed = credentials.refresh_user_token(token.refresh_token)
    assert refreshed.access_token != token.access_token
    assert refreshed.refresh_token == token.refresh_token
