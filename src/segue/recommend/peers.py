"""Peer models segue is measured against, each meeting the :class:`Model` contract.

- :class:`Popularity`: the tracks in most training playlists, same list for all.
- :class:`ALS`: implicit's ``AlternatingLeastSquares`` over playlist x track; a test
  playlist is folded in from its seeds (``recalculate_user=True``).
- :class:`ItemKNN`: item-item cosine neighbours (implicit); a playlist scores each
  track by its cosine similarity to the seeds.

Two more peers from the literature, RP3beta and EASE, live in
:mod:`segue.recommend.item_peers`.

Every peer trains on :meth:`Catalog.interactions` with the exclusions it is given, so
held-out tracks never reach it. Lists are topped up with popular tracks where a model
runs out of scored tracks; a playlist without known seeds (the ``title`` category, for
peers ignore titles) gets the popularity list.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Collection, Mapping, Sequence
from typing import Any, Self

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from implicit.als import AlternatingLeastSquares
from implicit.nearest_neighbours import ItemItemRecommender
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]  # no stubs

from segue.catalog import Catalog
from segue.recommend.base import Query
from segue.recommend.data import Seeds
from segue.recommend.generators.base import query_matrix

__all__ = ["ALS", "ItemKNN", "Popularity"]

log = logging.getLogger("segue")


class Popularity:
    """Recommend the tracks found in most training playlists.

    Parameters
    ----------
    name
        Label in reports.
    """

    def __init__(self, name: str = "popularity") -> None:
        self.name = name

    def fit(
        self,
        catalog: Catalog,
        *,
        exclude_playlists: Collection[str] = (),
        replace_items: Mapping[str, Sequence[str]] | None = None,
    ) -> Self:
        """Count each track's playlists, then train; see :meth:`Model.fit`."""
        data = catalog.interactions(
            exclude_playlists=exclude_playlists, replace_items=replace_items
        )
        self._learn(data.matrix, data.track_ids)
        started = time.perf_counter()
        self._train(data.matrix)
        log.debug(
            "%s: fit %d x %d in %.2fs",
            self.name,
            data.matrix.shape[0],
            data.matrix.shape[1],
            time.perf_counter() - started,
        )
        return self

    def _train(self, matrix: sp.csr_matrix) -> None:
        """Learn from the playlist x track matrix (popularity needs only counts)."""

    def _seeds(self, queries: Sequence[Query]) -> list[Seeds]:
        """Each query's known seeds as distinct track columns, in seed order."""
        return [
            Seeds(
                np.asarray(
                    [
                        self.index_[t]
                        for t in dict.fromkeys(q.seeds)
                        if t in self.index_
                    ],
                    dtype=np.int64,
                )
            )
            for q in queries
        ]

    def _learn(self, matrix: sp.csr_matrix, track_ids: npt.NDArray[Any]) -> None:
        counts = np.asarray(matrix.sum(axis=0)).ravel()
        self.order_ = np.argsort(-counts, kind="stable")
        self.counts_ = counts.astype(np.int64)
        self.track_ids_ = track_ids
        self.index_ = {str(t): j for j, t in enumerate(track_ids.tolist())}

    def count_of(self) -> dict[str, int]:
        """Track id to the number of training playlists that hold it."""
        return dict(
            zip(
                (str(t) for t in self.track_ids_.tolist()),
                self.counts_.tolist(),
                strict=True,
            )
        )

    def recommend_batch(
        self, queries: Sequence[Query], n: int = 500
    ) -> list[list[str]]:
        """The most popular tracks that are not seeds; see ``Model.recommend_batch``."""
        return [self._top_up([], q, n) for q in queries]

    def _top_up(self, head: list[str], query: Query, n: int) -> list[str]:
        banned = set(query.seeds) | set(query.exclude) | set(head)
        out = list(head)
        if len(out) >= n:
            return out[:n]
        for j in self.order_:
            track = str(self.track_ids_[j])
            if track not in banned:
                out.append(track)
                if len(out) == n:
                    break
        return out


