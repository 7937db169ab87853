"""Audio-feature neighbours: tracks that sound like the seeds, where features exist.

Features are standardised per column; tracks with all features are indexed. A query
is the mean of its seeds that have features; its nearest tracks by Euclidean distance
are found exactly for small catalogs and with a voyager (HNSW) index above
``exact_limit`` tracks.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from typing import Any, Self

import numpy as np
import numpy.typing as npt

from segue.recommend.data import Candidates, Seeds, TrainingData
from segue.recommend.generators.base import Generator

__all__ = ["AudioFeatures"]

log = logging.getLogger("segue")


class AudioFeatures(Generator):
    """Nearest tracks to the centroid of the seeds' audio features.

    Parameters
    ----------
    exact_limit
        Up to this many indexed tracks, search exactly; above, use voyager.
    ef_construction
        Candidates voyager weighs per insertion. On 400,000 clustered 12-dimensional
        vectors (``benchmarks/fit_parts.py``), 64 builds the index 2.9 times faster
        than voyager's default of 200 and finds 99.8 % of the exact 300 nearest,
        against 99.9 %.

    Attributes
    ----------
    mean_, scale_
        Shape ``(12,)``: standardisation of each feature.
    indexed_
        Shape ``(n_indexed,)``: columns of the tracks with features.
    vectors_
        Shape ``(n_indexed, 12)``, float32: their standardised features.
    """

    name = "features"

    learns_from_playlists = False
    index_: Any = None

    def __init__(self, exact_limit: int = 300_000, ef_construction: int = 64):
        self.exact_limit = exact_limit
        self.ef_construction = ef_construction

    def fit(self, data: TrainingData) -> Self:
        """Standardise the features of the tracks that have them."""
        start = time.perf_counter()
        self._prepare(data)
        if len(self.indexed_) > self.exact_limit:
            from voyager import Index, Space

            self.index_ = Index(
                Space.Euclidean,
                num_dimensions=self.vectors_.shape[1],
                ef_construction=self.ef_construction,
            )
            self.index_.add_items(self.vectors_)
        log.debug(
            "features: %d tracks indexed (%s) in %.2fs",
            len(self.indexed_),
            "voyager" if self.index_ is not None else "exact",
            time.perf_counter() - start,
        )
        return self

    def _prepare(self, data: TrainingData) -> None:
        """Everything but the index: which tracks, and their standardised vectors."""
        self.data_ = data
        f = data.features
        complete = np.flatnonzero(~np.isnan(f).any(axis=1)) if f.size else np.zeros(0)
        self.indexed_ = complete.astype(np.int64)
        if len(complete):
            x = f[complete].astype(np.float64)
            self.mean_ = x.mean(axis=0)
            self.scale_ = np.where(x.std(axis=0) > 0, x.std(axis=0), 1.0)
        else:
            self.mean_ = np.zeros(f.shape[1] if f.ndim == 2 else 12)
            self.scale_ = np.ones_like(self.mean_)
        self.vectors_ = (
            self.standardise(f[complete])
            if len(complete)
            else np.zeros((0, len(self.mean_)), np.float32)
        )
        self.index_ = None

    def state(self) -> dict[str, npt.NDArray[Any]]:
        """The voyager index in its own binary format, when there is one."""
        if self.index_ is None:
            return {}
        return {"index": np.frombuffer(self.index_.as_bytes(), dtype=np.uint8)}

    def restore(
        self, data: TrainingData, arrays: Mapping[str, npt.NDArray[Any]]
    ) -> None:
        """Take back the voyager index; rebuild the rest from the training data.

        Building the index is the slow part (about a minute for 300,000 tracks);
        reading it back takes a fraction of a second. A model saved without one is
        indexed anew.
        """
        if "index" not in arrays:
            self.fit(data)
            return
        import io

        from voyager import Index

        self._prepare(data)
        self.index_ = Index.load(io.BytesIO(np.asarray(arrays["index"]).tobytes()))

    def standardise(self, x: npt.NDArray[Any]) -> npt.NDArray[np.float32]:
        """Shape ``(n, 12)`` to ``(n, 12)``: centred and scaled features."""
        out: npt.NDArray[np.float32] = ((x - self.mean_) / self.scale_).astype(
            np.float32
        )
        return out

    def centroids(self, queries: Sequence[Seeds]) -> npt.NDArray[np.float32]:
        """Shape ``(n_queries, 12)``: standardised seed centroids, NaN if none."""
        data = self._data()
        out = np.full((len(queries), len(self.mean_)), np.nan, dtype=np.float32)
        for r, q in enumerate(queries):
            f = data.features[q.tracks]
            f = f[~np.isnan(f).any(axis=1)]
            if len(f):
                out[r] = self.standardise(f.mean(axis=0))
        return out

    def candidates(self, queries: Sequence[Seeds], k: int) -> list[Candidates]:
        """The ``k`` indexed tracks nearest to each query's centroid."""
        centres = self.centroids(queries)
        out = []
        for q, c in zip(queries, centres, strict=True):
            if np.isnan(c).any() or len(self.indexed_) == 0:
                out.append(Candidates.empty())
                continue
            want = min(k + len(q.tracks), len(self.indexed_))
            if self.index_ is not None:
                ids, dist = self.index_.query(c, k=want)
                pos, d = np.asarray(ids, np.int64), np.asarray(dist, np.float32)
            else:
                d2 = ((self.vectors_ - c) ** 2).sum(axis=1)
                pos = np.argpartition(d2, want - 1)[:want]
                pos = pos[np.argsort(d2[pos], kind="stable")]
                d = np.sqrt(d2[pos])
            tracks = self.indexed_[pos]
            keep = ~np.isin(tracks, q.tracks)
            tracks, d = tracks[keep][:k], d[keep][:k]
            out.append(Candidates(tracks, (1.0 / (1.0 + d)).astype(np.float32)))
        return out
