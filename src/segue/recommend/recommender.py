"""The :class:`Recommender`: generators, a learned ranker and filters in one model.

How it learns (:meth:`Recommender.fit`):

1. Read the playlist x track matrix and the track columns from the catalog.
2. Train the ranker on held-out continuations: sample ``ranker_playlists``
   training playlists (never a playlist of ``replace_items``, which are evaluation
   playlists), keep only their first ``k`` tracks (or ``k`` random ones) in the
   matrix, fit fresh generators on that truncated matrix, gather their candidates
   for the truncated playlists and label the candidates found in the hidden tails.
3. Refit the generators on the full matrix. When the ranker's playlists are at
   most a hundredth of the eligible ones (a catalog of MPD scale), the fold's
   generators are kept instead, re-pointed at the full matrix: they miss only
   those few tails, and a refit there costs about ten minutes.

How it answers: each generator proposes ``candidates`` tracks; the ranker orders
their union; then the filters run: excluded tracks and seeds go, a second version
of a song already present (in the seeds or higher in the list) goes, an optional
MMR pass spreads the list, at most ``max_per_artist`` tracks per artist stay in
the first ``artist_window`` places, and popular tracks fill the list up to ``n``.
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

import numpy as np
import numpy.typing as npt

from segue.catalog import Catalog
from segue.recommend.base import Query
from segue.recommend.data import Seeds, TrainingData, replace_rows
from segue.recommend.diversity import artist_cap, dedupe_versions, mmr
from segue.recommend.errors import (
    EmptyQuery,
    NotFitted,
    UnknownTracks,
    UnknownTrackWarning,
)
from segue.recommend.generators import (
    ALS,
    ArtistAlbum,
    AudioFeatures,
    CoOccurrence,
    Generator,
    PlaylistKNN,
    Popularity,
    RelatedArtists,
    Title,
)
from segue.recommend.ranker import (
    FEATURES,
    GENERATORS,
    CandidateTable,
    TrackStats,
    build_table,
    fuse,
    score_all,
    train_ranker,
)
from segue.recommend.versions import version_keys

__all__ = ["Explanation", "Recommendations", "Recommender"]

log = logging.getLogger("segue")

_SEED_COUNTS = np.asarray([0, 1, 5, 10, 25, 100])
_ONE_FOLD_RATIO = 20
_KEEP_FOLD_RATIO = 100
_SEED_WEIGHTS = np.asarray([0.1, 0.15, 0.2, 0.2, 0.2, 0.15])


@dataclass(frozen=True, slots=True)
class Recommendations:
    """Tracks that continue a playlist, best first.

    Attributes
    ----------
    track_ids
        The recommended track ids.
    scores
        Shape ``(len(track_ids),)``: the ranker's scores (higher is better; tracks
        added to fill the list score NaN).
    reasons
        One short text per track: which generators proposed it, at which rank.
    unknown_seeds
        Seed ids the model does not know; they were ignored.
    """

    track_ids: list[str]
    scores: npt.NDArray[np.float32]
    reasons: list[str]
    unknown_seeds: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.track_ids)

    def __iter__(self) -> Iterator[str]:
        return iter(self.track_ids)


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a track is (or is not) recommended for a playlist.

    Attributes
    ----------
    track_id
        The track explained.
    rank
        Its place (0 = first) in the recommendations of 500, or None.
    generators
        Generator name to ``(rank, score)`` among that generator's proposals.
    closest_seeds
        Up to five ``(seed id, similarity)`` pairs, most similar first; the
        similarity is the cosine of ALS item factors.
    same_artist, same_album
        How many seeds share the track's artist, and its album.
    """

    track_id: str
    rank: int | None
    generators: dict[str, tuple[int, float]]
    closest_seeds: list[tuple[str, float]]
    same_artist: int
    same_album: int


