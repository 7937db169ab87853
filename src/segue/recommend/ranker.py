"""The learned ranker: features of (query, candidate) pairs and a LightGBM model.

Every candidate proposed by any generator gets one row of :data:`FEATURES`:

- per generator ``g``: ``g_score`` (its score), ``g_rank`` (0 = its best) and
  ``g_rel`` (score over that query's best score of ``g``); NaN when ``g`` did
  not propose the candidate;
- ``n_generators``: how many generators proposed it;
- for every candidate, whoever proposed it: ``als_dot`` (the folded-in ALS
  score), ``cooc_full`` (summed co-occurrence similarity to the seeds),
  ``knn_full`` and ``title_full`` (the votes of the seed and title neighbour
  playlists), ``related_full`` (its artist's similarity to the seeds' artists);
- ``cooc_max``: the largest co-occurrence similarity to any one seed;
  ``als_cos_max`` and ``als_cos_mean``: the largest and mean cosine of ALS item
  factors to the seeds;
- ``log_popularity`` (training playlists holding the track) and
  ``log_artist_popularity``; ``popularity_gap``: ``log_popularity`` minus the
  seeds' mean;
- ``artist_share``, ``album_share``: share of the seeds by the candidate's
  artist and album; ``artist_share_recent``: the same over the last 5 seeds;
- ``feature_distance``: Euclidean distance of its standardised audio features to
  the seeds' centroid (NaN when either is missing);
- for the query as a whole: ``log_seeds``, ``has_title``,
  ``seed_log_popularity`` (the seeds' mean ``log_popularity``) and
  ``seed_artist_ratio`` (distinct artists over seeds), which let the trees
  weigh the other features by the kind of playlist.

The ranker is a LightGBM ``lambdarank`` model trained on held-out continuations of
training playlists (see :mod:`segue.recommend.recommender`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from segue.recommend.data import Candidates, Seeds, TrainingData
from segue.recommend.generators import (
    ALS,
    AudioFeatures,
    CoOccurrence,
    Generator,
    PlaylistKNN,
    RelatedArtists,
    Title,
)
from segue.recommend.generators.neighbours import rows_top_k

__all__ = [
    "FEATURES",
    "GENERATORS",
    "CandidateTable",
    "Precomputed",
    "build_table",
    "score_all",
    "train_ranker",
]

log = logging.getLogger("segue")

GENERATORS = (
    "als",
    "cooccurrence",
    "playlist_knn",
    "artist_album",
    "related_artists",
    "title",
    "features",
    "popularity",
)
"""Every generator name, in feature order."""

_PER_GENERATOR = ("score", "rank", "rel")
FEATURES: tuple[str, ...] = (
    *(f"{g}_{p}" for g in GENERATORS for p in _PER_GENERATOR),
    "n_generators",
    "als_dot",
    "cooc_full",
    "knn_full",
    "title_full",
    "related_full",
    "cooc_max",
    "als_cos_max",
    "als_cos_mean",
    "log_popularity",
    "log_artist_popularity",
    "popularity_gap",
    "artist_share",
    "album_share",
    "artist_share_recent",
    "feature_distance",
    "log_seeds",
    "has_title",
    "seed_log_popularity",
    "seed_artist_ratio",
)
"""Names of the ranker's feature columns, in order."""

_COL = {name: i for i, name in enumerate(FEATURES)}
_RANK_COLUMNS = [_COL[f"{g}_rank"] for g in GENERATORS]
_RECENT = 5
_FULL = {"cooccurrence": "cooc_full", "playlist_knn": "knn_full", "title": "title_full"}


@dataclass
class Precomputed:
    """Query-wide scores shared by candidate generation and the features.

    Attributes
    ----------
    factors
        Shape ``(n_queries, factors)``: ALS fold-in, or None.
    full
        Feature column to a CSR of shape ``(n_queries, n_tracks)``.
    artists
        CSR of shape ``(n_queries, n_artists)``: related-artist scores, or None.
    """

    factors: npt.NDArray[np.float32] | None = None
    full: dict[str, sp.csr_matrix] = field(default_factory=dict)
    artists: sp.csr_matrix | None = None


@dataclass(frozen=True, slots=True)
class CandidateTable:
    """The merged candidates of a batch of queries, one row per candidate.

    Attributes
    ----------
    tracks
        Shape ``(n_rows,)``, int64: candidate columns, grouped by query.
    offsets
        Shape ``(n_queries + 1,)``: query ``i`` owns rows ``offsets[i]:offsets[i+1]``.
    features
        Shape ``(n_rows, len(FEATURES))``, float32, NaN where unknown.
    """

    tracks: npt.NDArray[np.int64]
    offsets: npt.NDArray[np.int64]
    features: npt.NDArray[np.float32]

    def rows(self, i: int) -> slice:
        """The rows of query ``i``."""
        return slice(int(self.offsets[i]), int(self.offsets[i + 1]))