class _Implicit(Popularity):
    """An implicit model over playlist x track, with popularity to fall back on."""

    def __init__(self, name: str, *, threads: int = 0, min_score: float) -> None:
        super().__init__(name)
        self.threads = threads
        self.min_score = min_score

    def _make(self) -> Any:
        raise NotImplementedError

    def _weigh(self, matrix: sp.csr_matrix) -> sp.csr_matrix:
        return matrix

    def _train(self, matrix: sp.csr_matrix) -> None:
        with threadpool_limits(1, "blas"):
            self.model_ = self._make()
            self.model_.fit(self._weigh(matrix), show_progress=False)

    def recommend_batch(
        self, queries: Sequence[Query], n: int = 500
    ) -> list[list[str]]:
        """Score tracks from each playlist's seeds; see ``Model.recommend_batch``."""
        # seed rows of the known seeds, one row per query that has any
        seeds = self._seeds(queries)
        asked = [i for i, q in enumerate(seeds) if len(q.tracks)]
        heads: list[list[str]] = [[] for _ in queries]
        if asked:
            user_items = sp.csr_matrix(
                query_matrix([seeds[i] for i in asked], len(self.track_ids_))
            )

            # ask for extra to make up for excluded tracks
            extra = max(len(queries[i].exclude) for i in asked)
            count = min(n + extra, len(self.track_ids_))
            with threadpool_limits(1, "blas"):
                ids, scores = self._recommend(user_items, count)
            for k, i in enumerate(asked):
                banned = set(queries[i].seeds) | queries[i].exclude
                keep = np.isfinite(scores[k]) & (scores[k] > self.min_score)
                keep &= ids[k] >= 0
                tracks = (str(self.track_ids_[j]) for j in ids[k][keep])
                heads[i] = [t for t in tracks if t not in banned][:n]
        return [self._top_up(h, q, n) for h, q in zip(heads, queries, strict=True)]

    def _recommend(
        self, user_items: sp.csr_matrix, count: int
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        userids = np.arange(user_items.shape[0])
        ids, scores = self.model_.recommend(
            userids,
            user_items,
            N=count,
            filter_already_liked_items=True,
            recalculate_user=True,
        )
        return np.atleast_2d(ids), np.atleast_2d(scores)


class ALS(_Implicit):
    """implicit's alternating least squares, folding test playlists in from seeds.

    Parameters
    ----------
    name
        Label in reports.
    factors, regularization, alpha, iterations
        Passed to ``implicit.als.AlternatingLeastSquares`` (its defaults here).
    threads
        Threads for implicit; 0 uses every core.
    random_state
        Seed of the factor initialisation.
    """

    def __init__(
        self,
        name: str = "als",
        *,
        factors: int = 100,
        regularization: float = 0.01,
        alpha: float = 1.0,
        iterations: int = 15,
        threads: int = 0,
        random_state: int = 0,
    ) -> None:
        super().__init__(name, threads=threads, min_score=-np.inf)
        self.factors = factors
        self.regularization = regularization
        self.alpha = alpha
        self.iterations = iterations
        self.random_state = random_state

    def _make(self) -> Any:
        return AlternatingLeastSquares(
            factors=self.factors,
            regularization=self.regularization,
            alpha=self.alpha,
            iterations=self.iterations,
            num_threads=self.threads,
            random_state=self.random_state,
            use_gpu=False,
        )


class ItemKNN(_Implicit):
    """implicit's item-item cosine neighbours.

    Parameters
    ----------
    name
        Label in reports.
    neighbours
        Neighbours kept per track (implicit's ``K``).
    threads
        Threads for implicit; 0 uses every core.

    Notes
    -----
    The model is implicit's ``ItemItemRecommender`` over unit-length track columns,
    which is what ``CosineRecommender`` computes; the latter is not used because it
    hands implicit a COO matrix and so raises implicit's ``ParameterWarning``.
    Tracks with no similarity to any seed score 0; they are left to the popularity
    top-up instead of implicit's arbitrary order among ties.
    """

    def __init__(
        self, name: str = "itemknn", *, neighbours: int = 100, threads: int = 0
    ) -> None:
        super().__init__(name, threads=threads, min_score=0.0)
        self.neighbours = neighbours

    def _make(self) -> Any:
        return ItemItemRecommender(K=self.neighbours, num_threads=self.threads)

    def _weigh(self, matrix: sp.csr_matrix) -> sp.csr_matrix:
        # unit-length track columns: item-item dot products become cosines
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=0)).ravel())
        scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
        return sp.csr_matrix(matrix.astype(np.float64) @ sp.diags(scale))

    def _recommend(
        self, user_items: sp.csr_matrix, count: int
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        userids = np.arange(user_items.shape[0])
        ids, scores = self.model_.recommend(
            userids, user_items, N=count, filter_already_liked_items=True
        )
        return np.atleast_2d(ids), np.atleast_2d(scores)
