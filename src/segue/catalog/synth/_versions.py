"""Planted version families: remasters, live takes, edits, remixes and duplicates.

Each family is an original track and one or more versions by the same artist,
named the way Spotify names them. Duplicates of the same recording (the track on
a compilation, or on its single) keep the original's name and ISRC; every other
version is a new recording with an ISRC of its own.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from segue.catalog.synth._catalogue import Draft
from segue.catalog.synth._names import pick

__all__ = ["KINDS", "SAME_RECORDING", "plant_versions"]

Array = npt.NDArray[Any]

KINDS: tuple[str, ...] = (
    "compilation",
    "single",
    "remaster",
    "live",
    "radio edit",
    "remix",
    "feat",
    "mono",
    "acoustic",
)
"""Kinds of planted versions; the value of ``World.track_version`` for them."""

SAME_RECORDING: frozenset[str] = frozenset({"compilation", "single"})
"""Kinds that repeat the original recording, hence share its ISRC."""

_SHARE = np.array([0.18, 0.08, 0.2, 0.14, 0.1, 0.12, 0.08, 0.05, 0.05])
_WEIGHT = np.array([0.25, 0.2, 0.35, 0.08, 0.15, 0.1, 0.3, 0.03, 0.05])
_VENUES = (
    "Wembley",
    "the Royal Albert Hall",
    "Budokan",
    "Red Rocks",
    "Madison Square Garden",
    "the BBC",
    "Glastonbury",
    "the Fillmore",
    "Montreux",
    "the Hollywood Bowl",
)
_BEST_OF = ("Greatest Hits", "Essentials", "Gold", "The Collection", "Anthology")
_LAST_YEAR = 2019


def _code(name: str) -> int:
    return KINDS.index(name)


def plant_versions(draft: Draft, n_versions: int, rng: np.random.Generator) -> None:
    """Append ``n_versions`` version tracks, and the albums they need, to ``draft``."""
    if n_versions <= 0:
        return
    tr, al, ar = draft.track, draft.album, draft.artist
    n_base = len(tr["name"])
    n_fam = max(1, min(n_base, round(n_versions / 1.6)))

    # originals: popular songs get versions more often (Gumbel top-k)
    keys = 0.7 * np.log(tr["weight"]) + rng.gumbel(size=n_base)
    originals = np.sort(np.argpartition(-keys, n_fam - 1)[:n_fam])
    sizes = 1 + rng.multinomial(n_versions - n_fam, np.full(n_fam, 1.0 / n_fam))
    origin = np.repeat(originals, sizes)
    family = np.repeat(np.arange(n_fam, dtype=np.int32), sizes)
    kind = rng.choice(len(KINDS), size=n_versions, p=_SHARE)
    artist = tr["artist"][origin]
    other = rng.integers(0, len(ar["name"]) - 1, n_versions)
    other = (other + (other >= artist)).astype(np.int32)
    base_name = tr["name"][origin]
    base_album = tr["album"][origin]
    album_year = al["year"][base_album]
    venue = pick(rng, _VENUES, len(ar["name"]))[artist]
    remaster_year = np.minimum(
        album_year + rng.integers(10, 31, len(al["name"]))[base_album], _LAST_YEAR
    )
    remaster_year = np.maximum(remaster_year, album_year + 1)
    alt = rng.random(n_versions) < 0.5

    # names, featured artists
    name = base_name.copy()
    featured = np.full(n_versions, -1, dtype=np.int32)

    def put(label: str, first: Array, second: Array) -> None:
        mask = kind == _code(label)
        name[mask] = np.where(alt[mask], first[mask], second[mask])

    years = remaster_year.astype(str).astype(object)
    put(
        "remaster",
        base_name + " - Remastered " + years,
        base_name + " - " + years + " Remaster",
    )
    put("live", base_name + " - Live at " + venue, base_name + " - Live")
    put("radio edit", base_name + " - Radio Edit", base_name + " (Radio Edit)")
    other_name = ar["name"][other]
    put("remix", base_name + " - " + other_name + " Remix", base_name + " - Remix")
    put(
        "feat",
        base_name + " (feat. " + other_name + ")",
        base_name + " (feat. " + other_name + ")",
    )
    put("mono", base_name + " - Mono Version", base_name + " - Mono")
    put("acoustic", base_name + " - Acoustic", base_name + " - Acoustic Version")
    for label in ("remix", "feat"):
        mask = kind == _code(label)
        featured[mask] = other[mask]

    # albums: one per (kind, owner), owner an artist, album, family or version
    owner = np.arange(n_versions, dtype=np.int64)
    by_artist = np.isin(kind, [_code(k) for k in ("compilation", "live", "acoustic")])
    by_album = np.isin(kind, [_code(k) for k in ("remaster", "mono")])
    owner = np.where(by_artist, artist, owner)
    owner = np.where(by_album, base_album, owner)
    owner = np.where(kind == _code("remix"), family, owner)
    key = kind.astype(np.int64) * (1 << 40) + owner
    _, rep, new_album = np.unique(key, return_index=True, return_inverse=True)
    new_album = new_album.ravel()
    n_new = len(rep)
    rk = kind[rep]
    rep_artist = artist[rep]
    album_name = base_name[rep].copy()  # singles, radio edits: the song's name
    album_type = np.full(n_new, "single", dtype=object)
    year = album_year[rep].copy()
    later = rng.integers(1, 15, n_new)

    def album_put(label: str, names: Array, kind_of: str, years_: Array) -> None:
        mask = rk == _code(label)
        album_name[mask] = names[mask]
        album_type[mask] = kind_of
        year[mask] = years_[mask]

    best_of = pick(rng, _BEST_OF, n_new)
    best_of = np.where(
        rng.random(n_new) < 0.4, "The Best of " + ar["name"][rep_artist], best_of
    )
    capped = np.minimum(year + later, _LAST_YEAR)
    album_put("compilation", best_of, "compilation", capped)
    old_album_name = al["name"][base_album[rep]]
    rep_years = remaster_year[rep].astype(str).astype(object)
    album_put(
        "remaster",
        old_album_name + " (Remastered " + rep_years + ")",
        "album",
        remaster_year[rep],
    )
    album_put("live", "Live at " + venue[rep], "album", capped)
    album_put(
        "remix",
        base_name[rep] + " (Remixes)",
        "single",
        np.minimum(year + 1, _LAST_YEAR),
    )
    album_put("feat", name[rep], "single", capped)
    album_put("mono", old_album_name + " (Mono)", "album", year)
    album_put(
        "acoustic", np.full(n_new, "Acoustic Sessions", dtype=object), "album", capped
    )

    order = np.argsort(new_album, kind="stable")
    number = np.empty(n_versions, dtype=np.int32)
    counts = np.bincount(new_album, minlength=n_new)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    number[order] = np.arange(n_versions) - np.repeat(starts, counts) + 1

    n_albums = len(al["name"])
    _append(
        al,
        {
            "name": album_name,
            "artist": rep_artist.astype(np.int32),
            "year": year.astype(np.int32),
            "month": rng.integers(1, 13, n_new).astype(np.int32),
            "day": rng.integers(1, 29, n_new).astype(np.int32),
            "type": album_type,
            "total": counts.astype(np.int32),
        },
    )

    # sound, length and weight follow the original, changed by the kind
    features = tr["features"][origin].copy()
    duration = tr["duration"][origin].copy()
    explicit = tr["explicit"][origin].copy()
    factor = rng.uniform(0.0, 1.0, n_versions)
    live = kind == _code("live")
    features[live, 8] = 0.6 + 0.35 * factor[live]
    features[live, 3] -= 1.0
    duration[live] *= 1.05 + 0.25 * factor[live]
    remaster = kind == _code("remaster")
    features[remaster, 3] = np.minimum(
        features[remaster, 3] + 0.5 + 1.5 * factor[remaster], 0.0
    )
    edit = kind == _code("radio edit")
    duration[edit] *= 0.7 + 0.15 * factor[edit]
    explicit[edit] = False
    remix = kind == _code("remix")
    features[remix, 0] = np.minimum(features[remix, 0] + 0.1, 0.99)
    features[remix, 1] = np.minimum(features[remix, 1] + 0.1, 0.99)
    duration[remix] *= 1.1 + 0.5 * factor[remix]
    acoustic = kind == _code("acoustic")
    features[acoustic, 6] = 0.7 + 0.25 * factor[acoustic]
    features[acoustic, 1] *= 0.6
    features[acoustic, 3] -= 4.0

    tr["family"][originals] = np.arange(n_fam, dtype=np.int32)
    _append(
        tr,
        {
            "name": name,
            "artist": artist,
            "featured": featured,
            "album": (n_albums + new_album).astype(np.int32),
            "number": number,
            "scene": tr["scene"][origin],
            "weight": tr["weight"][origin] * _WEIGHT[kind],
            "duration": np.round(duration),
            "explicit": explicit,
            "features": features,
            "family": family,
            "version": np.asarray(KINDS, dtype=object)[kind],
            "origin": origin.astype(np.int64),
        },
    )


def _append(columns: dict[str, Array], more: dict[str, Array]) -> None:
    for key, value in more.items():
        columns[key] = np.concatenate([columns[key], value.astype(columns[key].dtype)])