class TrackStats:
    """Per-track statistics the features need, computed once per training data.

    Attributes
    ----------
    log_popularity, log_artist_popularity
        Shape ``(n_tracks,)``, float32.
    """

    def __init__(self, data: TrainingData) -> None:
        pop = data.popularity()
        self.log_popularity = np.log1p(pop).astype(np.float32)
        artist_pop = np.zeros(max(int(data.artists.max()) + 1, 1), dtype=np.float64)
        known = data.artists >= 0
        np.add.at(artist_pop, data.artists[known], pop[known])
        lap = np.zeros(data.n_tracks, dtype=np.float32)
        lap[known] = np.log1p(artist_pop[data.artists[known]])
        self.log_artist_popularity = lap
        self.n_artists = len(artist_pop)
        self.n_albums = max(int(data.albums.max()) + 1, 1)


def _share(
    codes: npt.NDArray[np.int64],
    seeds: npt.NDArray[np.int64],
    width: int,
    cand: npt.NDArray[np.int64],
) -> npt.NDArray[np.float32]:
    s = codes[seeds]
    s = s[s >= 0]
    out = np.zeros(len(cand), dtype=np.float32)
    if len(s) == 0 or len(seeds) == 0:
        return out
    counts = np.bincount(s, minlength=width).astype(np.float32) / len(seeds)
    c = codes[cand]
    ok = c >= 0
    out[ok] = counts[c[ok]]
    return out


def _lookup(
    m: sp.csr_matrix, row: int, tracks: npt.NDArray[np.int64]
) -> npt.NDArray[np.float32]:
    """Values of ``m[row, tracks]`` (0 where absent); ``m`` has sorted indices."""
    lo, hi = m.indptr[row], m.indptr[row + 1]
    idx, val = m.indices[lo:hi], m.data[lo:hi]
    out = np.zeros(len(tracks), dtype=np.float32)
    if len(idx) == 0:
        return out
    pos = np.minimum(np.searchsorted(idx, tracks), len(idx) - 1)
    hit = idx[pos] == tracks
    out[hit] = val[pos[hit]]
    return out


def _column_max(
    m: sp.csr_matrix, tracks: npt.NDArray[np.int64]
) -> npt.NDArray[np.float32]:
    """Shape ``(len(tracks),)``: the largest entry of ``m`` in each of the sorted
    columns ``tracks`` (0 where none); costs ``m.nnz``, not ``m.shape[1]``."""
    out = np.zeros(len(tracks), dtype=np.float32)
    if len(tracks) == 0 or m.nnz == 0:
        return out
    pos = np.minimum(np.searchsorted(tracks, m.indices), len(tracks) - 1)
    hit = tracks[pos] == m.indices
    np.maximum.at(out, pos[hit], m.data[hit])
    return out


def score_all(
    queries: Sequence[Seeds], generators: Mapping[str, Generator], k: int
) -> tuple[dict[str, list[Candidates]], Precomputed]:
    """Every generator's proposals, computing each query-wide score only once.

    Returns
    -------
    proposals
        Generator name to its ``n_queries`` candidate lists.
    precomputed
        The ALS factors and score matrices that :func:`build_table` reuses.
    """
    proposals: dict[str, list[Candidates]] = {}
    pre = Precomputed()
    for name, g in generators.items():
        start = time.perf_counter()
        if isinstance(g, ALS):
            pre.factors = g.fold_in(queries)
            proposals[name] = g.candidates_from(pre.factors, queries, k)
        elif isinstance(g, RelatedArtists):
            pre.artists = g.artist_scores(queries)
            proposals[name] = g.candidates_from(pre.artists, queries, k)
        elif isinstance(g, CoOccurrence | PlaylistKNN | Title):
            m = g.score_matrix(queries)
            m.sort_indices()
            pre.full[_FULL[name]] = m
            proposals[name] = rows_top_k(m, queries, k)
        else:
            proposals[name] = g.candidates(queries, k)
        log.debug(
            "%s: %d queries in %.3fs", name, len(queries), time.perf_counter() - start
        )
    return proposals, pre