@dataclass
class _Fitted:
    data: TrainingData
    generators: dict[str, Generator]
    stats: TrackStats
    booster: Any
    keys: npt.NDArray[np.int64]
    keys_remix: npt.NDArray[np.int64]
    popular: npt.NDArray[np.int64]
    card: dict[str, Any] = field(default_factory=dict)


class Recommender:
    """segue's two-stage playlist-continuation model; satisfies :class:`Model`.

    Parameters
    ----------
    factors, regularization, alpha, iterations
        ALS hyper-parameters.
    als_pool
        ALS proposes only among this many tracks, those in most training
        playlists (see :class:`~segue.recommend.generators.ALS`); None for all.
        Smaller catalogs are scored whole. One query's scan of 2.2 million
        tracks' 64 factors and its top-k took 58 ms on one core here, against
        13 ms for 500,000; on mpd-dev a pool of the same share (28,000 of
        125,819 tracks) moved R-precision from 0.1557 to 0.1547.
    cooc_neighbours
        Similar tracks kept per track by the co-occurrence generator.
    knn_neighbours
        Playlists that vote in the playlist-neighbour generator.
    title_neighbours
        Playlists that vote in the title generator.
    candidates
        Tracks each generator proposes per query (fewer for short lists, see
        :meth:`query_candidates`).
    generators
        The generators to use, a subset of :data:`~segue.recommend.ranker.GENERATORS`.
    ranker
        Learn a LightGBM ranker; without it, candidates are ordered by
        reciprocal-rank fusion of the generators.
    ranker_playlists
        Training playlists whose tails teach the ranker, per fold.
    ranker_folds
        Disjoint samples of ``ranker_playlists`` playlists; each fold fits its
        own generators without its playlists' tails, so more playlists teach the
        ranker while the generators still see most of the data. When the
        ``ranker_playlists * ranker_folds`` sampled playlists are at most a
        twentieth of those eligible (a large catalog), they form one fold.
    ranker_trees, learning_rate, num_leaves
        LightGBM hyper-parameters.
    max_per_artist, artist_window
        At most ``max_per_artist`` tracks per artist among the first
        ``artist_window``; None for no cap. Offline metrics reward same-artist
        continuations, so a cap costs a little: on a held-out mpd-dev split (300
        playlists, first5/first25/random25) a cap of 3 in the top 20 moved
        R-precision from 0.171 to 0.170 and NDCG from 0.304 to 0.302. Evaluation
        runs uncapped; ``segue recommend`` caps 3 in the top 20 by default.
    diversity
        MMR weight in [0, 1] over the first ``artist_window`` places; 0 is off.
    source
        Train only on playlists of this source label; all when None.
    random_state
        Seed of every random choice.
    num_threads
        Threads for fitting; 0 means all cores.

    Attributes
    ----------
    name
        ``"segue"``, the label in evaluation reports.
    """

    name = "segue"

    def __init__(
        self,
        *,
        factors: int = 64,
        regularization: float = 0.05,
        alpha: float = 40.0,
        iterations: int = 15,
        als_pool: int | None = 500_000,
        cooc_neighbours: int = 200,
        knn_neighbours: int = 300,
        title_neighbours: int = 400,
        candidates: int = 300,
        generators: Sequence[str] = GENERATORS,
        ranker: bool = True,
        ranker_playlists: int = 800,
        ranker_folds: int = 2,
        ranker_trees: int = 100,
        learning_rate: float = 0.05,
        num_leaves: int = 31,
        max_per_artist: int | None = None,
        artist_window: int = 20,
        diversity: float = 0.0,
        source: str | None = None,
        random_state: int = 0,
        num_threads: int = 0,
    ) -> None:
        self.factors = factors
        self.regularization = regularization
        self.alpha = alpha
        self.iterations = iterations
        self.als_pool = als_pool
        self.cooc_neighbours = cooc_neighbours
        self.knn_neighbours = knn_neighbours
        self.title_neighbours = title_neighbours
        self.candidates = candidates
        self.generators = tuple(generators)
        self.ranker = ranker
        self.ranker_playlists = ranker_playlists
        self.ranker_folds = ranker_folds
        self.ranker_trees = ranker_trees
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.max_per_artist = max_per_artist
        self.artist_window = artist_window
        self.diversity = diversity
        self.source = source
        self.random_state = random_state
        self.num_threads = num_threads
        self.fitted_: _Fitted | None = None

    def __repr__(self) -> str:
        fitted = "fitted" if self.fitted_ is not None else "not fitted"
        return f"Recommender({fitted}, generators={list(self.generators)})"

    # -- parameters ---------------------------------------------------------------

    def get_params(self) -> dict[str, Any]:
        """The hyper-parameters given to ``__init__``, JSON-serialisable."""
        params = {k: v for k, v in vars(self).items() if not k.endswith("_")}
        params["generators"] = list(self.generators)
        return params

    def _check_params(self) -> None:
        unknown = set(self.generators) - set(GENERATORS)
        if unknown:
            raise ValueError(f"unknown generators {sorted(unknown)}; use {GENERATORS}")
        if not self.generators:
            raise ValueError("give at least one generator")
        if self.als_pool is not None and self.als_pool < 1:
            raise ValueError(f"als_pool must be positive or None, not {self.als_pool}")
        if self.candidates < 1:
            raise ValueError(f"candidates must be positive, not {self.candidates}")
        if self.max_per_artist is not None and self.max_per_artist < 1:
            raise ValueError(f"max_per_artist must be >= 1, not {self.max_per_artist}")
        if not 0.0 <= self.diversity <= 1.0:
            raise ValueError(f"diversity must be in [0, 1], not {self.diversity}")

    def _make_generators(self) -> dict[str, Generator]:
        made: dict[str, Generator] = {
            "als": ALS(
                factors=self.factors,
                regularization=self.regularization,
                alpha=self.alpha,
                iterations=self.iterations,
                random_state=self.random_state,
                num_threads=self.num_threads,
                pool=self.als_pool,
            ),
            "cooccurrence": CoOccurrence(
                neighbours=self.cooc_neighbours, num_threads=self.num_threads
            ),
            "playlist_knn": PlaylistKNN(neighbours=self.knn_neighbours),
            "artist_album": ArtistAlbum(),
            "related_artists": RelatedArtists(),
            "title": Title(neighbours=self.title_neighbours),
            "features": AudioFeatures(),
            "popularity": Popularity(),
        }
        return {g: made[g] for g in GENERATORS if g in self.generators}

    # -- learning -----------------------------------------------------------------

    def fit(
        self,
        catalog: Catalog,
        *,
        exclude_playlists: Collection[str] = (),
        replace_items: Mapping[str, Sequence[str]] | None = None,
    ) -> Self:
        """Learn generators and ranker from the catalog's playlists.

        Parameters
        ----------
        catalog
            Where the playlists, tracks and features come from.
        exclude_playlists
            Playlists the model must not see at all.
        replace_items
            Playlist id to the only tracks of it the model may see (the seeds of
            evaluation playlists). These playlists never teach the ranker.

        Returns
        -------
        Self
            The fitted model.
        """
        self._check_params()
        start = time.perf_counter()
        data, playlist_ids = TrainingData.from_catalog(
            catalog,
            source=self.source,
            exclude_playlists=exclude_playlists,
            replace_items=replace_items,
        )
        if data.matrix.nnz == 0:
            raise ValueError("the catalog has no playlist items to learn from")
        booster = None
        warm: ALS | None = None
        kept: dict[str, Generator] | None = None
        once: dict[str, Generator] = {}
        if self.ranker:
            booster, warm, kept = self._fit_ranker(
                catalog, data, playlist_ids, set(replace_items or ()), once
            )
        refit = kept is None
        if kept is not None:
            generators = _repoint(kept, data)
        else:
            generators = self._fit_generators(data, once, warm)
        del warm, kept
        self.fitted_ = self._assemble(data, generators, booster)
        from segue.catalog.recsql import track_fingerprint

        self.fitted_.card = {
            "catalog": catalog.path,
            "catalog_fingerprint": track_fingerprint(catalog),
            "playlists": int(data.matrix.shape[0]),
            "tracks": int(data.n_tracks),
            "interactions": int(data.matrix.nnz),
            "excluded_playlists": len(exclude_playlists),
            "replaced_playlists": len(replace_items or {}),
            "generators_refit": refit,
            "fit_seconds": round(time.perf_counter() - start, 2),
        }
        log.info(
            "trained segue on %d playlists x %d tracks in %.1fs",
            data.matrix.shape[0],
            data.n_tracks,
            time.perf_counter() - start,
        )
        return self

    def _assemble(
        self,
        data: TrainingData,
        generators: dict[str, Generator],
        booster: Any,
        keys: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]] | None = None,
    ) -> _Fitted:
        if keys is None:
            artists = [None if a < 0 else str(a) for a in data.artists.tolist()]
            names = data.names.tolist()
            isrcs = data.isrcs.tolist()
            keys = (
                version_keys(names, artists, isrcs),
                version_keys(names, artists, isrcs, allow_remixes=True),
            )
        return _Fitted(
            data=data,
            generators=generators,
            stats=TrackStats(data),
            booster=booster,
            keys=keys[0],
            keys_remix=keys[1],
            popular=np.argsort(-data.popularity(), kind="stable").astype(np.int64),
        )

    def _fit_ranker(
        self,
        catalog: Catalog,
        data: TrainingData,
        playlist_ids: npt.NDArray[np.object_],
        evaluation: set[str],
        once: dict[str, Generator],
    ) -> tuple[Any, ALS | None, dict[str, Generator] | None]:
        """Train the ranker.

        Returns the booster, the ALS of the last fold (a warm start for the final
        fit) and, when the one fold is at most a ``_KEEP_FOLD_RATIO``-th of the
        eligible playlists, that fold's generators to keep as the final ones.
        Each fold's generators are let go before the next fold fits its own, so
        memory holds one fold's generators at a time.
        """
        start = time.perf_counter()
        rng = np.random.default_rng(self.random_state)
        lengths = np.diff(data.matrix.indptr)
        eligible = np.asarray(
            [
                r
                for r, (pid, n) in enumerate(zip(playlist_ids, lengths, strict=True))
                if n >= 6 and pid not in evaluation
            ],
            dtype=np.int64,
        )
        if len(eligible) < 10:
            log.warning("too few playlists (%d) to train a ranker", len(eligible))
            return None, None, None
        folds = max(1, self.ranker_folds)
        total = min(self.ranker_playlists * folds, len(eligible))
        chosen = rng.choice(eligible, total, replace=False)
        if len(eligible) >= _ONE_FOLD_RATIO * total:
            # hiding the tails of so small a share of the playlists barely changes
            # the generators: one fold gives the ranker as many queries for the
            # cost of one fit instead of ``folds``
            folds = 1
        keep = folds == 1 and len(eligible) >= _KEEP_FOLD_RATIO * total
        tables: list[CandidateTable] = []
        labels: list[npt.NDArray[np.float32]] = []
        warm: ALS | None = None
        kept: dict[str, Generator] | None = None
        for fold in np.array_split(chosen, folds):
            warm = None
            table, fold_labels, generators = self._ranker_fold(
                catalog, data, playlist_ids, np.sort(fold), rng, once
            )
            tables.append(table)
            labels.append(fold_labels)
            fitted = generators.get("als")
            warm = fitted if isinstance(fitted, ALS) and not keep else None
            kept = generators if keep else None
            del generators, fitted
        table = _concat(tables)
        all_labels = np.concatenate(labels)
        log.debug(
            "ranker data: %d folds, %d queries, %d candidates, in %.1fs",
            folds,
            len(table.offsets) - 1,
            len(all_labels),
            time.perf_counter() - start,
        )
        booster = train_ranker(
            table,
            all_labels,
            trees=self.ranker_trees,
            learning_rate=self.learning_rate,
            num_leaves=self.num_leaves,
            num_threads=self.num_threads,
            random_state=self.random_state,
        )
        return booster, warm, kept

    def _fit_generators(
        self,
        data: TrainingData,
        once: dict[str, Generator],
        warm: ALS | None = None,
    ) -> dict[str, Generator]:
        """Fit every generator on ``data``.

        A generator that learns nothing from the playlists (the audio features,
        whose voyager index takes minutes at MPD scale) is fitted once and handed
        on through ``once`` to every later fit on the same tracks. ALS starts from
        ``warm``'s factors when given.
        """
        generators = self._make_generators()
        for name, g in generators.items():
            shared = once.get(name)
            if shared is not None:
                shared.data_ = data
                generators[name] = shared
            elif isinstance(g, ALS) and warm is not None:
                g.fit(data, warm_start=warm)
            else:
                g.fit(data)
                if not g.learns_from_playlists:
                    once[name] = g
        return generators

    def _ranker_fold(
        self,
        catalog: Catalog,
        data: TrainingData,
        playlist_ids: npt.NDArray[np.object_],
        rows: npt.NDArray[np.int64],
        rng: np.random.Generator,
        once: dict[str, Generator],
    ) -> tuple[CandidateTable, npt.NDArray[np.float32], dict[str, Generator]]:
        """Truncate ``rows``, fit generators without their tails, label candidates."""
        from segue.catalog.recsql import ordered_items

        sequences = ordered_items(catalog, [str(playlist_ids[r]) for r in rows])
        index = data.index
        queries: list[Seeds] = []
        hidden: list[npt.NDArray[np.int64]] = []
        kept_rows: list[int] = []
        for r, seq in zip(rows.tolist(), sequences, strict=True):
            tracks = list(dict.fromkeys(index[t] for t in seq if t in index))
            title = data.titles[r]
            k = int(rng.choice(_SEED_COUNTS, p=_SEED_WEIGHTS))
            if k == 0 and not title:
                k = 1
            k = min(k, len(tracks) - max(1, len(tracks) // 5))
            if k < 0 or (k == 0 and not title):
                continue
            arr = np.asarray(tracks, dtype=np.int64)
            if k >= 10 and rng.random() < 0.3:
                pick = np.sort(rng.choice(len(arr), k, replace=False))
                seeds = arr[pick]
                rest = np.delete(arr, pick)
            else:
                seeds, rest = arr[:k], arr[k:]
            queries.append(Seeds(seeds, title))
            hidden.append(rest)
            kept_rows.append(r)

        # the matrix this fold's generators learn from: its rows hold seeds only
        matrix = replace_rows(
            data.matrix,
            np.asarray(kept_rows, dtype=np.int64),
            [q.tracks for q in queries],
        )
        truncated = data.with_matrix(matrix, data.titles)
        generators = self._fit_generators(truncated, once)
        table = self._table(queries, generators, truncated, TrackStats(truncated))
        labels = np.zeros(len(table.tracks), dtype=np.float32)
        for i, rest in enumerate(hidden):
            rows_i = table.rows(i)
            labels[rows_i] = np.isin(table.tracks[rows_i], rest)
        log.debug(
            "ranker fold: %d queries, %d candidates, recall %.3f",
            len(queries),
            len(labels),
            labels.sum() / max(sum(len(h) for h in hidden), 1),
        )
        return table, labels, generators

    def _table(
        self,
        queries: Sequence[Seeds],
        generators: Mapping[str, Generator],
        data: TrainingData,
        stats: TrackStats,
        k: int | None = None,
    ) -> CandidateTable:
        proposals, pre = score_all(queries, generators, k or self.candidates)
        return build_table(queries, proposals, generators, data, stats, pre)

    def query_candidates(self, n: int) -> int:
        """Candidates each generator proposes for a list of ``n`` tracks.

        ``candidates`` for long lists; for short ones, ``max(2 n, 100)``: the
        tracks a generator ranks below that rarely reach the first ``n`` places,
        and the ranker's cost grows with every candidate.
        """
        return min(self.candidates, max(2 * n, 100))

    # -- answering ------------------------------------------------------------------

    def _fitted(self) -> _Fitted:
        if self.fitted_ is None:
            raise NotFitted("Recommender")
        return self.fitted_

    def _encode(self, seeds: Sequence[str]) -> tuple[npt.NDArray[np.int64], list[str]]:
        index = self._fitted().data.index
        known: list[int] = []
        unknown: list[str] = []
        for s in seeds:
            i = index.get(s)
            if i is None:
                unknown.append(s)
            else:
                known.append(i)
        return np.asarray(known, dtype=np.int64), unknown

    def _rank(
        self,
        queries: Sequence[Seeds],
        excludes: Sequence[Collection[str]],
        n: int,
        allow_remixes: bool = False,
    ) -> tuple[
        list[list[int]],
        list[npt.NDArray[np.float32]],
        CandidateTable,
        npt.NDArray[np.float32],
    ]:
        fitted = self._fitted()
        table = self._table(
            queries,
            fitted.generators,
            fitted.data,
            fitted.stats,
            self.query_candidates(n),
        )
        if fitted.booster is not None and len(table.tracks):
            scores = np.asarray(
                fitted.booster.predict(table.features, num_threads=1), np.float32
            )
        else:
            scores = fuse(table)
        keys = fitted.keys_remix if allow_remixes else fitted.keys
        index = fitted.data.index
        lists: list[list[int]] = []
        list_scores: list[npt.NDArray[np.float32]] = []
        for i, q in enumerate(queries):
            rows = table.rows(i)
            order = np.argsort(-scores[rows], kind="stable")
            ranked = table.tracks[rows][order]
            by_track = dict(
                zip(ranked.tolist(), scores[rows][order].tolist(), strict=True)
            )
            banned = {index[t] for t in excludes[i] if t in index}
            banned.update(q.tracks.tolist())
            taken = list(q.tracks.tolist()) + sorted(banned)
            picked = dedupe_versions(
                (t for t in ranked.tolist() if t not in banned), keys, taken
            )
            if len(picked) < n:
                seen = {int(keys[t]) for t in taken} | {int(keys[t]) for t in picked}
                for t in fitted.popular.tolist():
                    if len(picked) >= n:
                        break
                    if t not in banned and int(keys[t]) not in seen:
                        seen.add(int(keys[t]))
                        picked.append(t)
            if self.diversity > 0 and "als" in fitted.generators:
                als = fitted.generators["als"]
                assert isinstance(als, ALS)
                rel = np.asarray(
                    [by_track.get(t, -1e9) for t in picked], dtype=np.float64
                )
                rel[rel < -1e8] = rel[rel > -1e8].min() if (rel > -1e8).any() else 0
                picked = mmr(
                    picked,
                    rel,
                    als.item_factors_,
                    fitted.data.artists,
                    self.diversity,
                    self.artist_window,
                )
            if self.max_per_artist is not None:
                picked = artist_cap(
                    picked, fitted.data.artists, self.max_per_artist, self.artist_window
                )
            picked = picked[:n]
            lists.append(picked)
            list_scores.append(
                np.asarray([by_track.get(t, np.nan) for t in picked], dtype=np.float32)
            )
        return lists, list_scores, table, scores

    def recommend_batch(
        self, queries: Sequence[Query], n: int = 500
    ) -> list[list[str]]:
        """Recommend ``n`` track ids for each query, best first.

        Unknown seeds are ignored; a query with neither known seeds nor a title gets
        the most popular tracks. Every list holds unique ids, none a seed or an
        excluded track, and no two versions of one song.

        Parameters
        ----------
        queries
            ``n_queries`` queries.
        n
            Length of each list.

        Returns
        -------
        list of list of str
            ``n_queries`` lists of at most ``n`` track ids.
        """
        fitted = self._fitted()
        encoded: list[Seeds] = []
        unknown = 0
        for q in queries:
            tracks, missing = self._encode(q.seeds)
            unknown += len(missing)
            encoded.append(Seeds(tracks, q.title))
        if unknown:
            log.info(
                "%d unknown seed tracks ignored in a batch of %d", unknown, len(queries)
            )
        ids = fitted.data.track_ids
        out: list[list[str]] = []
        step = 512
        for lo in range(0, len(encoded), step):
            chunk = encoded[lo : lo + step]
            excludes = [set(q.exclude) | set(q.seeds) for q in queries[lo : lo + step]]
            lists, _, _, _ = self._rank(chunk, excludes, n)
            out.extend([ids[t] for t in picked] for picked in lists)
        return [[str(t) for t in lst] for lst in out]

    def recommend(
        self,
        seeds: Sequence[str] = (),
        title: str | None = None,
        n: int = 50,
        exclude: Collection[str] = (),
        allow_remixes: bool = False,
    ) -> Recommendations:
        """Continue one playlist.

        Parameters
        ----------
        seeds
            Track ids of the playlist so far, in order.
        title
            The playlist's title, if any.
        n
            How many tracks to recommend.
        exclude
            Track ids that must not be recommended.
        allow_remixes
            Count remixes as songs of their own, not as versions of the original.

        Returns
        -------
        Recommendations

        Raises
        ------
        EmptyQuery
            No seeds and no title.
        UnknownTracks
            Seeds were given, none is known, and there is no title.

        Warns
        -----
        UnknownTrackWarning
            Some seeds are unknown; they are ignored and listed on the result.
        """
        fitted = self._fitted()
        title = title.strip() if title and title.strip() else None
        if not seeds and title is None:
            raise EmptyQuery()
        tracks, unknown = self._encode(seeds)
        if len(tracks) == 0 and title is None:
            raise UnknownTracks(unknown)
        if unknown:
            warnings.warn(
                f"{len(unknown)} of {len(seeds)} seed tracks are unknown to the model "
                f"and were ignored: {', '.join(unknown[:5])}",
                UnknownTrackWarning,
                stacklevel=2,
            )
        q = Seeds(tracks, title)
        lists, scores, table, _ = self._rank(
            [q], [set(exclude) | set(seeds)], n, allow_remixes
        )
        picked = lists[0]
        return Recommendations(
            track_ids=[str(fitted.data.track_ids[t]) for t in picked],
            scores=scores[0],
            reasons=self._reasons(q, picked, table),
            unknown_seeds=tuple(unknown),
        )

    def _reasons(self, q: Seeds, picked: list[int], table: CandidateTable) -> list[str]:
        fitted = self._fitted()
        rows = table.rows(0)
        where = {int(t): r for r, t in enumerate(table.tracks[rows].tolist())}
        names = [g for g in GENERATORS if g in fitted.generators]
        ranks = table.features[rows][:, [FEATURES.index(f"{g}_rank") for g in names]]
        shares = table.features[rows][:, FEATURES.index("artist_share")].tolist()
        found = [where.get(t) for t in picked]
        # plain lists: numpy calls per track cost more than the work at n=500
        picked_ranks = iter(ranks[[r for r in found if r is not None]].tolist())
        out = []
        for r in found:
            if r is None:
                out.append("popular (filler)")
                continue
            row = next(picked_ranks)
            order = sorted((v, j) for j, v in enumerate(row) if v == v)  # not NaN
            parts = [f"{names[j]} #{int(v) + 1}" for v, j in order]
            if shares[r] > 0 and len(q.tracks):
                parts.append(f"artist in {shares[r]:.0%} of seeds")
            out.append(", ".join(parts) or "ranked")
        return out

    def explain(
        self, seeds: Sequence[str], track_id: str, title: str | None = None
    ) -> Explanation:
        """Which generators propose ``track_id`` for these seeds, and why.

        Parameters
        ----------
        seeds
            Track ids of the playlist, in order.
        track_id
            The track to explain.
        title
            The playlist's title, if any.

        Raises
        ------
        UnknownTracks
            ``track_id`` is unknown to the model.
        """
        fitted = self._fitted()
        target = fitted.data.index.get(track_id)
        if target is None:
            raise UnknownTracks([track_id])
        tracks, _ = self._encode(seeds)
        q = Seeds(tracks, title)
        found: dict[str, tuple[int, float]] = {}
        for name, g in fitted.generators.items():
            c = g.candidates([q], 1000)[0]
            hit = np.flatnonzero(c.tracks == target)
            if len(hit):
                found[name] = (int(hit[0]), float(c.scores[hit[0]]))
        rank: int | None = None
        if len(tracks) or title:
            recs = self.recommend(seeds, title, n=500) if len(tracks) or title else None
            if recs is not None and track_id in recs.track_ids:
                rank = recs.track_ids.index(track_id)
        closest: list[tuple[str, float]] = []
        als = fitted.generators.get("als")
        if isinstance(als, ALS) and len(tracks):
            y = als.item_factors_
            v = y[tracks] @ y[target]
            norms = np.linalg.norm(y[tracks], axis=1) * np.linalg.norm(y[target])
            sims = v / np.maximum(norms, 1e-12)
            for j in np.argsort(-sims)[:5]:
                closest.append((str(fitted.data.track_ids[tracks[j]]), float(sims[j])))
        artists, albums = fitted.data.artists, fitted.data.albums
        return Explanation(
            track_id=track_id,
            rank=rank,
            generators=found,
            closest_seeds=closest,
            same_artist=int(
                ((artists[tracks] == artists[target]) & (artists[target] >= 0)).sum()
            ),
            same_album=int(
                ((albums[tracks] == albums[target]) & (albums[target] >= 0)).sum()
            ),
        )

    # -- files ----------------------------------------------------------------------

    def save(
        self, path: str | Path, *, metrics: Mapping[str, float] | None = None
    ) -> Path:
        """Write the model to a directory, atomically (see :mod:`.model_io`)."""
        from segue.recommend.model_io import save_model

        return save_model(self, Path(path), metrics=metrics)

    @classmethod
    def load(cls, path: str | Path, catalog: Catalog | None = None) -> Recommender:
        """Read a model directory; with ``catalog``, check that it belongs to it.

        Raises
        ------
        ModelFileError
            The directory is missing, incomplete or corrupt.
        ModelMismatch
            The model was built from another catalog.
        """
        from segue.recommend.model_io import load_model

        return load_model(Path(path), catalog)


def _repoint(
    generators: dict[str, Generator], data: TrainingData
) -> dict[str, Generator]:
    """Generators fitted on a ranker fold's matrix, made to answer from ``data``.

    Each one is restored from its own state with ``data``, just as
    :meth:`Recommender.load` would, so the model answers the same before and
    after a save; one that learns nothing from the playlists is only re-pointed.
    """
    start = time.perf_counter()
    for g in generators.values():
        if g.learns_from_playlists:
            g.restore(data, g.state())
        else:
            g.data_ = data
    log.debug(
        "kept the ranker fold's generators, re-pointed in %.2fs",
        time.perf_counter() - start,
    )
    return generators


def _concat(tables: Sequence[CandidateTable]) -> CandidateTable:
    """One table holding the queries of ``tables``, in order."""
    offsets = [np.zeros(1, dtype=np.int64)]
    base = 0
    for t in tables:
        offsets.append(t.offsets[1:] + base)
        base += int(t.offsets[-1])
    return CandidateTable(
        tracks=np.concatenate([t.tracks for t in tables]),
        offsets=np.concatenate(offsets),
        features=np.concatenate([t.features for t in tables]),
    )
