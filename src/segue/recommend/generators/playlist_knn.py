"""Playlist neighbours: tracks of the training playlists that share the most seeds."""

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
from segue.recommend.generators.neighbours import keep_top, vote

__all__ = ["PlaylistKNN"]

log = logging.getLogger("segue")


class PlaylistKNN(Generator):
    """Vote of the ``neighbours`` training playlists most like the seeds.

    Likeness is the seeds' weighted overlap with a playlist divided by
    ``len(playlist) ** length_power``; each neighbour votes for its tracks with its
    likeness raised to ``power``.

    Parameters
    ----------
    neighbours
        Playlists that vote.
    power
        Sharpening of the likeness.
    length_power
        Penalty of long playlists (0: none, 0.5: cosine-like).
    recent, recent_boost
        The last ``recent`` seeds weigh ``1 + recent_boost``.
    """

    name = "playlist_knn"

    def __init__(
        self,
        neighbours: int = 100,
        power: float = 2.0,
        length_power: float = 0.5,
        recent: int = 5,
        recent_boost: float = 0.5,
    ) -> None:
        self.neighbours = neighbours
        self.power = power
        self.length_power = length_power
        self.recent = recent
        self.recent_boost = recent_boost

    def fit(self, data: TrainingData) -> Self:
        """Keep the training matrix, rows scaled by their length penalty."""
        start = time.perf_counter()
        self.data_ = data
        lengths = np.maximum(np.diff(data.matrix.indptr), 1).astype(np.float32)
        scale = sp.diags(lengths ** (-self.length_power))
        self.transposed_ = sp.csr_matrix((scale @ data.matrix).T, dtype=np.float32)
        log.debug("playlist_knn: fitted in %.2fs", time.perf_counter() - start)
        return self

    def restore(
        self, data: TrainingData, arrays: Mapping[str, npt.NDArray[Any]]
    ) -> None:
        """Rebuild from the training data (nothing else is saved)."""
        self.fit(data)

    def weights(self, queries: Sequence[Seeds]) -> sp.csr_matrix:
        """CSR of shape ``(n_queries, n_playlists)``: the neighbours' votes."""
        data = self._data()
        q = query_matrix(queries, data.n_tracks, self.recent, self.recent_boost)
        sims = sp.csr_matrix(q @ self.transposed_)
        return keep_top(sims, self.neighbours, self.power)

    def score_matrix(self, queries: Sequence[Seeds]) -> sp.csr_matrix:
        """CSR of shape ``(n_queries, n_tracks)``: the votes for every track."""
        return sp.csr_matrix(self.weights(queries) @ self._data().matrix)

    def candidates(self, queries: Sequence[Seeds], k: int) -> list[Candidates]:
        """The tracks the most similar playlists vote for."""
        return vote(self.weights(queries), self._data().matrix, queries, k)
