"""The world an emulator serves: catalog objects, users, playlists and libraries.

Everything is held in memory. It is built once from a catalog; writes through the
API (new playlists, item changes, library saves) change only this copy. Users and
their libraries are derived from the catalog and the seed, so equal inputs give
equal worlds.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import hashlib
import logging
import random
import threading
from collections import Counter
from collections.abc import Iterable, Mapping

from segue.catalog import Album, Artist, Catalog, Features, Track
from segue.catalog.ids import BASE62, derived_id, is_spotify_id

__all__ = [
    "DEMO_USER",
    "TIME_RANGES",
    "Entry",
    "Library",
    "PlaylistState",
    "User",
    "World",
]

logger = logging.getLogger("segue")

DEMO_USER = "demo"
TIME_RANGES = ("short_term", "medium_term", "long_term")
EPOCH = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
"""The world's "now": libraries and play histories are dated before it."""


def iso(moment: dt.datetime) -> str:
    """Spotify's timestamp format: ``2026-11-01T00:00:00Z``."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def make_id(*parts: object) -> str:
    """A Spotify-shaped id (22 base-62 characters) hashed from ``parts``."""
    key = "\x1f".join(str(p) for p in parts).encode()
    number = int.from_bytes(hashlib.blake2b(key, digest_size=17).digest())
    chars = []
    for _ in range(22):
        number, digit = divmod(number, 62)
        chars.append(BASE62[digit])
    return "".join(chars)


@dataclasses.dataclass(slots=True)
class Entry:
    """One playlist item: a track, when and by whom it was added."""

    track_id: str
    added_at: str | None
    added_by: str | None


@dataclasses.dataclass
class PlaylistState:
    """A playlist as the emulator holds it; changed in place by writes."""

    id: str
    name: str
    description: str | None
    owner_id: str
    public: bool
    collaborative: bool
    followers: int
    items: list[Entry]
    version: int = 0
    snapshot_id: str = ""

    def __post_init__(self) -> None:
        if not self.snapshot_id:
            self.touch(bump=False)

    def touch(self, *, bump: bool = True) -> None:
        """Give the playlist a new ``snapshot_id`` after a change."""
        if bump:
            self.version += 1
        self.snapshot_id = "AAAA" + make_id("snapshot", self.id, self.version) + "AAAA"


@dataclasses.dataclass
class User:
    """A Spotify user of the world."""

    id: str
    display_name: str
    country: str = "SE"
    product: str = "premium"
    followers: int = 0

    @property
    def account_id(self) -> str:
        """The pseudonymous, immutable account id (May 2026)."""
        return make_id("account", self.id)


@dataclasses.dataclass
class Library:
    """A user's library. Saved items map id -> ``added_at``, oldest first."""

    saved_tracks: dict[str, str]
    saved_albums: dict[str, str]
    followed_artists: set[str]
    followed_playlists: list[str]
    top_tracks: dict[str, list[str]]
    top_artists: dict[str, list[str]]
    recent: list[tuple[str, int]]
    """(track id, played_at in Unix ms), newest first."""


