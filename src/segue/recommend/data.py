"""What generators learn from, and how a query looks once its ids are indices.

:class:`TrainingData` gathers the playlist x track matrix and the track columns the
generators and the ranker use; :class:`Seeds` is one query with its known seed
tracks as column indices of that matrix.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from segue.catalog import Catalog

__all__ = ["Candidates", "Seeds", "TrainingData", "codes", "replace_rows"]

log = logging.getLogger("segue")

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class Seeds:
    """One query in index form.

    Attributes
    ----------
    tracks
        Shape ``(n_seeds,)``, int64: column indices of the known seed tracks, in
        playlist order (the last ones matter most).
    title
        The playlist's title, or None.
    """

    tracks: IntArray
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Candidates:
    """What one generator proposes for one query, best first.

    Attributes
    ----------
    tracks
        Shape ``(k,)``, int64: column indices, never a seed.
    scores
        Shape ``(k,)``, float32: the generator's scores, descending.
    """

    tracks: IntArray
    scores: FloatArray

    @classmethod
    def empty(cls) -> Candidates:
        """No candidates."""
        return cls(np.zeros(0, np.int64), np.zeros(0, np.float32))


@dataclass(slots=True)
class TrainingData:
    """The playlists and track columns generators learn from.

    Attributes
    ----------
    matrix
        CSR, float32, shape ``(n_playlists, n_tracks)``: 1 where a playlist holds a
        track.
    titles
        Shape ``(n_playlists,)``: playlist names, None where unknown.
    track_ids
        Shape ``(n_tracks,)``: catalog ids of the columns.
    names, artist_names
        Shape ``(n_tracks,)``: track titles and main-artist names (None unknown).
    artists, albums
        Shape ``(n_tracks,)``, int64: codes of the main artist and the album,
        -1 where unknown.
    isrcs
        Shape ``(n_tracks,)``: ISRCs, None where unknown.
    features
        Shape ``(n_tracks, 12)``, float32: audio features, NaN where unknown.
    """

    matrix: sp.csr_matrix
    titles: npt.NDArray[np.object_]
    track_ids: npt.NDArray[np.object_]
    names: npt.NDArray[np.object_]
    artist_names: npt.NDArray[np.object_]
    artists: IntArray
    albums: IntArray
    isrcs: npt.NDArray[np.object_]
    features: FloatArray
    _index: dict[str, int] | None = field(default=None, repr=False)

    @property
    def n_tracks(self) -> int:
        """Number of track columns."""
        return int(self.matrix.shape[1])

    @property
    def index(self) -> dict[str, int]:
        """Track id to column index."""
        if self._index is None:
            self._index = {t: i for i, t in enumerate(self.track_ids.tolist())}
        return self._index

    def popularity(self) -> npt.NDArray[np.float32]:
        """Shape ``(n_tracks,)``: how many playlists hold each track."""
        counts = np.bincount(self.matrix.indices, minlength=self.n_tracks)
        return counts.astype(np.float32)

    def with_matrix(
        self, matrix: sp.csr_matrix, titles: npt.NDArray[np.object_]
    ) -> TrainingData:
        """The same tracks with other playlists (e.g. with hidden tails)."""
        return TrainingData(
            matrix=matrix,
            titles=titles,
            track_ids=self.track_ids,
            names=self.names,
            artist_names=self.artist_names,
            artists=self.artists,
            albums=self.albums,
            isrcs=self.isrcs,
            features=self.features,
            _index=self._index,
        )

    @classmethod
    def from_catalog(
        cls,
        catalog: Catalog,
        *,
        source: str | None = None,
        exclude_playlists: Collection[str] = (),
        replace_items: Mapping[str, Sequence[str]] | None = None,
    ) -> tuple[TrainingData, npt.NDArray[np.object_]]:
        """Read the training data from a catalog.

        Returns
        -------
        data
            The training data.
        playlist_ids
            Shape ``(n_playlists,)``: the catalog id of each matrix row.
        """
        start = time.perf_counter()
        inter = catalog.interactions(
            source=source,
            exclude_playlists=exclude_playlists,
            replace_items=replace_items,
        )
        ids = inter.track_ids
        table = catalog.track_table(list(ids))
        features = catalog.feature_matrix(list(ids)).astype(np.float32)
        data = cls(
            matrix=inter.matrix.astype(np.float32),
            titles=inter.titles,
            track_ids=ids,
            names=table.name,
            artist_names=table.artist_name,
            artists=codes(table.artist_id),
            albums=codes(table.album_id),
            isrcs=table.isrc,
            features=features,
        )
        log.debug(
            "read %d playlists x %d tracks in %.2fs",
            inter.matrix.shape[0],
            len(ids),
            time.perf_counter() - start,
        )
        return data, inter.playlist_ids


def codes(values: npt.NDArray[np.object_]) -> IntArray:
    """Integer codes of string values, -1 for None; shape kept."""
    out = np.full(len(values), -1, dtype=np.int64)
    seen: dict[str, int] = {}
    for i, v in enumerate(values.tolist()):
        if v is not None:
            out[i] = seen.setdefault(v, len(seen))
    return out


def top_k(
    scores: npt.NDArray[np.float32], k: int, exclude: IntArray | None = None
) -> Candidates:
    """The ``k`` best positive entries of a dense score row, best first."""
    row = scores
    if exclude is not None and len(exclude):
        row = scores.copy()
        row[exclude] = -np.inf
    k = min(k, len(row))
    if k <= 0:
        return Candidates.empty()
    part = np.argpartition(-row, k - 1)[:k]
    part = part[np.isfinite(row[part]) & (row[part] > 0)]
    order = part[np.argsort(-row[part], kind="stable")]
    return Candidates(order.astype(np.int64), row[order].astype(np.float32))


def top_k_sparse(
    indices: IntArray, values: FloatArray, k: int, exclude: IntArray | None = None
) -> Candidates:
    """The ``k`` best of a sparse score row (``indices``, ``values``), best first."""
    if exclude is not None and len(exclude):
        keep = ~np.isin(indices, exclude)
        indices, values = indices[keep], values[keep]
    keep = values > 0
    indices, values = indices[keep], values[keep]
    if len(values) > k:
        part = np.argpartition(-values, k - 1)[:k]
        indices, values = indices[part], values[part]
    order = np.lexsort((indices, -values))
    return Candidates(indices[order].astype(np.int64), values[order].astype(np.float32))


def replace_rows(
    matrix: sp.csr_matrix, rows: IntArray, tracks: Sequence[IntArray]
) -> sp.csr_matrix:
    """A copy of ``matrix`` whose ``rows`` hold only ``tracks``, with value 1.

    Vectorised: the other rows' entries move in one pass, without the Python
    objects of a LIL copy (many GB for tens of millions of entries).

    Parameters
    ----------
    matrix
        CSR of shape ``(n_rows, n_cols)``.
    rows
        Shape ``(n_replaced,)``, int: distinct rows to replace.
    tracks
        ``n_replaced`` arrays of distinct column indices: each row's new entries.

    Returns
    -------
    scipy.sparse.csr_matrix
        Shape ``(n_rows, n_cols)``, float32; the new rows' indices are sorted.
    """
    rows = np.asarray(rows, dtype=np.int64)
    if len(rows) != len(tracks):
        raise ValueError(f"{len(rows)} rows but {len(tracks)} track lists")
    if len(np.unique(rows)) != len(rows):
        raise ValueError("rows must be distinct")
    n_rows = matrix.shape[0]
    old = np.diff(matrix.indptr).astype(np.int64)
    new = old.copy()
    new[rows] = [len(t) for t in tracks]
    kept = np.ones(n_rows, dtype=bool)
    kept[rows] = False

    # where the kept entries come from and go to
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(new, out=indptr[1:])
    source = np.repeat(kept, old)
    target = np.repeat(kept, new)
    indices = np.empty(int(indptr[-1]), dtype=matrix.indices.dtype)
    values = np.ones(int(indptr[-1]), dtype=np.float32)
    indices[target] = matrix.indices[source]
    values[target] = matrix.data[source]
    del source

    # the new rows, in row order
    order = np.argsort(rows, kind="stable")
    fresh = [np.sort(np.asarray(tracks[i], dtype=np.int64)) for i in order.tolist()]
    if fresh:
        indices[~target] = np.concatenate(fresh)
    if indptr[-1] <= np.iinfo(np.int32).max:
        indptr = indptr.astype(np.int32)
        indices = indices.astype(np.int32, copy=False)
    return sp.csr_matrix((values, indices, indptr), shape=matrix.shape)
