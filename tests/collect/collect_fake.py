"""A fake Web API client for the collector's unit tests: a small seeded world.

:class:`FakeWorld` holds what a user has; :class:`FakeSource` answers the collector's
page-level calls from it like a development-mode app (multi-gets and audio features
403, other users' playlist items 403), counts requests per path, and can crash at the
N-th request the way a killed process would.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import random
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from segue import spotify as s

ME = "me"
_LOCK = threading.Lock()  # the collector reads playlists from several threads


class Crash(BaseException):
    """Raised by the fake at a chosen request: the process 'dies' there."""


def _id(prefix: str, n: int) -> str:
    text = f"{prefix}{n}"
    return text + "x" * (22 - len(text))


@dataclasses.dataclass
class FakeWorld:
    """What the user has: playlists, library, and the catalogue behind them."""

    tracks: dict[str, s.Track]
    albums: dict[str, s.Album]
    artists: dict[str, s.Artist]
    playlists: dict[str, s.Playlist]
    items: dict[str, list[s.PlaylistItem]]
    saved_tracks: list[s.SavedTrack]
    saved_albums: list[s.SavedAlbum]
    top_tracks: dict[str, list[s.Track]]
    top_artists: dict[str, list[s.Artist]]
    recent: list[s.PlayHistory]
    followed: list[s.Artist]

    def readable_playlists(self) -> list[str]:
        """Playlists whose items the user may read (own or collaborative)."""
        return [
            p.id
            for p in self.playlists.values()
            if p.collaborative or (p.owner is not None and p.owner.id == ME)
        ]


def make_world(
    seed: int = 7,
    *,
    n_artists: int = 12,
    n_albums: int = 20,
    n_tracks: int = 90,
    n_playlists: int = 6,
) -> FakeWorld:
    """A seeded world; some tracks lack an ISRC in lists (hydration must fetch)."""
    rng = random.Random(seed)
    artists = {
        _id("ar", i): s.Artist(
            id=_id("ar", i),
            name=f"Artist {i}",
            uri=f"spotify:artist:{_id('ar', i)}",
            genres=[f"genre{i % 3}"],
        )
        for i in range(n_artists)
    }
    artist_ids = list(artists)
    albums: dict[str, s.Album] = {}
    for i in range(n_albums):
        aid = _id("al", i)
        main = artist_ids[i % n_artists]
        albums[aid] = s.Album(
            id=aid,
            name=f"Album {i}",
            uri=f"spotify:album:{aid}",
            album_type="album",
            release_date=f"{1990 + i}-01-01",
            release_date_precision="day",
            total_tracks=10,
            artists=[s.SimplifiedArtist(id=main, name=artists[main].name)],
            external_ids=s.ExternalIds(upc=f"UPC{i:06d}"),
            label=f"Label {i % 4}",
        )
    album_ids = list(albums)
    tracks: dict[str, s.Track] = {}
    for i in range(n_tracks):
        tid = _id("tr", i)
        album = albums[album_ids[i % n_albums]]
        names = [album.artists[0].id or ""]
        if i % 5 == 0:
            names.append(artist_ids[(i + 3) % n_artists])
        tracks[tid] = s.Track(
            id=tid,
            name=f"Track {i}",
            uri=f"spotify:track:{tid}",
            album=s.SimplifiedAlbum(
                id=album.id,
                name=album.name,
                artists=[
                    s.SimplifiedArtist(id=a.id, name=a.name) for a in album.artists
                ],
            ),
            artists=[s.SimplifiedArtist(id=a, name=artists[a].name) for a in names],
            duration_ms=180_000 + i,
            external_ids=s.ExternalIds(isrc=f"ISRC{i:08d}"),
            track_number=i % 10 + 1,
        )
    track_ids = list(tracks)
    playlists: dict[str, s.Playlist] = {}
    items: dict[str, list[s.PlaylistItem]] = {}
    base = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    for i in range(n_playlists):
        pid = _id("pl", i)
        owner = ME if i % 3 != 2 else "someone"
        collaborative = i == 5
        size = rng.randint(0 if i == 1 else 20, 70)
        chosen = [rng.choice(track_ids) for _ in range(size)]
        items[pid] = [
            s.PlaylistItem(
                added_at=base + dt.timedelta(days=k),
                added_by=s.PublicUser(id=owner),
                item=_listed(tracks[t], drop_isrc=k % 4 == 0),
            )
            for k, t in enumerate(chosen)
        ]
        playlists[pid] = s.Playlist(
            id=pid,
            name=f"Playlist {i}",
            snapshot_id=f"snap-{pid}-1",
            owner=s.PublicUser(id=owner, display_name=owner.title()),
            collaborative=collaborative,
            public=True,
        )
    return FakeWorld(
        tracks=tracks,
        albums=albums,
        artists=artists,
        playlists=playlists,
        items=items,
        saved_tracks=[
            s.SavedTrack(track=tracks[t], added_at=base + dt.timedelta(hours=k))
            for k, t in enumerate(rng.sample(track_ids, 55))
        ],
        saved_albums=[
            s.SavedAlbum(album=albums[a], added_at=base + dt.timedelta(hours=k))
            for k, a in enumerate(rng.sample(album_ids, 7))
        ],
        top_tracks={
            r: [tracks[t] for t in rng.sample(track_ids, 20 + 10 * k)]
            for k, r in enumerate(("short_term", "medium_term", "long_term"))
        },
        top_artists={
            r: [artists[a] for a in rng.sample(artist_ids, 5 + k)]
            for k, r in enumerate(("short_term", "medium_term", "long_term"))
        },
        recent=[
            s.PlayHistory(
                track=tracks[rng.choice(track_ids)],
                played_at=base + dt.timedelta(minutes=1000 - 3 * k),
            )
            for k in range(70)
        ],
        followed=[artists[a] for a in sorted(rng.sample(artist_ids, 9))],
    )


def _listed(track: s.Track, *, drop_isrc: bool) -> s.Track:
    if not drop_isrc:
        return track
    return s.Track(
        id=track.id,
        name=track.name,
        uri=track.uri,
        album=track.album,
        artists=track.artists,
        duration_ms=track.duration_ms,
        track_number=track.track_number,
    )


def _page(items: list[Any], offset: int, limit: int) -> s.Paging[Any]:
    chunk = items[offset : offset + limit]
    more = offset + limit < len(items)
    return s.Paging(
        items=chunk,
        total=len(items),
        limit=limit,
        offset=offset,
        next=f"next?offset={offset + limit}" if more else None,
    )


class FakeSource:
    """Answers like a development-mode app; see the module docstring.

    Parameters
    ----------
    world
        What to serve.
    crash_at
        Raise :class:`Crash` instead of answering the request with this 1-based
        number (counted across every fake sharing ``counter``).
    counter
        Requests per path, shared between fakes of one 'process'.
    features
        Whether ``/audio-features`` answers (an extended-quota app) or 403s.
    """

    def __init__(
        self,
        world: FakeWorld,
        *,
        crash_at: int | None = None,
        counter: collections.Counter[str] | None = None,
        features: bool = False,
        page_size: int = 20,
    ) -> None:
        self.world = world
        self.crash_at = crash_at
        self.counter: collections.Counter[str] = (
            counter if counter is not None else collections.Counter()
        )
        self.features = features
        self.size = page_size
        self.stats = s.Stats()
        self.closed = False

    def _hit(self, path: str) -> None:
        with _LOCK:
            total = sum(self.counter.values()) + 1
            if self.crash_at is not None and total >= self.crash_at:
                raise Crash(path)
            self.counter[path] += 1
            self.stats.requests += 1

    def close(self) -> None:
        self.closed = True

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, object] | None = None,
        json: Any = None,
    ) -> Any:
        self._hit(path)
        raise s.Forbidden(403, "multi-get refused", method=method, url=path)

    def me(self) -> s.PrivateUser:
        self._hit("/me")
        return s.PrivateUser(id=ME)

    def my_playlists(
        self, *, limit: int | None = None, offset: int = 0
    ) -> s.Paging[s.SimplifiedPlaylist]:
        self._hit("/me/playlists")
        listed = [
            s.SimplifiedPlaylist(
                id=p.id,
                name=p.name,
                snapshot_id=p.snapshot_id,
                owner=p.owner,
                collaborative=p.collaborative,
                public=p.public,
                items=s.PlaylistItemsRef(total=len(self.world.items[p.id])),
            )
            for p in self.world.playlists.values()
        ]
        return _page(listed, offset, limit or 4)

    def playlist(
        self, playlist: str, *, market: str | None = None, fields: str | None = None
    ) -> s.Playlist:
        self._hit("/playlists/{id}")
        meta = self.world.playlists.get(playlist)
        if meta is None:
            raise s.NotFound(404, "no such playlist", method="GET", url=playlist)
        readable = playlist in self.world.readable_playlists()
        first = _page(self.world.items[playlist], 0, 100) if readable else None
        return s.Playlist(
            id=meta.id,
            name=meta.name,
            snapshot_id=meta.snapshot_id,
            owner=meta.owner,
            collaborative=meta.collaborative,
            public=meta.public,
            items=first,
        )

    def playlist_items(
        self,
        playlist: str,
        *,
        limit: int | None = None,
        offset: int = 0,
        market: str | None = None,
    ) -> s.Paging[s.PlaylistItem]:
        self._hit("/playlists/{id}/items")
        if playlist not in self.world.readable_playlists():
            raise s.Forbidden(403, "not yours", method="GET", url=playlist)
        return _page(self.world.items[playlist], offset, limit or self.size)

    def saved_tracks(
        self, *, limit: int | None = None, offset: int = 0, market: str | None = None
    ) -> s.Paging[s.SavedTrack]:
        self._hit("/me/tracks")
        return _page(self.world.saved_tracks, offset, limit or self.size)

    def saved_albums(
        self, *, limit: int | None = None, offset: int = 0, market: str | None = None
    ) -> s.Paging[s.SavedAlbum]:
        self._hit("/me/albums")
        return _page(self.world.saved_albums, offset, limit or self.size)

    def top_tracks(
        self,
        time_range: str = "medium_term",
        *,
        limit: int | None = None,
        offset: int = 0,
    ) -> s.Paging[s.Track]:
        self._hit("/me/top/tracks")
        return _page(self.world.top_tracks[time_range], offset, limit or self.size)

    def top_artists(
        self,
        time_range: str = "medium_term",
        *,
        limit: int | None = None,
        offset: int = 0,
    ) -> s.Paging[s.Artist]:
        self._hit("/me/top/artists")
        return _page(self.world.top_artists[time_range], offset, limit or 4)

    def recently_played(
        self,
        *,
        limit: int | None = None,
        after: int | None = None,
        before: int | None = None,
    ) -> s.CursorPaging[s.PlayHistory]:
        self._hit("/me/player/recently-played")
        size = limit or self.size
        plays = self.world.recent
        if before is not None:
            plays = [
                p
                for p in plays
                if p.played_at is not None and _ms(p.played_at) < before
            ]
        chunk = plays[:size]
        more = len(plays) > size
        mark = str(_ms(chunk[-1].played_at)) if chunk and chunk[-1].played_at else None
        return s.CursorPaging(
            items=chunk,
            limit=size,
            next="next" if more else None,
            cursors=s.Cursors(before=mark) if chunk else None,
        )

    def followed_artists(
        self, *, limit: int | None = None, after: str | None = None
    ) -> s.CursorPaging[s.Artist]:
        self._hit("/me/following")
        size = limit or 4
        artists = [a for a in self.world.followed if after is None or a.id > after]
        chunk = artists[:size]
        more = len(artists) > size
        return s.CursorPaging(
            items=chunk,
            limit=size,
            next="next" if more else None,
            cursors=s.Cursors(after=chunk[-1].id if more else None),
            total=len(self.world.followed),
        )

    def _singles(self, path: str, table: Mapping[str, Any], ids: Iterable[str]) -> Any:
        out = []
        for i in ids:
            self._hit(path)
            out.append(table.get(i))
        return out

    def tracks(
        self, tracks: Iterable[str], *, market: str | None = None
    ) -> list[s.Track | None]:
        return list(self._singles("/tracks/{id}", self.world.tracks, tracks))

    def albums(
        self, albums: Iterable[str], *, market: str | None = None
    ) -> list[s.Album | None]:
        return list(self._singles("/albums/{id}", self.world.albums, albums))

    def artists(self, artists: Iterable[str]) -> list[s.Artist | None]:
        return list(self._singles("/artists/{id}", self.world.artists, artists))

    def audio_features(self, tracks: Iterable[str]) -> list[s.AudioFeatures | None]:
        self._hit("/audio-features")
        if not self.features:
            raise s.EndpointUnavailable("audio_features", "none")
        return [
            s.AudioFeatures(id=t, danceability=0.5, tempo=120.0)
            if t in self.world.tracks
            else None
            for t in tracks
        ]


def _ms(when: dt.datetime | None) -> int:
    assert when is not None
    return int(when.timestamp() * 1000)