def build_table(
    queries: Sequence[Seeds],
    proposals: Mapping[str, list[Candidates]],
    generators: Mapping[str, Generator],
    data: TrainingData,
    stats: TrackStats,
    precomputed: Precomputed | None = None,
) -> CandidateTable:
    """Merge the generators' proposals and compute the ranker features.

    Parameters
    ----------
    queries
        ``n_queries`` queries.
    proposals
        Generator name to its ``n_queries`` candidate lists.
    generators
        The fitted generators (ALS, co-occurrence, playlist kNN, title and audio
        features give the columns for candidates they did not propose).
    data, stats
        The training data the generators were fitted on, and its statistics.
    precomputed
        What :func:`score_all` already computed for these queries.
    """
    start = time.perf_counter()
    pre = precomputed or Precomputed()
    als = generators.get("als")
    feats = generators.get("features")
    factors = pre.factors
    if factors is None and isinstance(als, ALS):
        factors = als.fold_in(queries)
    centroids = feats.centroids(queries) if isinstance(feats, AudioFeatures) else None
    related = generators.get("related_artists")
    artist_scores = pre.artists
    if artist_scores is None and isinstance(related, RelatedArtists):
        artist_scores = related.artist_scores(queries)
    cooc = generators.get("cooccurrence")
    similarity = cooc.similarity_ if isinstance(cooc, CoOccurrence) else None
    full = dict(pre.full)
    for name, column in _FULL.items():
        scorer = generators.get(name)
        if column not in full and isinstance(
            scorer, CoOccurrence | PlaylistKNN | Title
        ):
            m = scorer.score_matrix(queries)
            m.sort_indices()
            full[column] = m

    blocks: list[npt.NDArray[np.float32]] = []
    tracks: list[npt.NDArray[np.int64]] = []
    offsets = np.zeros(len(queries) + 1, dtype=np.int64)
    for i, q in enumerate(queries):
        lists = {g: proposals[g][i] for g in GENERATORS if g in proposals}
        union = np.unique(
            np.concatenate(
                [c.tracks for c in lists.values()] or [np.zeros(0, np.int64)]
            )
        )
        union = union.astype(np.int64)
        f = np.full((len(union), len(FEATURES)), np.nan, dtype=np.float32)
        count = np.zeros(len(union), dtype=np.float32)
        for g, c in lists.items():
            if len(c.tracks) == 0:
                continue
            pos = np.searchsorted(union, c.tracks)
            f[pos, _COL[f"{g}_score"]] = c.scores
            f[pos, _COL[f"{g}_rank"]] = np.arange(len(c.tracks), dtype=np.float32)
            top = float(c.scores[0]) if c.scores[0] != 0 else 1.0
            f[pos, _COL[f"{g}_rel"]] = c.scores / top
            count[pos] += 1
        f[:, _COL["n_generators"]] = count
        if factors is not None and isinstance(als, ALS) and len(q.tracks):
            f[:, _COL["als_dot"]] = als.item_factors_[union] @ factors[i]
        for column, m in full.items():
            f[:, _COL[column]] = _lookup(m, i, union)
        if artist_scores is not None:
            codes = data.artists[union]
            known = codes >= 0
            col = np.zeros(len(union), dtype=np.float32)
            col[known] = _lookup(artist_scores, i, codes[known])
            f[:, _COL["related_full"]] = col
        seeds = np.unique(q.tracks)
        if len(seeds):
            if similarity is not None:
                f[:, _COL["cooc_max"]] = _column_max(similarity[seeds], union)
            if isinstance(als, ALS):
                cos = als.unit_factors_[union] @ als.unit_factors_[seeds].T
                f[:, _COL["als_cos_max"]] = cos.max(axis=1)
                f[:, _COL["als_cos_mean"]] = cos.mean(axis=1)
            seed_pop = float(stats.log_popularity[seeds].mean())
            f[:, _COL["seed_log_popularity"]] = seed_pop
            f[:, _COL["popularity_gap"]] = stats.log_popularity[union] - seed_pop
            f[:, _COL["seed_artist_ratio"]] = len(np.unique(data.artists[seeds])) / len(
                seeds
            )
        f[:, _COL["log_popularity"]] = stats.log_popularity[union]
        f[:, _COL["log_artist_popularity"]] = stats.log_artist_popularity[union]
        f[:, _COL["artist_share"]] = _share(
            data.artists, q.tracks, stats.n_artists, union
        )
        f[:, _COL["album_share"]] = _share(data.albums, q.tracks, stats.n_albums, union)
        f[:, _COL["artist_share_recent"]] = _share(
            data.artists, q.tracks[-_RECENT:], stats.n_artists, union
        )
        if centroids is not None and isinstance(feats, AudioFeatures):
            c = centroids[i]
            if not np.isnan(c).any():
                x = feats.standardise(data.features[union])
                f[:, _COL["feature_distance"]] = np.sqrt(((x - c) ** 2).sum(axis=1))
        f[:, _COL["log_seeds"]] = np.log1p(len(q.tracks))
        f[:, _COL["has_title"]] = float(bool(q.title))
        blocks.append(f)
        tracks.append(union)
        offsets[i + 1] = offsets[i] + len(union)
    table = CandidateTable(
        tracks=np.concatenate(tracks) if tracks else np.zeros(0, np.int64),
        offsets=offsets,
        features=np.concatenate(blocks)
        if blocks
        else np.zeros((0, len(FEATURES)), np.float32),
    )
    log.debug(
        "ranker features: %d queries, %d rows in %.2fs",
        len(queries),
        len(table.tracks),
        time.perf_counter() - start,
    )
    return table


