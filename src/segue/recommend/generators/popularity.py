"""The last resort: the tracks most playlists hold."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self

import numpy as np

from segue.recommend.data import Candidates, Seeds, TrainingData
from segue.recommend.generators.base import Generator

__all__ = ["Popularity"]


class Popularity(Generator):
    """Propose the most frequent tracks of the training playlists.

    Attributes
    ----------
    order_
        Shape ``(n_tracks,)``: column indices by descending playlist count.
    counts_
        Shape ``(n_tracks,)``: playlist count of each column.
    """

    name = "popularity"

    def fit(self, data: TrainingData) -> Self:
        """Count the playlists of each track."""
        self.data_ = data
        self.counts_ = data.popularity()
        self.order_ = np.argsort(-self.counts_, kind="stable").astype(np.int64)
        return self

    def restore(self, data: TrainingData, arrays: object) -> None:
        """Recount from the training data (nothing else is saved)."""
        self.fit(data)

    def candidates(self, queries: Sequence[Seeds], k: int) -> list[Candidates]:
        """The ``k`` most frequent tracks that are not seeds."""
        self._data()
        out = []
        head = self.order_[: k + max((len(q.tracks) for q in queries), default=0)]
        for q in queries:
            keep = head[~np.isin(head, q.tracks)][:k]
            out.append(Candidates(keep, self.counts_[keep].astype(np.float32)))
        return out
