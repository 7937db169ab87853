"""Draw a :class:`World` from a :class:`SynthConfig`."""

from __future__ import annotations

import logging
import time
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.special import ndtri

from segue.catalog.synth._catalogue import Draft, build_catalogue
from segue.catalog.synth._config import SynthConfig
from segue.catalog.synth._names import base62_ids, pick, playlist_titles
from segue.catalog.synth._playlists import PlaylistDraw, draw_playlists
from segue.catalog.synth._scenes import scene_table
from segue.catalog.synth._versions import SAME_RECORDING, plant_versions
from segue.catalog.synth._world import World

__all__ = ["generate"]

log = logging.getLogger("segue")

Array = npt.NDArray[Any]

_ALNUM = np.asarray(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"), dtype=object)
_FIRST_DAY = 1293840000  # 2011-01-01, the MPD's playlists were edited 2011-2017
_LAST_DAY = 1509494399  # 2017-10-31
_DESCRIPTIONS = ("songs for {}", "my favorite {} tracks", "the best of {}", "{} mix")


def generate(config: SynthConfig | None = None) -> World:
    """Draw a world: a catalogue of artists, albums and tracks, and playlists.

    Parameters
    ----------
    config
        Size, shape and seed; the defaults when None.

    Returns
    -------
    World
        Equal configurations give equal worlds.
    """
    cfg = SynthConfig() if config is None else config
    t0 = time.perf_counter()
    streams = np.random.SeedSequence(cfg.seed).spawn(5)
    rng_cat, rng_ver, rng_ids, rng_meta, rng_items = (
        np.random.default_rng(s) for s in streams
    )
    scenes = scene_table(cfg.scenes)

    # catalogue
    n_versions = cfg.n_versions
    draft = build_catalogue(scenes, cfg.n_artists, cfg.n_tracks - n_versions, rng_cat)
    plant_versions(draft, n_versions, rng_ver)
    tr, al, ar = draft.track, draft.album, draft.artist
    n_tracks, n_albums, n_artists = len(tr["name"]), len(al["name"]), len(ar["name"])

    # playlists
    n = cfg.playlists
    share = np.bincount(ar["scene"], minlength=len(scenes)) / n_artists
    scene = rng_meta.choice(len(scenes), size=n, p=share).astype(np.int32)
    mixed = rng_meta.random(n) < cfg.mix_share if len(scenes) > 1 else np.zeros(n, bool)
    second = (scene + 1 + rng_meta.integers(0, max(1, len(scenes) - 1), n)) % len(
        scenes
    )
    second = np.where(mixed, second, -1).astype(np.int32)
    mix = np.where(mixed, rng_meta.uniform(0.2, 0.5, n), 0.0)
    sigma = 0.8
    mu = _log_mean(cfg.mean_length, sigma, cfg.min_length, cfg.max_length)
    lengths = np.clip(
        np.round(rng_meta.lognormal(mu, sigma, n)), cfg.min_length, cfg.max_length
    ).astype(np.int64)
    lengths = np.minimum(lengths, n_tracks)
    sampler = PlaylistDraw(tr["scene"], tr["weight"], len(scenes))
    indptr, items = draw_playlists(
        lengths=lengths,
        scene=scene,
        second=second,
        mix=mix,
        sampler=sampler,
        track_album=tr["album"],
        track_artist=tr["artist"],
        artist_start=ar["start"],
        artist_count=ar["count"],
        run_share=cfg.run_share,
        rng=rng_items,
    )
    kept = np.diff(indptr)

    # popularity from weight and plays
    plays = np.bincount(items, minlength=n_tracks)
    track_pop = _popularity(np.log(tr["weight"]) + 0.5 * np.log1p(plays), 85.0)
    artist_plays = np.bincount(tr["artist"], weights=tr["weight"], minlength=n_artists)
    artist_pop = _popularity(np.log(artist_plays), 92.0)
    followers = np.round(10 ** (artist_pop / 20.0 + rng_meta.normal(0, 0.3, n_artists)))

    pids = np.arange(n, dtype=np.int64)
    titles = playlist_titles(rng_meta, [s.words for s in scenes], scene)
    described = rng_meta.random(n) < 0.04
    templates = pick(rng_meta, _DESCRIPTIONS, n)
    scene_names = np.asarray([s.name for s in scenes], dtype=object)
    descriptions = np.full(n, None, dtype=object)
    for template in _DESCRIPTIONS:
        mask = described & (templates == template)
        head, tail = template.split("{}")
        descriptions[mask] = head + scene_names[scene[mask]] + tail

    world = World(
        config=cfg,
        scene_names=scene_names,
        scene_words=[list(s.words) for s in scenes],
        artist_ids=base62_ids(rng_ids, n_artists),
        artist_names=ar["name"],
        artist_scene=ar["scene"].astype(np.int32),
        artist_popularity=artist_pop,
        artist_followers=followers.astype(np.int64),
        album_ids=base62_ids(rng_ids, n_albums),
        album_names=al["name"],
        album_artist=al["artist"].astype(np.int32),
        album_release_date=_dates(al),
        album_type=al["type"],
        album_total_tracks=al["total"].astype(np.int32),
        track_ids=base62_ids(rng_ids, n_tracks),
        track_names=tr["name"],
        track_artist=tr["artist"].astype(np.int32),
        track_featured=tr["featured"].astype(np.int32),
        track_album=tr["album"].astype(np.int32),
        track_number=tr["number"].astype(np.int32),
        track_isrc=_isrcs(draft, scenes_countries(draft), rng_ids),
        track_scene=tr["scene"].astype(np.int32),
        track_family=tr["family"].astype(np.int32),
        track_version=tr["version"],
        track_popularity=track_pop,
        track_duration_ms=tr["duration"].astype(np.int32),
        track_explicit=tr["explicit"].astype(bool),
        features=tr["features"].astype(np.float32),
        playlist_pids=pids,
        playlist_titles=titles,
        playlist_descriptions=descriptions,
        playlist_scene=scene,
        playlist_second_scene=second,
        playlist_owner=np.asarray(
            "user" + rng_meta.integers(0, cfg.users, n).astype(str).astype(object)
        ),
        playlist_followers=np.minimum(
            1 + np.floor(rng_meta.pareto(1.6, n)), 100_000
        ).astype(np.int32),
        playlist_edits=(1 + rng_meta.poisson(0.25 * kept)).astype(np.int32),
        playlist_modified_at=rng_meta.integers(_FIRST_DAY, _LAST_DAY, n),
        playlist_collaborative=rng_meta.random(n) < 0.02,
        playlist_indptr=indptr,
        playlist_tracks=items,
    )
    log.debug("generated %r in %.2fs", world, time.perf_counter() - t0)
    return world


def scenes_countries(draft: Draft) -> npt.NDArray[np.object_]:
    """The ISRC country code of each scene."""
    return np.asarray([s.country for s in draft.scenes], dtype=object)


def _log_mean(mean: float, sigma: float, low: int, high: int) -> float:
    """The log-normal ``mu`` whose draws, clipped to [low, high], average ``mean``."""
    z = ndtri((np.arange(2000) + 0.5) / 2000)
    lo, hi = np.log(max(low, 1)) - 3 * sigma, np.log(high) + 3 * sigma
    for _ in range(60):
        mu = (lo + hi) / 2
        if np.clip(np.round(np.exp(mu + sigma * z)), low, high).mean() < mean:
            lo = mu
        else:
            hi = mu
    return float((lo + hi) / 2)


def _popularity(score: Array, top: float) -> npt.NDArray[np.int32]:
    """Map scores to 0..100 by rank: most are low, the best near ``top``."""
    rank = np.argsort(np.argsort(score, kind="stable"), kind="stable")
    share = (rank + 1) / len(score)
    return np.clip(np.round(top * share**2.5), 0, 100).astype(np.int32)


def _dates(album: dict[str, Array]) -> npt.NDArray[np.object_]:
    year = album["year"].astype(str).astype(object)
    month = np.char.zfill(album["month"].astype(str), 2).astype(object)
    day = np.char.zfill(album["day"].astype(str), 2).astype(object)
    return np.asarray(year + "-" + month + "-" + day, dtype=object)


def _isrcs(
    draft: Draft, countries: npt.NDArray[np.object_], rng: np.random.Generator
) -> npt.NDArray[np.object_]:
    """ISRCs (country, registrant, year, number), unique per recording, shared by
    its duplicates."""
    tr, al = draft.track, draft.album
    n_artists = len(draft.artist["name"])
    registrant = (
        _ALNUM[rng.integers(0, 36, n_artists)]
        + _ALNUM[rng.integers(0, 36, n_artists)]
        + _ALNUM[rng.integers(0, 36, n_artists)]
    )
    year = al["year"][tr["album"]] % 100
    prefix = (
        countries[tr["scene"]]
        + registrant[tr["artist"]]
        + np.char.zfill(year.astype(str), 2).astype(object)
    )
    _, group = np.unique(prefix.astype(str), return_inverse=True)
    group = group.ravel()
    order = np.argsort(group, kind="stable")
    counts = np.bincount(group)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    serial = np.empty(len(group), dtype=np.int64)
    serial[order] = np.arange(len(group)) - np.repeat(starts, counts)
    serial += rng.integers(0, max(1, 99_999 - int(counts.max())), len(counts))[group]
    isrc = prefix + np.char.zfill(serial.astype(str), 5).astype(object)
    same = np.isin(tr["version"], list(SAME_RECORDING))
    isrc[same] = isrc[tr["origin"][same]]
    return np.asarray(isrc, dtype=object)
