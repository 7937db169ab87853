"""Item-similarity peers from the literature: RP3beta and EASE.

Both score tracks for a playlist as its seed row times a track x track matrix ``W``
learnt from the training playlists, and both meet the :class:`Model` contract the
way :mod:`segue.recommend.peers` does (popular tracks top up short lists; a query
without known seeds gets the popularity list).

- :class:`RP3Beta` (Paudel et al., 2017; among the strongest simple baselines in
  Ferrari Dacrema et al., 2019): ``W`` is the three-step random walk track ->
  playlist -> track, each step's probabilities raised to ``alpha``, each column
  divided by its track's popularity to the power ``beta``; the ``neighbours``
  largest entries of each row are kept.
- :class:`EASE` (Steck, 2019): the closed form of a ridge regression of every
  track on all the others with a zero diagonal,
  ``W = I - P / diag(P)`` where ``P = (X^T X + regularization I)^-1``. It needs a
  dense ``pool x pool`` inverse, so it learns over the ``pool`` tracks in most
  training playlists; the others score nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import scipy.linalg
import scipy.sparse as sp
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]  # no stubs

from segue.recommend.base import Query
from segue.recommend.generators.base import query_matrix
from segue.recommend.generators.neighbours import keep_top
from segue.recommend.peers import Popularity

__all__ = ["EASE", "RP3Beta"]

_BATCH = 256


class _ItemSimilarity(Popularity):
    """A peer whose scores are the seed rows times a learnt track x track matrix."""

    def __init__(self, name: str, *, threads: int = 0) -> None:
        super().__init__(name)
        self.threads = threads

    def _train(self, matrix: sp.csr_matrix) -> None:
        binary = sp.csr_matrix(matrix, dtype=np.float32, copy=True)
        binary.sum_duplicates()
        binary.data[:] = 1.0
        with threadpool_limits(self.threads or None, "blas"):
            self._learn_weights(binary)

    def _learn_weights(self, matrix: sp.csr_matrix) -> None:
        """Learn ``W`` from the binary playlist x track matrix."""
        raise NotImplementedError

    def _scores(self, seeds: sp.csr_matrix) -> npt.NDArray[np.float32]:
        """Shape ``(n_queries, n_tracks)``: scores of every track for seed rows."""
        raise NotImplementedError

    def recommend_batch(
        self, queries: Sequence[Query], n: int = 500
    ) -> list[list[str]]:
        """The best-scored tracks that are not seeds; see ``Model.recommend_batch``."""
        seeds = self._seeds(queries)
        asked = [i for i, q in enumerate(seeds) if len(q.tracks)]
        heads: list[list[str]] = [[] for _ in queries]
        n_tracks = len(self.track_ids_)
        for start in range(0, len(asked), _BATCH):
            chunk = asked[start : start + _BATCH]
            rows = query_matrix([seeds[i] for i in chunk], n_tracks)
            with threadpool_limits(self.threads or None, "blas"):
                scores = self._scores(sp.csr_matrix(rows))
            for k, i in enumerate(chunk):
                s = scores[k]
                s[seeds[i].tracks] = -np.inf
                count = min(n + len(queries[i].exclude), n_tracks)
                top = np.argpartition(-s, count - 1)[:count]
                top = top[np.lexsort((top, -s[top]))]
                top = top[s[top] > 0]
                banned = queries[i].exclude
                tracks = (str(self.track_ids_[j]) for j in top)
                heads[i] = [t for t in tracks if t not in banned][:n]
        return [self._top_up(h, q, n) for h, q in zip(heads, queries, strict=True)]


class RP3Beta(_ItemSimilarity):
    """The popularity-penalised three-step random walk over playlists and tracks.

    Parameters
    ----------
    name
        Label in reports.
    alpha
        Power of each step's transition probabilities.
    beta
        Power of the popularity that divides each target track's column.
    neighbours
        Entries kept per track row.
    threads
        BLAS threads; 0 uses every core.
    """

    def __init__(
        self,
        name: str = "rp3beta",
        *,
        alpha: float = 0.6,
        beta: float = 0.1,
        neighbours: int = 500,
        threads: int = 0,
    ) -> None:
        super().__init__(name, threads=threads)
        self.alpha = alpha
        self.beta = beta
        self.neighbours = neighbours

    def _learn_weights(self, matrix: sp.csr_matrix) -> None:
        popularity = np.maximum(np.asarray(matrix.sum(axis=0)).ravel(), 1.0)
        lengths = np.maximum(np.asarray(matrix.sum(axis=1)).ravel(), 1.0)
        # track -> playlist, and playlist -> track with the popularity penalty
        to_playlists = sp.csr_matrix(sp.diags(popularity**-self.alpha) @ matrix.T)
        to_tracks = sp.csr_matrix(
            sp.diags(lengths**-self.alpha) @ matrix @ sp.diags(popularity**-self.beta)
        )
        blocks = []
        step = 4096
        for lo in range(0, matrix.shape[1], step):
            walk = sp.csr_matrix(to_playlists[lo : lo + step] @ to_tracks)
            own = np.repeat(np.arange(walk.shape[0]), np.diff(walk.indptr)) + lo
            walk.data[walk.indices == own] = 0.0
            blocks.append(keep_top(walk, self.neighbours, 1.0))
        self.weights_ = sp.csr_matrix(sp.vstack(blocks), dtype=np.float32)

    def _scores(self, seeds: sp.csr_matrix) -> npt.NDArray[np.float32]:
        scores: npt.NDArray[np.float32] = (seeds @ self.weights_).toarray()
        return scores


class EASE(_ItemSimilarity):
    """Steck's embarrassingly shallow autoencoder over the most popular tracks.

    Parameters
    ----------
    name
        Label in reports.
    regularization
        The ridge penalty ``lambda`` added to the Gram matrix's diagonal.
    pool
        Tracks learnt (those in most training playlists); memory grows with
        ``pool ** 2`` (4 bytes each, a few copies) and time with ``pool ** 3``.
        On mpd-dev, 16,000 tracks took 33 s to fit on 2 cores and the whole
        process peaked at 4.2 GB; 12,000 took 15 s, 2.5 GB and scored 2 % less.
    threads
        BLAS threads; 0 uses every core.
    """

    def __init__(
        self,
        name: str = "ease",
        *,
        regularization: float = 500.0,
        pool: int = 16_000,
        threads: int = 0,
    ) -> None:
        super().__init__(name, threads=threads)
        if pool < 1:
            raise ValueError(f"pool must be positive, not {pool}")
        self.regularization = regularization
        self.pool = pool

    def _learn_weights(self, matrix: sp.csr_matrix) -> None:
        counts = np.asarray(matrix.sum(axis=0)).ravel()
        pool = np.sort(np.argsort(-counts, kind="stable")[: self.pool])
        columns = sp.csc_matrix(matrix)[:, pool]
        gram = np.asarray((columns.T @ columns).toarray(), dtype=np.float32)
        gram[np.diag_indices_from(gram)] += self.regularization
        # in place: the pool x pool arrays are the memory this model needs
        weights = scipy.linalg.inv(gram, overwrite_a=True, check_finite=False)
        del gram
        weights /= -np.diag(weights)
        weights[np.diag_indices_from(weights)] = 0.0
        self.pool_ = pool.astype(np.int64)
        self.weights_ = np.asarray(weights, dtype=np.float32)

    def _scores(self, seeds: sp.csr_matrix) -> npt.NDArray[np.float32]:
        scores = np.zeros(seeds.shape, dtype=np.float32)
        scores[:, self.pool_] = sp.csc_matrix(seeds)[:, self.pool_] @ self.weights_
        return scores