def train_ranker(
    table: CandidateTable,
    labels: npt.NDArray[np.float32],
    *,
    trees: int = 300,
    learning_rate: float = 0.05,
    num_leaves: int = 31,
    num_threads: int = 0,
    random_state: int = 0,
    negatives: int | None = None,
    truncation: int = 50,
) -> Any:
    """Fit a LightGBM lambdarank model; groups are the table's queries.

    Parameters
    ----------
    table
        Candidates with features, shape ``(n_rows, len(FEATURES))``.
    labels
        Shape ``(n_rows,)``: 1 where the candidate is in the hidden continuation.
    negatives
        Misses kept per query, None for all: half the hardest (best ranked by any
        generator), half drawn at random. Queries without hits or misses are left
        out.
    truncation
        LightGBM's ``lambdarank_truncation_level``: pairs are formed with the
        first ``truncation`` places of the current order.

    Returns
    -------
    lightgbm.Booster
    """
    import lightgbm

    start = time.perf_counter()
    rng = np.random.default_rng(random_state)
    keep_rows = np.zeros(len(labels), dtype=bool)
    groups = []
    for i in range(len(table.offsets) - 1):
        rows = np.arange(table.offsets[i], table.offsets[i + 1])
        hits = labels[rows] > 0
        if not hits.any() or hits.all():
            continue
        # every hit, and at most ``negatives`` misses: the generators' best misses
        # (they are the hard ones) plus a random draw of the rest
        misses = rows[~hits]
        if negatives is not None and len(misses) > negatives:
            best = np.nanmin(table.features[misses][:, _RANK_COLUMNS], axis=1)
            order = np.argsort(np.nan_to_num(best, nan=np.inf), kind="stable")
            hard = misses[order[: negatives // 2]]
            rest = misses[order[negatives // 2 :]]
            easy = rng.choice(rest, negatives - len(hard), replace=False)
            misses = np.concatenate([hard, easy])
        keep = np.sort(np.concatenate([rows[hits], misses]))
        keep_rows[keep] = True
        groups.append(len(keep))
    if not groups:
        raise ValueError("no training query has both hits and misses among candidates")
    dataset = lightgbm.Dataset(
        table.features[keep_rows],
        label=labels[keep_rows],
        group=groups,
        feature_name=list(FEATURES),
        free_raw_data=True,
    )
    params = {
        "objective": "lambdarank",
        "metric": "ndcg",
        "eval_at": [50, 500],
        "lambdarank_truncation_level": truncation,
        "learning_rate": learning_rate,
        "num_leaves": num_leaves,
        "min_data_in_leaf": 50,
        "feature_fraction": 0.9,
        "bagging_fraction": 0.8,
        "bagging_freq": 1,
        # OpenMP threads that busy-wait are much slower on shared cores: one thread
        # unless more are asked for
        "num_threads": num_threads if num_threads > 0 else 1,
        "seed": random_state,
        "deterministic": True,
        "verbosity": -1,
    }
    booster = lightgbm.train(params, dataset, num_boost_round=trees)
    log.debug(
        "ranker: %d queries, %d rows, %d trees in %.2fs",
        len(groups),
        int(keep_rows.sum()),
        trees,
        time.perf_counter() - start,
    )
    return booster


def fuse(table: CandidateTable) -> npt.NDArray[np.float32]:
    """Scores without a ranker: reciprocal-rank fusion of the generators.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_rows,)``: ``sum_g 1 / (10 + rank_g)`` over proposing generators.
    """
    ranks = table.features[:, [_COL[f"{g}_rank"] for g in GENERATORS]]
    weights = np.where(np.isnan(ranks), 0.0, 1.0 / (10.0 + np.nan_to_num(ranks)))
    weights[:, GENERATORS.index("popularity")] *= 0.1
    out: npt.NDArray[np.float32] = weights.sum(axis=1).astype(np.float32)
    return out
