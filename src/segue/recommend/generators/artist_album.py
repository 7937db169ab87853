"""Same artist and same album: more of what the seeds are made of.

A track by an artist who made a share ``a`` of the seeds, from an album that holds
a share ``b`` of them, scores ``a + album_weight * b``, plus a small bonus for
its popularity within the training playlists, so that an artist's best-loved
tracks come first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Self

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from segue.recommend.data import Candidates, Seeds, TrainingData, top_k_sparse
from segue.recommend.generators.base import Generator

__all__ = ["ArtistAlbum"]


class ArtistAlbum(Generator):
    """Tracks of the seeds' artists and albums, weighted by how the seeds use them.

    Parameters
    ----------
    album_weight
        Weight of the album share next to the artist share.
    popularity_weight
        Weight of the track's popularity rank within its artist (0 to 1).
    """

    name = "artist_album"

    def __init__(self, album_weight: float = 0.5, popularity_weight: float = 0.1):
        self.album_weight = album_weight
        self.popularity_weight = popularity_weight

    def fit(self, data: TrainingData) -> Self:
        """Group the tracks by artist and by album."""
        self.data_ = data
        n = data.n_tracks
        pop = data.popularity()
        self.bonus_ = (
            self.popularity_weight * pop / max(float(pop.max()), 1.0)
        ).astype(np.float32)

        def groups(codes: npt.NDArray[np.int64]) -> sp.csr_matrix:
            known = np.flatnonzero(codes >= 0)
            width = int(codes.max()) + 1 if len(known) else 0
            return sp.csr_matrix(
                (np.ones(len(known), np.float32), (codes[known], known)),
                shape=(width, n),
            )

        self.artist_tracks_ = groups(data.artists)
        self.album_tracks_ = groups(data.albums)
        return self

    def restore(
        self, data: TrainingData, arrays: Mapping[str, npt.NDArray[Any]]
    ) -> None:
        """Rebuild from the training data (nothing else is saved)."""
        self.fit(data)

    def candidates(self, queries: Sequence[Seeds], k: int) -> list[Candidates]:
        """Tracks of the seeds' artists and albums."""
        data = self._data()
        out = []
        for q in queries:
            if len(q.tracks) == 0:
                out.append(Candidates.empty())
                continue
            scores: dict[int, float] = {}
            for codes, groups, weight in (
                (data.artists, self.artist_tracks_, 1.0),
                (data.albums, self.album_tracks_, self.album_weight),
            ):
                seeds = codes[q.tracks]
                seeds = seeds[seeds >= 0]
                if len(seeds) == 0:
                    continue
                values, counts = np.unique(seeds, return_counts=True)
                share = counts / len(q.tracks)
                for v, s in zip(values.tolist(), share.tolist(), strict=True):
                    lo, hi = groups.indptr[v], groups.indptr[v + 1]
                    for t in groups.indices[lo:hi].tolist():
                        scores[t] = scores.get(t, 0.0) + weight * s
            if not scores:
                out.append(Candidates.empty())
                continue
            idx = np.fromiter(scores, dtype=np.int64, count=len(scores))
            val = np.fromiter(scores.values(), dtype=np.float32, count=len(scores))
            out.append(top_k_sparse(idx, val + self.bonus_[idx], k, q.tracks))
        return out
