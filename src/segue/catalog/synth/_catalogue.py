"""Artists, albums and original tracks of a synthetic world, with their sound."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from segue.catalog.synth._names import (
    album_titles,
    artist_names,
    song_titles,
    unique_within,
)
from segue.catalog.synth._scenes import Scene

__all__ = ["Draft", "build_catalogue", "draw_features"]

Array = npt.NDArray[Any]

_ALBUM_SIZES = np.array([1, 3, 5, 8, 10, 12, 14])
_ALBUM_SIZE_P = np.array([0.2, 0.1, 0.15, 0.15, 0.15, 0.15, 0.1])
_LAST_YEAR = 2017


@dataclass
class Draft:
    """Columns of a world under construction; see :class:`World` for meanings."""

    scenes: tuple[Scene, ...]
    artist: dict[str, Array] = field(default_factory=dict)
    album: dict[str, Array] = field(default_factory=dict)
    track: dict[str, Array] = field(default_factory=dict)


def build_catalogue(
    scenes: tuple[Scene, ...], n_artists: int, n_tracks: int, rng: np.random.Generator
) -> Draft:
    """Draw artists with power-law weights, their albums and original tracks.

    Tracks come out sorted by artist, then album, then track number, so that an
    album's tracks are contiguous.
    """
    draft = Draft(scenes)
    n_scenes = len(scenes)

    # artists: a main scene each, power-law weight, career start
    share = rng.dirichlet(np.full(n_scenes, 4.0))
    scene = rng.choice(n_scenes, size=n_artists, p=share).astype(np.int32)
    scene[: min(n_scenes, n_artists)] = np.arange(min(n_scenes, n_artists))
    weight = (rng.permutation(n_artists) + 1.0) ** -0.9
    prefixes = np.asarray(
        [p for s in scenes for p in (s.prefixes or ("",))], dtype=object
    )
    counts = np.asarray([len(s.prefixes or ("",)) for s in scenes])
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    prefix = prefixes[
        starts[scene] + (rng.random(n_artists) * counts[scene]).astype(int)
    ]
    years = np.asarray([s.year for s in scenes])
    debut = np.clip(np.round(rng.normal(years[scene], 7.0)), 1950, _LAST_YEAR)
    draft.artist = {
        "name": artist_names(rng, prefix, n_artists),
        "scene": scene,
        "weight": weight,
        "debut": debut.astype(np.int32),
    }

    # tracks per artist: one each, the rest drawn by popularity
    tracks_per = 1 + rng.multinomial(
        n_tracks - n_artists, weight**0.5 / np.sum(weight**0.5)
    )
    artist = np.repeat(np.arange(n_artists, dtype=np.int32), tracks_per)
    first = np.concatenate([[0], np.cumsum(tracks_per)[:-1]])
    draft.artist["start"] = first.astype(np.int64)
    draft.artist["count"] = tracks_per.astype(np.int64)
    k = np.arange(n_tracks) - first[artist]

    # albums: consecutive chunks of each artist's tracks
    size = rng.choice(_ALBUM_SIZES, size=n_artists, p=_ALBUM_SIZE_P)
    local = k // size[artist]
    boundary = np.ones(n_tracks, dtype=bool)
    boundary[1:] = (artist[1:] != artist[:-1]) | (local[1:] != local[:-1])
    album = (np.cumsum(boundary) - 1).astype(np.int32)
    n_albums = int(album[-1]) + 1
    album_artist = artist[boundary]
    album_local = local[boundary]
    year = np.minimum(
        debut[album_artist] + album_local * rng.integers(1, 4, n_albums), _LAST_YEAR
    ).astype(np.int32)
    total = np.bincount(album, minlength=n_albums).astype(np.int32)
    number = (k % size[artist] + 1).astype(np.int32)

    titles = unique_within(artist.astype(np.int64), song_titles(rng, n_tracks))
    style = rng.random(n_albums)
    album_name = np.where(
        style < 0.1,
        draft.artist["name"][album_artist],
        np.where(
            style < 0.4,
            titles[boundary],
            album_titles(rng, n_albums),
        ),
    )
    album_name = np.where(total == 1, titles[boundary], album_name)
    draft.album = {
        "name": np.asarray(album_name, dtype=object),
        "artist": album_artist.astype(np.int32),
        "year": year,
        "month": rng.integers(1, 13, n_albums).astype(np.int32),
        "day": rng.integers(1, 29, n_albums).astype(np.int32),
        "type": np.where(total <= 3, "single", "album").astype(object),
        "total": total,
    }

    # tracks: weight within the artist, sound of the scene and artist
    boost = np.where(number == 1, 1.5, 1.0)
    track_scene = scene[artist]
    seconds = np.asarray([s.seconds for s in scenes])[track_scene]
    explicit = np.asarray([s.explicit for s in scenes])[track_scene]
    draft.track = {
        "name": titles,
        "artist": artist,
        "featured": np.full(n_tracks, -1, dtype=np.int32),
        "album": album,
        "number": number,
        "scene": track_scene,
        "weight": weight[artist] * rng.lognormal(0.0, 1.0, n_tracks) * boost,
        "duration": np.round(seconds * rng.lognormal(0.0, 0.22, n_tracks) * 1000),
        "explicit": rng.random(n_tracks) < explicit,
        "features": draw_features(scenes, scene, artist, rng),
        "family": np.full(n_tracks, -1, dtype=np.int32),
        "version": np.full(n_tracks, "original", dtype=object),
        "origin": np.full(n_tracks, -1, dtype=np.int64),
    }
    return draft


def draw_features(
    scenes: tuple[Scene, ...],
    artist_scene: npt.NDArray[np.int32],
    track_artist: npt.NDArray[np.int32],
    rng: np.random.Generator,
) -> npt.NDArray[np.float32]:
    """Draw audio features around each scene's mean, shifted per artist.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_tracks, 12)``, float32, in ``FEATURE_NAMES`` order.
    """
    n = len(track_artist)
    means = np.asarray([s.features for s in scenes], dtype=np.float64)
    scene = artist_scene[track_artist]
    shift = rng.normal(0.0, 0.06, (len(artist_scene), 6))[track_artist]
    unit = np.clip(means[scene, :6] + shift, 0.01, 0.99)
    drawn = rng.beta(unit * 9.0, (1.0 - unit) * 9.0)
    out = np.empty((n, 12), dtype=np.float32)
    out[:, 0] = drawn[:, 0]  # danceability
    out[:, 1] = drawn[:, 1]  # energy
    out[:, 2] = rng.integers(0, 12, n)  # key
    out[:, 3] = np.clip(rng.normal(means[scene, 6], 2.5), -45.0, 0.0)  # loudness
    major = np.asarray([s.major for s in scenes])[scene]
    out[:, 4] = rng.random(n) < major  # mode
    out[:, 5] = drawn[:, 2]  # speechiness
    out[:, 6] = drawn[:, 3]  # acousticness
    out[:, 7] = drawn[:, 4]  # instrumentalness
    out[:, 8] = rng.beta(1.5, 8.0, n)  # liveness
    out[:, 9] = drawn[:, 5]  # valence
    out[:, 10] = np.clip(rng.normal(means[scene, 7], 12.0), 50.0, 210.0)  # tempo
    out[:, 11] = rng.choice([4, 3, 5, 1], size=n, p=[0.91, 0.07, 0.015, 0.005])
    return out
