"""Matrix factorisation (implicit ALS) over playlist x track, with seed fold-in."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from typing import Any, Self

import numpy as np
import numpy.typing as npt

from segue.recommend.data import Candidates, Seeds, TrainingData, top_k
from segue.recommend.generators.base import Generator, one_blas_thread

__all__ = ["ALS"]

log = logging.getLogger("segue")

_CHUNK = 256  # queries scored at once: (chunk, n_tracks) float32 in memory


class ALS(Generator):
    """Weighted matrix factorisation by alternating least squares (``implicit``).

    A query's seeds are folded in by solving the playlist factor exactly, as ALS
    itself would for one more row: ``(YᵀY + Yₛᵀ(C - I)Yₛ + λI) x = Yₛᵀ C 1``, with
    confidence ``C = alpha`` on each seed. Scores are ``Y x``.

    Parameters
    ----------
    factors
        Size of the latent vectors.
    regularization
        L2 weight ``λ``.
    alpha
        Confidence of an observed playlist-track pair.
    iterations
        ALS sweeps.
    random_state
        Seed of the factor initialisation.
    num_threads
        Threads for fitting; 0 means all cores.
    pool
        Propose only among the ``pool`` tracks in most training playlists; None
        scores every track. Scoring reads every scored track's factors for each
        query, so its cost grows with the catalog; a track outside the pool can
        still be proposed by another generator and then gets its ALS features.

    Attributes
    ----------
    item_factors_
        Shape ``(n_tracks, factors)``, float32.
    pool_
        Shape ``(n_pool,)``, int64, sorted: the tracks :meth:`candidates` scores
        (every track when ``pool`` is None or not smaller than the catalog).
    pool_factors_
        Shape ``(n_pool, factors)``, float32: their factors, contiguous, so that
        the scan per query reads only the pool's.
    unit_factors_
        Shape ``(n_tracks, factors)``, float32: the item factors scaled to unit
        length, for cosines between tracks.
    gram_
        Shape ``(factors, factors)``, float64: ``YᵀY``.
    """

    name = "als"
    user_factors_: npt.NDArray[np.float32]

    def __init__(
        self,
        factors: int = 128,
        regularization: float = 0.05,
        alpha: float = 40.0,
        iterations: int = 15,
        random_state: int = 0,
        num_threads: int = 0,
        pool: int | None = None,
    ) -> None:
        if pool is not None and pool < 1:
            raise ValueError(f"pool must be positive or None, not {pool}")
        self.factors = factors
        self.regularization = regularization
        self.alpha = alpha
        self.iterations = iterations
        self.random_state = random_state
        self.num_threads = num_threads
        self.pool = pool

    def fit(self, data: TrainingData, warm_start: ALS | None = None) -> Self:
        """Factorise ``data.matrix`` (shape ``(n_playlists, n_tracks)``).

        Parameters
        ----------
        data
            The training data.
        warm_start
            A model fitted on a matrix of the same shape (e.g. the same playlists
            with hidden tails): start from its factors and run a quarter of the
            iterations (at least 2).
        """
        from implicit.cpu.als import AlternatingLeastSquares

        start = time.perf_counter()
        iterations = self.iterations
        # implicit's own solver is multi-threaded; BLAS threads on top oversubscribe
        # (and implicit warns about it when the model is made)
        with one_blas_thread():
            model = AlternatingLeastSquares(
                factors=self.factors,
                regularization=self.regularization,
                alpha=self.alpha,
                iterations=iterations,
                random_state=self.random_state,
                num_threads=self.num_threads,
                calculate_training_loss=False,
            )
            if (
                warm_start is not None
                and warm_start.user_factors_.shape[0] == (data.matrix.shape[0])
            ):
                model.user_factors = warm_start.user_factors_.copy()
                model.item_factors = warm_start.item_factors_.copy()
                model.iterations = iterations = max(2, self.iterations // 4)
            model.fit(data.matrix, show_progress=False)
            self.user_factors_ = np.asarray(model.user_factors, dtype=np.float32)
            self._set(data, np.asarray(model.item_factors, dtype=np.float32))
        log.debug(
            "als: %d factors, %d iterations in %.2fs",
            self.factors,
            iterations,
            time.perf_counter() - start,
        )
        return self

    def _set(self, data: TrainingData, item_factors: npt.NDArray[np.float32]) -> None:
        self.data_ = data
        self.item_factors_ = item_factors
        norms = np.linalg.norm(item_factors, axis=1, keepdims=True)
        self.unit_factors_ = (item_factors / np.maximum(norms, 1e-12)).astype(
            np.float32
        )
        with one_blas_thread():
            y = item_factors.astype(np.float64)
            self.gram_ = y.T @ y
        n = item_factors.shape[0]
        if self.pool is None or self.pool >= n:
            self.pool_ = np.arange(n, dtype=np.int64)
            self.pool_factors_ = item_factors
        else:
            top = np.argpartition(-data.popularity(), self.pool - 1)[: self.pool]
            self.pool_ = np.sort(top).astype(np.int64)
            self.pool_factors_ = item_factors[self.pool_]

    def state(self) -> dict[str, npt.NDArray[Any]]:
        """The item factors."""
        return {"item_factors": self.item_factors_}

    def restore(
        self, data: TrainingData, arrays: Mapping[str, npt.NDArray[Any]]
    ) -> None:
        """Take back the item factors."""
        self._set(data, np.asarray(arrays["item_factors"], dtype=np.float32))

    def fold_in(self, queries: Sequence[Seeds]) -> npt.NDArray[np.float32]:
        """Shape ``(n_queries, factors)``: the playlist factors of the queries.

        A query without seeds gets a zero vector.
        """
        self._data()
        y = self.item_factors_
        out = np.zeros((len(queries), y.shape[1]), dtype=np.float32)
        reg = self.regularization * np.eye(y.shape[1])
        with one_blas_thread():
            for r, q in enumerate(queries):
                seeds = np.unique(q.tracks)
                if len(seeds) == 0:
                    continue
                ys = y[seeds].astype(np.float64)
                a = self.gram_ + (self.alpha - 1.0) * (ys.T @ ys) + reg
                b = self.alpha * ys.sum(axis=0)
                out[r] = np.linalg.solve(a, b)
        return out

    def scores(self, queries: Sequence[Seeds]) -> npt.NDArray[np.float32]:
        """Shape ``(n_queries, n_tracks)``: ``Y x`` for each query."""
        return self.fold_in(queries) @ self.item_factors_.T

    def candidates(self, queries: Sequence[Seeds], k: int) -> list[Candidates]:
        """The ``k`` tracks with the highest ``Y x``."""
        return self.candidates_from(self.fold_in(queries), queries, k)

    def candidates_from(
        self, factors: npt.NDArray[np.float32], queries: Sequence[Seeds], k: int
    ) -> list[Candidates]:
        """Like :meth:`candidates`, from :meth:`fold_in`'s ``(n_queries, factors)``."""
        out: list[Candidates] = []
        pool = self.pool_
        for lo in range(0, len(queries), _CHUNK):
            chunk = queries[lo : lo + _CHUNK]
            scores = factors[lo : lo + _CHUNK] @ self.pool_factors_.T
            for q, row in zip(chunk, scores, strict=True):
                if len(q.tracks) == 0:
                    out.append(Candidates.empty())
                else:
                    # the seeds' places in the pool, for those in it
                    at = np.minimum(np.searchsorted(pool, q.tracks), len(pool) - 1)
                    best = top_k(row, k, at[pool[at] == q.tracks])
                    out.append(Candidates(pool[best.tracks], best.scores))
        return out
