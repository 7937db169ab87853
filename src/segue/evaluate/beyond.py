"""Beyond-accuracy measures: duplicates, artist spread, diversity, novelty, popularity.

Per-list measures look at the first ``c`` recommendations for each cutoff ``c`` in
:data:`CUTOFFS` (what a listener meets in the first pages); their keys end in ``@c``.
``pop(t)`` is the number of training playlists holding track ``t`` and ``N`` the
number of training playlists.

Keys
----
``dup_seeds@c``
    Share of the ``c`` tracks that are a version of a seed: same ISRC, or same main
    artist and normalised title, by :func:`segue.recommend.versions.version_keys`
    (remixes count as versions).
``dup_within@c``
    Share of the ``c`` tracks that are a version of a track ranked above them.
``artist_max@c``, ``artist_mean@c``, ``distinct_artists@c``
    Most tracks by one main artist; tracks per distinct artist; distinct artists.
    Tracks of unknown artist are left out.
``ild@c``
    Intra-list diversity, ``2 / (m(m-1)) Σ_{i<j} (1 - cos(x_i, x_j))`` over the ``m``
    tracks that have every audio feature, each feature min-max scaled to [0, 1]
    over the catalog; NaN when ``m < 2``.
``novelty@c``
    Mean self-information ``-log2(pop(t) / N)``; a track in no training playlist
    counts as in one.
``arp@c``
    Average recommendation popularity, mean ``pop(t) / N``.
``seed_arp``
    The same mean over the seeds; NaN when there are none.
``pop_lift@c``
    ``arp@c / seed_arp``: above 1 when lists are more popular than their seeds.
``unseen``
    Share of the whole list in no training playlist. Such a track can only come
    from metadata (the track table), or from a held-out part leaking into training:
    a non-zero value deserves a look.

Aggregate keys (over a group of lists, from :func:`coverage`): ``coverage@c`` and
``coverage``, the share of the catalogue's tracks (the training matrix's columns) that
appear in at least one list, in its first ``c`` tracks or anywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from segue.catalog import Catalog, Interactions
from segue.recommend.versions import version_keys

__all__ = ["CUTOFFS", "TrackInfo", "beyond_metrics", "coverage"]

CUTOFFS: tuple[int, ...] = (20, 50)
"""List prefixes over which the per-list measures are taken."""

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class TrackInfo:
    """What the measures need to know of each track, aligned by row.

    Attributes
    ----------
    index
        Track id to row.
    artist
        Shape ``(m,)``: main artist id, None when unknown.
    versions
        Shape ``(m,)``: equal integers mark versions of one song.
    popularity
        Shape ``(m,)``: training playlists holding the track.
    n_playlists
        Training playlists, ``N``.
    features
        Shape ``(m, f)``: features scaled to [0, 1], NaN where unknown.
    catalogue_size
        Tracks a model could recommend: the training matrix's columns.
    """

    index: dict[str, int]
    artist: npt.NDArray[np.object_]
    versions: npt.NDArray[np.int64]
    popularity: Floats
    n_playlists: int
    features: Floats
    catalogue_size: int

    def artist_of(self, track_id: str) -> str | None:
        """The main artist id of a track, None when unknown."""
        row = self.index.get(track_id)
        return None if row is None else self.artist[row]

    def rows(self, track_ids: Iterable[str]) -> npt.NDArray[np.int64]:
        """Rows of known tracks, in order; unknown ids are skipped."""
        index = self.index
        return np.fromiter((index[t] for t in track_ids if t in index), dtype=np.int64)

    @classmethod
    def build(
        cls,
        track_ids: Sequence[str],
        *,
        artist: Sequence[str | None],
        name: Sequence[str | None],
        isrc: Sequence[str | None],
        popularity: Floats,
        n_playlists: int,
        features: Floats | None = None,
        catalogue_size: int | None = None,
    ) -> TrackInfo:
        """Assemble from columns aligned with ``track_ids`` (raw, unscaled features)."""
        m = len(track_ids)
        versions = version_keys(list(name), list(artist), list(isrc))
        raw = np.full((m, 1), np.nan) if features is None else features
        return cls(
            index={t: i for i, t in enumerate(track_ids)},
            artist=np.asarray(list(artist), dtype=object),
            versions=versions,
            popularity=np.asarray(popularity, dtype=np.float64),
            n_playlists=int(n_playlists),
            features=_min_max(raw),
            catalogue_size=m if catalogue_size is None else int(catalogue_size),
        )

    @classmethod
    def from_catalog(cls, catalog: Catalog, training: Interactions) -> TrackInfo:
        """Every track of the catalog, popularity counted in ``training``."""
        table = catalog.track_table()
        counts = np.asarray(training.matrix.sum(axis=0), dtype=np.float64).ravel()
        by_id = dict(zip(training.track_ids.tolist(), counts.tolist(), strict=True))
        popularity = np.array([by_id.get(t, 0.0) for t in table.id.tolist()])
        ids = [str(t) for t in table.id.tolist()]
        return cls.build(
            ids,
            artist=table.artist_id.tolist(),
            name=table.name.tolist(),
            isrc=table.isrc.tolist(),
            popularity=popularity,
            n_playlists=training.matrix.shape[0],
            features=catalog.feature_matrix(ids),
            catalogue_size=training.matrix.shape[1],
        )


def _min_max(features: Floats) -> Floats:
    low = np.nanmin(np.where(np.isnan(features), np.inf, features), axis=0)
    high = np.nanmax(np.where(np.isnan(features), -np.inf, features), axis=0)
    span = np.where(np.isfinite(high - low) & (high > low), high - low, 1.0)
    low = np.where(np.isfinite(low), low, 0.0)
    return np.asarray((features - low) / span, dtype=np.float64)


def beyond_metrics(
    recommended: Sequence[Sequence[str]],
    seeds: Sequence[Sequence[str]],
    info: TrackInfo,
    *,
    cutoffs: Iterable[int] = CUTOFFS,
) -> dict[str, Floats]:
    """Per-list beyond-accuracy measures (keys in the module docstring).

    Parameters
    ----------
    recommended
        ``n`` ranked lists of track ids.
    seeds
        ``n`` seed lists (possibly empty).
    info
        Track facts; see :meth:`TrackInfo.from_catalog`.
    cutoffs
        List prefixes to measure.

    Returns
    -------
    dict of str to numpy.ndarray
        Each key maps to shape ``(n,)`` float64 values, NaN where undefined.
    """
    n = len(recommended)
    out: dict[str, list[float]] = {}
    seed_arp = np.full(n, np.nan)
    share = info.popularity / max(info.n_playlists, 1)
    for i, (recs, given) in enumerate(zip(recommended, seeds, strict=True)):
        seed_rows = info.rows(given)
        if len(seed_rows):
            seed_arp[i] = share[seed_rows].mean() if len(given) else np.nan
        seed_keys = set(info.versions[seed_rows].tolist())
        for c in cutoffs:
            for key, value in _list_measures(recs[:c], seed_keys, info).items():
                out.setdefault(f"{key}@{c}", []).append(value)
    result = {k: np.asarray(v, dtype=np.float64) for k, v in out.items()}
    result["seed_arp"] = seed_arp
    result["unseen"] = np.array([_unseen(recs, info) for recs in recommended])
    for c in cutoffs:
        arp = result[f"arp@{c}"]
        result[f"pop_lift@{c}"] = np.divide(
            arp, seed_arp, out=np.full(n, np.nan), where=seed_arp > 0
        )
    return result


def _list_measures(
    recs: Sequence[str], seed_keys: set[int], info: TrackInfo
) -> dict[str, float]:
    rows = info.rows(recs)
    size = len(recs)
    if size == 0:
        return dict.fromkeys(
            (
                "dup_seeds",
                "dup_within",
                "artist_max",
                "artist_mean",
                "distinct_artists",
                "ild",
                "novelty",
                "arp",
            ),
            float("nan"),
        )

    # versions: of a seed, or of a track ranked higher
    of_seed = within = 0
    seen: set[int] = set()
    for key in info.versions[rows].tolist():
        of_seed += key in seed_keys
        within += key in seen
        seen.add(key)

    # artist spread over tracks of known artist
    artists = [a for a in info.artist[rows] if a is not None]
    _, per_artist = np.unique(np.asarray(artists, dtype=str), return_counts=True)
    distinct = len(per_artist)

    # popularity: self-information and share, unknown tracks count as in one
    counts = np.zeros(size)
    counts[: len(rows)] = info.popularity[rows]
    n_playlists = max(info.n_playlists, 1)
    novelty = -np.log2(np.maximum(counts, 1.0) / n_playlists)

    return {
        "dup_seeds": of_seed / size,
        "dup_within": within / size,
        "artist_max": float(per_artist.max()) if distinct else float("nan"),
        "artist_mean": len(artists) / distinct if distinct else float("nan"),
        "distinct_artists": float(distinct),
        "ild": _ild(info.features[rows]),
        "novelty": float(novelty.mean()),
        "arp": float((counts / n_playlists).mean()),
    }


def _unseen(recs: Sequence[str], info: TrackInfo) -> float:
    if not recs:
        return float("nan")
    rows = info.rows(recs)
    seen = int((info.popularity[rows] > 0).sum())
    return (len(recs) - seen) / len(recs)


def _ild(features: Floats) -> float:
    # complete, non-zero feature rows only
    x = features[~np.isnan(features).any(axis=1)]
    norms = np.linalg.norm(x, axis=1)
    x = x[norms > 0] / norms[norms > 0, None]
    m = len(x)
    if m < 2:
        return float("nan")

    # mean pairwise cosine distance, diagonal left out
    similarity = x @ x.T
    off_diagonal = similarity.sum() - np.trace(similarity)
    return float((m * (m - 1) - off_diagonal) / (m * (m - 1)))


def coverage(
    recommended: Sequence[Sequence[str]],
    groups: Mapping[str, Sequence[int]],
    info: TrackInfo,
    *,
    cutoffs: Iterable[int] = CUTOFFS,
) -> dict[str, dict[str, float]]:
    """Catalogue coverage of groups of lists, and of all of them (group ``all``).

    Returns
    -------
    dict
        Group name to ``coverage@c`` for each cutoff and ``coverage`` (whole lists):
        distinct recommended tracks over :attr:`TrackInfo.catalogue_size`.
    """
    size = max(info.catalogue_size, 1)
    everyone = {"all": list(range(len(recommended)))}
    result: dict[str, dict[str, float]] = {}
    for name, index in {**groups, **everyone}.items():
        values: dict[str, float] = {}
        for c in cutoffs:
            distinct = {t for i in index for t in recommended[i][:c]}
            values[f"coverage@{c}"] = len(distinct) / size
        values["coverage"] = len({t for i in index for t in recommended[i]}) / size
        result[name] = values
    return result