class World:
    """Everything an emulator serves, indexed for cheap answers.

    Build one with :meth:`from_catalog` or :meth:`synthetic`. Reads are lock-free;
    writes take :attr:`lock`.
    """

    def __init__(
        self,
        *,
        tracks: Iterable[Track],
        albums: Iterable[Album],
        artists: Iterable[Artist],
        playlists: Iterable[PlaylistState],
        users: Iterable[User],
        features: Iterable[Features] = (),
        follows: Mapping[str, Iterable[str]] | None = None,
        seed: int = 0,
    ) -> None:
        self.seed = seed
        self.follows = {u: list(p) for u, p in (follows or {}).items()}
        self.lock = threading.RLock()
        self.tracks: dict[str, Track] = {t.id: t for t in tracks}
        self.albums: dict[str, Album] = {a.id: a for a in albums}
        self.artists: dict[str, Artist] = {a.id: a for a in artists}
        self.playlists: dict[str, PlaylistState] = {p.id: p for p in playlists}
        self.users: dict[str, User] = {u.id: u for u in users}
        self.features: dict[str, Features] = {}
        for feature in features:
            self.features.setdefault(feature.track_id, feature)
        self._libraries: dict[str, Library] = {}
        self._created = 0
        self.by_owner: dict[str, list[str]] = {}
        for playlist in self.playlists.values():
            self.by_owner.setdefault(playlist.owner_id, []).append(playlist.id)
        self._index()

    # -- building -----------------------------------------------------------------

    def _index(self) -> None:
        """Album track lists, artist albums and tracks, ranked by popularity.

        Tracks whose album or artists the catalog lacks get stand-ins, so that
        every track renders as Spotify renders it.
        """
        for track in self.tracks.values():
            if track.album_id is None or track.album_id not in self.albums:
                album_id = track.album_id or make_id("album", track.id)
                track.album_id = album_id
                self.albums[album_id] = Album(
                    id=album_id,
                    name=track.name,
                    artist_ids=track.artist_ids[:1],
                    album_type="single",
                )
            for artist_id in track.artist_ids:
                if artist_id not in self.artists:
                    self.artists[artist_id] = Artist(id=artist_id, name=artist_id)
        for album in self.albums.values():
            for artist_id in album.artist_ids:
                if artist_id not in self.artists:
                    self.artists[artist_id] = Artist(id=artist_id, name=artist_id)
        self.album_tracks: dict[str, list[str]] = {a: [] for a in self.albums}
        self.artist_albums: dict[str, list[str]] = {a: [] for a in self.artists}
        self.artist_tracks: dict[str, list[str]] = {a: [] for a in self.artists}
        for track in self.tracks.values():
            if track.album_id is not None and track.album_id in self.album_tracks:
                self.album_tracks[track.album_id].append(track.id)
            for artist_id in track.artist_ids:
                if artist_id in self.artist_tracks:
                    self.artist_tracks[artist_id].append(track.id)
        for album_id, track_ids in self.album_tracks.items():
            track_ids.sort(
                key=lambda t: (
                    self.tracks[t].disc_number or 1,
                    self.tracks[t].track_number or 0,
                    t,
                )
            )
            for artist_id in self.albums[album_id].artist_ids:
                if artist_id in self.artist_albums:
                    self.artist_albums[artist_id].append(album_id)
        for album_ids in self.artist_albums.values():
            album_ids.sort(
                key=lambda a: (self.albums[a].release_date or "", a), reverse=True
            )
        for track_ids in self.artist_tracks.values():
            track_ids.sort(key=lambda t: (-(self.tracks[t].popularity or 0), t))

    @classmethod
    def from_catalog(
        cls,
        catalog: Catalog,
        *,
        seed: int = 0,
        demo_user: str = DEMO_USER,
        owned: int = 3,
        followed: int = 3,
    ) -> World:
        """Build a world from a catalog.

        Parameters
        ----------
        catalog
            The catalog to serve; read once, never written.
        seed
            Chooses the demo user's playlists and derives every library.
        demo_user
            Id of the allow-listed test user, who owns ``owned`` playlists and
            follows ``followed`` others (fewer when the catalog has fewer).
        """
        tracks = list(catalog.iter_tracks())
        known = {t.id for t in tracks}
        playlists: list[PlaylistState] = []
        users: dict[str, User] = {}
        owners = 0
        for record in catalog.iter_playlists(items=True):
            pid = (
                record.id
                if is_spotify_id(record.id)
                else derived_id("playlist", record.id)
            )
            owner = record.owner_id
            if not owner:
                owner = f"user{owners % 97}"
                owners += 1
            if owner not in users:
                users[owner] = User(owner, record.owner_name or owner)
            items = [
                Entry(
                    i.track_id,
                    iso(i.added_at.replace(tzinfo=dt.UTC))
                    if i.added_at is not None
                    else None,
                    i.added_by or owner,
                )
                for i in record.items or ()
                if i.track_id in known
            ]
            playlists.append(
                PlaylistState(
                    id=pid,
                    name=record.name or "",
                    description=record.description,
                    owner_id=owner,
                    public=True if record.public is None else record.public,
                    collaborative=bool(record.collaborative),
                    followers=record.followers or 0,
                    items=items,
                )
            )
        playlists.sort(key=lambda p: p.id)
        rng = random.Random(seed)
        chosen = rng.sample(
            range(len(playlists)), min(len(playlists), owned + followed)
        )
        users[demo_user] = User(demo_user, "Demo User", followers=3)
        for index in chosen[:owned]:
            playlists[index].owner_id = demo_user
            for entry in playlists[index].items:
                entry.added_by = demo_user
        world = cls(
            tracks=tracks,
            albums=catalog.iter_albums(),
            artists=catalog.iter_artists(),
            playlists=playlists,
            users=sorted(users.values(), key=lambda u: (u.id != demo_user, u.id)),
            features=catalog.iter_features(),
            follows={demo_user: [playlists[i].id for i in chosen[owned:]]},
            seed=seed,
        )
        logger.info(
            "emulator world: %d tracks, %d albums, %d artists, %d playlists, %d users",
            len(world.tracks),
            len(world.albums),
            len(world.artists),
            len(world.playlists),
            len(world.users),
        )
        return world

    @classmethod
    def synthetic(cls, playlists: int = 50, *, seed: int = 0) -> World:
        """A seeded synthetic world of about ``playlists`` playlists.

        Built by :mod:`segue.catalog.synth`.
        """
        from segue.catalog.synth import SynthConfig, generate

        catalog = Catalog(":memory:")
        try:
            generate(SynthConfig(playlists=playlists, seed=seed)).write_catalog(
                catalog, source="synthetic"
            )
            return cls.from_catalog(catalog, seed=seed)
        finally:
            catalog.close()

    def clone(self) -> World:
        """A copy whose writes leave this world alone (catalog objects are shared)."""
        world = World(
            tracks=self.tracks.values(),
            albums=self.albums.values(),
            artists=self.artists.values(),
            playlists=[
                dataclasses.replace(p, items=[dataclasses.replace(e) for e in p.items])
                for p in self.playlists.values()
            ],
            users=[dataclasses.replace(u) for u in self.users.values()],
            features=self.features.values(),
            follows=self.follows,
            seed=self.seed,
        )
        with self.lock:
            world._libraries = copy.deepcopy(self._libraries)
            world._created = self._created
        return world

    # -- users and libraries ------------------------------------------------------

    def allowed_users(self, limit: int) -> list[str]:
        """The development-mode allow-list: the demo user first, then by id."""
        return list(self.users)[:limit]

    def library(self, user_id: str) -> Library:
        """The library of a user, derived on first use from the user's playlists."""
        with self.lock:
            library = self._libraries.get(user_id)
            if library is None:
                library = self._derive_library(user_id)
                self._libraries[user_id] = library
            return library

    def _derive_library(self, user_id: str) -> Library:
        rng = random.Random(f"{self.seed}/{user_id}")
        pool = [
            e.track_id
            for p in self.playlists.values()
            if p.owner_id == user_id
            for e in p.items
        ]
        if not pool and self.tracks:
            pool = rng.sample(sorted(self.tracks), min(len(self.tracks), 60))
        counts = Counter(pool)
        distinct = sorted(counts, key=lambda t: (-counts[t], t))
        saved_ids = rng.sample(distinct, min(len(distinct), 30))
        saved = {
            t: iso(EPOCH - dt.timedelta(days=3 * (len(saved_ids) - i)))
            for i, t in enumerate(saved_ids)
        }
        album_ids = list(
            dict.fromkeys(
                a
                for t in saved_ids
                if (a := self.tracks[t].album_id) is not None and a in self.albums
            )
        )[:10]
        albums = {
            a: iso(EPOCH - dt.timedelta(days=5 * (len(album_ids) - i)))
            for i, a in enumerate(album_ids)
        }
        artist_counts = Counter(a for t in pool for a in self.tracks[t].artist_ids)
        ranked_artists = [
            a
            for a in sorted(artist_counts, key=lambda a: (-artist_counts[a], a))
            if a in self.artists
        ]
        top_tracks: dict[str, list[str]] = {}
        top_artists: dict[str, list[str]] = {}
        for time_range in TIME_RANGES:
            shuffled = distinct[:]
            rng.shuffle(shuffled)
            top_tracks[time_range] = shuffled[:50]
            artists = ranked_artists[:]
            if time_range != "long_term":
                rng.shuffle(artists)
            top_artists[time_range] = artists[:50]
        now_ms = int(EPOCH.timestamp() * 1000)
        recent = []
        played = now_ms
        for _ in range(min(50, len(pool) * 2)):
            played -= rng.randint(150_000, 400_000)
            recent.append((rng.choice(pool), played))
        return Library(
            saved_tracks=saved,
            saved_albums=albums,
            followed_artists=set(ranked_artists[:20]),
            followed_playlists=list(self.follows.get(user_id, ())),
            top_tracks=top_tracks,
            top_artists=top_artists,
            recent=recent,
        )

    # -- writes -------------------------------------------------------------------

    def create_playlist(
        self,
        owner_id: str,
        name: str,
        *,
        description: str | None = None,
        public: bool = True,
        collaborative: bool = False,
    ) -> PlaylistState:
        """Create an empty playlist owned by ``owner_id``."""
        with self.lock:
            self._created += 1
            playlist = PlaylistState(
                id=make_id("created", self.seed, owner_id, self._created),
                name=name,
                description=description,
                owner_id=owner_id,
                public=public,
                collaborative=collaborative,
                followers=0,
                items=[],
            )
            self.playlists[playlist.id] = playlist
            self.by_owner.setdefault(owner_id, []).append(playlist.id)
            return playlist
