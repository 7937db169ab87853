"""A small seeded catalog for tests, used when ``segue.catalog.synth`` is absent."""

from __future__ import annotations

import datetime as dt
import random

from segue.catalog import (
    Album,
    Artist,
    Features,
    Playlist,
    PlaylistItem,
    Track,
)

__all__ = ["sample_records"]

Record = Artist | Album | Track | Playlist | Features

_WORDS = [
    "blue",
    "night",
    "river",
    "fire",
    "golden",
    "summer",
    "echo",
    "stone",
    "wild",
    "heart",
    "neon",
    "rain",
    "silver",
    "light",
    "dream",
    "city",
    "ocean",
    "shadow",
    "velvet",
    "thunder",
    "morning",
    "glass",
]
_GENRES = ("pop", "rock", "indie", "jazz", "techno", "folk", "soul", "hip hop")


def _name(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS).capitalize() for _ in range(words))


def _id(rng: random.Random) -> str:
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    return "".join(rng.choice(alphabet) for _ in range(22))


def sample_records(playlists: int = 20, *, seed: int = 0) -> list[Record]:
    """Artists, albums, tracks, features and playlists of a small world.

    About ``playlists`` playlists of 5 to 40 tracks, owned by ``user0`` to
    ``user7``, over ``4 * playlists + 20`` tracks.
    """
    rng = random.Random(seed)
    records: list[Record] = []
    artists = [
        Artist(
            id=_id(rng),
            name=_name(rng, 2),
            genres=rng.sample(_GENRES, 2),
            popularity=rng.randint(0, 100),
            followers=rng.randint(0, 10**6),
        )
        for _ in range(max(4, playlists // 2 + 3))
    ]
    records += artists
    tracks: list[Track] = []
    n_albums = max(3, playlists + 5)
    for a in range(n_albums):
        artist = artists[a % len(artists)]
        year = 1960 + rng.randint(0, 65)
        album = Album(
            id=_id(rng),
            name=_name(rng, rng.randint(1, 3)),
            artist_ids=[artist.id],
            album_type=rng.choice(("album", "album", "single", "compilation")),
            release_date=f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            release_date_precision="day",
            total_tracks=4,
            upc=f"{rng.randint(0, 10**12 - 1):012d}",
            label=_name(rng, 1) + " Records",
            popularity=rng.randint(0, 100),
        )
        records.append(album)
        for number in range(1, 5):
            extra = [rng.choice(artists).id] if rng.random() < 0.2 else []
            tracks.append(
                Track(
                    id=_id(rng),
                    name=_name(rng, rng.randint(1, 4)),
                    artist_ids=[artist.id, *(x for x in extra if x != artist.id)],
                    album_id=album.id,
                    duration_ms=rng.randint(120_000, 360_000),
                    explicit=rng.random() < 0.1,
                    isrc=f"US{rng.choice('ABCDEFGH')}{rng.randint(10, 99)}"
                    f"{year % 100:02d}{rng.randint(0, 99999):05d}",
                    disc_number=1,
                    track_number=number,
                    popularity=rng.randint(0, 100),
                )
            )
    records += tracks
    for track in tracks:
        records.append(
            Features(
                track_id=track.id,
                source="sample",
                danceability=round(rng.random(), 4),
                energy=round(rng.random(), 4),
                key=rng.randint(0, 11),
                loudness=round(rng.uniform(-20, 0), 3),
                mode=rng.randint(0, 1),
                speechiness=round(rng.random(), 4),
                acousticness=round(rng.random(), 4),
                instrumentalness=round(rng.random(), 4),
                liveness=round(rng.random(), 4),
                valence=round(rng.random(), 4),
                tempo=round(rng.uniform(60, 180), 3),
                time_signature=4,
            )
        )
    start = dt.datetime(2025, 1, 1)
    for p in range(playlists):
        owner = f"user{p % 8}"
        chosen = rng.sample(tracks, min(len(tracks), rng.randint(5, 40)))
        records.append(
            Playlist(
                id=_id(rng),
                source="sample",
                name=_name(rng, rng.randint(1, 3)),
                description=None,
                owner_id=owner,
                owner_name=f"User {p % 8}",
                followers=rng.randint(0, 1000),
                collaborative=p % 7 == 3,
                public=p % 5 != 4,
                items=[
                    PlaylistItem(
                        position=i,
                        track_id=t.id,
                        added_at=start + dt.timedelta(hours=p * 10 + i),
                        added_by=owner,
                    )
                    for i, t in enumerate(chosen)
                ],
            )
        )
    return records
