"""Item co-occurrence neighbours: tracks that share playlists with the seeds."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from typing import Any, Self

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from segue.recommend.data import Candidates, Seeds, TrainingData
from segue.recommend.generators.base import Generator, query_matrix
from segue.recommend.generators.neighbours import rows_top_k

__all__ = ["CoOccurrence"]

log = logging.getLogger("segue")


class CoOccurrence(Generator):
    """Sum of the seeds' item-item similarities, the last seeds weighted up.

    The similarity is BM25-weighted co-occurrence (``implicit``'s item-item model),
    each track keeping its ``neighbours`` most similar tracks; rows are normalised
    to unit maximum so that every seed votes with equal strength.

    Parameters
    ----------
    neighbours
        Similar tracks kept per track.
    k1, b
        BM25 saturation and length normalisation.
    recent, recent_boost
        The last ``recent`` seeds weigh ``1 + recent_boost``.
    num_threads
        Threads for fitting; 0 means all cores.

    Attributes
    ----------
    similarity_
        CSR of shape ``(n_tracks, n_tracks)``, float32.
    """

    name = "cooccurrence"

    def __init__(
        self,
        neighbours: int = 200,
        k1: float = 1.2,
        b: float = 0.75,
        recent: int = 5,
        recent_boost: float = 1.0,
        num_threads: int = 0,
    ) -> None:
        self.neighbours = neighbours
        self.k1 = k1
        self.b = b
        self.recent = recent
        self.recent_boost = recent_boost
        self.num_threads = num_threads

    def fit(self, data: TrainingData) -> Self:
        """Build the item-item similarity from ``data.matrix``."""
        from implicit.nearest_neighbours import ItemItemRecommender, bm25_weight

        start = time.perf_counter()
        # weigh each track's playlist vector by BM25 (idf of the playlist, length
        # norm of the track); bm25_weight returns COO, which implicit would convert
        weighted = sp.csr_matrix(bm25_weight(data.matrix.T, self.k1, self.b).T)
        model = ItemItemRecommender(K=self.neighbours, num_threads=self.num_threads)
        model.fit(weighted, show_progress=False)
        sim = sp.csr_matrix(model.similarity, dtype=np.float32)
        sim.setdiag(0)
        sim.eliminate_zeros()
        peak = np.maximum(sim.max(axis=1).toarray().ravel(), 1e-12)
        sim = sp.csr_matrix(sp.diags(1.0 / peak) @ sim, dtype=np.float32)
        self.data_ = data
        self.similarity_ = sim
        log.debug(
            "cooccurrence: %d pairs in %.2fs", sim.nnz, time.perf_counter() - start
        )
        return self

    def state(self) -> dict[str, npt.NDArray[Any]]:
        """The similarity matrix as CSR arrays."""
        s = self.similarity_
        return {"indptr": s.indptr, "indices": s.indices, "data": s.data}

    def restore(
        self, data: TrainingData, arrays: Mapping[str, npt.NDArray[Any]]
    ) -> None:
        """Take back the similarity matrix."""
        n = data.n_tracks
        self.data_ = data
        self.similarity_ = sp.csr_matrix(
            (arrays["data"], arrays["indices"], arrays["indptr"]), shape=(n, n)
        )

    def score_matrix(self, queries: Sequence[Seeds]) -> sp.csr_matrix:
        """CSR of shape ``(n_queries, n_tracks)``: summed similarities."""
        data = self._data()
        q = query_matrix(queries, data.n_tracks, self.recent, self.recent_boost)
        return sp.csr_matrix(q @ self.similarity_)

    def candidates(self, queries: Sequence[Seeds], k: int) -> list[Candidates]:
        """The ``k`` tracks most similar to the seeds together."""
        return rows_top_k(self.score_matrix(queries), queries, k)
