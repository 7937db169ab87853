"""Related artists: tracks by the artists that share playlists with the seeds'.

Artists are far denser than tracks (an artist appears in many more playlists than
any one of its songs), so their co-occurrence is a steadier signal on small data:
it reaches songs that no training playlist puts next to a seed, by artists that
playlists put next to the seeds' artists.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from typing import Any, Self

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from segue.recommend.data import Candidates, Seeds, TrainingData, top_k_sparse
from segue.recommend.generators.base import Generator
from segue.recommend.generators.similarity import shrunk_cosine

__all__ = ["RelatedArtists"]

log = logging.getLogger("segue")


class RelatedArtists(Generator):
    """Tracks of artists similar to the seeds' artists, their best-loved first.

    An artist scores the sum, over the seeds, of its similarity (the shrunk
    cosine of artist co-occurrence in playlists) to the seed's artist; a track
    scores its artist's score times ``0.5 + 0.5 * p``, where ``p`` is its
    popularity over that of its artist's most popular track. The seeds' own
    artists are left to :class:`~.artist_album.ArtistAlbum`.

    Parameters
    ----------
    neighbours
        Similar artists kept per artist.
    shrink
        Added to the cosine's denominator.
    artists
        Best-scoring artists whose tracks are proposed, per query.

    Attributes
    ----------
    similarity_
        CSR of shape ``(n_artists, n_artists)``, float32.
    """

    name = "related_artists"

    def __init__(
        self, neighbours: int = 50, shrink: float = 10.0, artists: int = 40
    ) -> None:
        self.neighbours = neighbours
        self.shrink = shrink
        self.artists = artists

    def fit(self, data: TrainingData) -> Self:
        """Build the artist-artist similarity from the playlists."""
        start = time.perf_counter()
        self._index(data)
        by_artist = sp.csr_matrix(data.matrix @ self.artist_tracks_.T)
        self.similarity_ = shrunk_cosine(by_artist, self.neighbours, self.shrink)
        log.debug(
            "related_artists: %d artists, %d pairs in %.2fs",
            by_artist.shape[1],
            self.similarity_.nnz,
            time.perf_counter() - start,
        )
        return self

    def _index(self, data: TrainingData) -> None:
        self.data_ = data
        n = data.n_tracks
        known = np.flatnonzero(data.artists >= 0)
        width = int(data.artists.max()) + 1 if len(known) else 0
        pop = data.popularity().astype(np.float32)
        best = np.zeros(width, dtype=np.float32)
        np.maximum.at(best, data.artists[known], pop[known])
        weight = 0.5 + 0.5 * pop[known] / np.maximum(best[data.artists[known]], 1.0)
        self.artist_tracks_ = sp.csr_matrix(
            (weight.astype(np.float32), (data.artists[known], known)),
            shape=(width, n),
        )

    def state(self) -> dict[str, npt.NDArray[Any]]:
        """The artist similarity as CSR arrays."""
        s = self.similarity_
        return {"indptr": s.indptr, "indices": s.indices, "data": s.data}

    def restore(
        self, data: TrainingData, arrays: Mapping[str, npt.NDArray[Any]]
    ) -> None:
        """Take back the similarity; rebuild the artist index from ``data``."""
        self._index(data)
        width = self.artist_tracks_.shape[0]
        self.similarity_ = sp.csr_matrix(
            (arrays["data"], arrays["indices"], arrays["indptr"]),
            shape=(width, width),
        )

    def artist_scores(self, queries: Sequence[Seeds]) -> sp.csr_matrix:
        """CSR of shape ``(n_queries, n_artists)``: each artist's summed similarity
        to the seeds' artists, over the number of seeds."""
        data = self._data()
        width = self.artist_tracks_.shape[0]
        rows: list[npt.NDArray[np.int64]] = []
        cols: list[npt.NDArray[np.int64]] = []
        for r, q in enumerate(queries):
            a = data.artists[q.tracks]
            a = a[a >= 0]
            rows.append(np.full(len(a), r, dtype=np.int64))
            cols.append(a.astype(np.int64))
        if not rows:
            return sp.csr_matrix((0, width), dtype=np.float32)
        r_all, c_all = np.concatenate(rows), np.concatenate(cols)
        counts = np.asarray([max(len(q.tracks), 1) for q in queries], np.float32)
        seeds = sp.csr_matrix(
            (1.0 / counts[r_all], (r_all, c_all)),
            shape=(len(queries), width),
            dtype=np.float32,
        )
        out = sp.csr_matrix(seeds @ self.similarity_, dtype=np.float32)
        out.sort_indices()
        return out

    def candidates(self, queries: Sequence[Seeds], k: int) -> list[Candidates]:
        """The best tracks of the ``artists`` most related artists."""
        return self.candidates_from(self.artist_scores(queries), queries, k)

    def candidates_from(
        self, scores: sp.csr_matrix, queries: Sequence[Seeds], k: int
    ) -> list[Candidates]:
        """Like :meth:`candidates`, from :meth:`artist_scores`."""
        data = self._data()
        tracks = self.artist_tracks_
        out = []
        for r, q in enumerate(queries):
            lo, hi = scores.indptr[r], scores.indptr[r + 1]
            artists, values = scores.indices[lo:hi], scores.data[lo:hi]
            own = np.unique(data.artists[q.tracks])
            keep = ~np.isin(artists, own)
            artists, values = artists[keep], values[keep]
            if len(artists) == 0:
                out.append(Candidates.empty())
                continue
            if len(artists) > self.artists:
                part = np.argpartition(-values, self.artists - 1)[: self.artists]
                artists, values = artists[part], values[part]
            picked = sp.csr_matrix(tracks[artists].multiply(values[:, None]))
            idx = picked.indices.astype(np.int64)
            out.append(top_k_sparse(idx, picked.data, k, q.tracks))
        return out
