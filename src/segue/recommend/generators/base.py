"""The contract of a candidate generator.

A generator learns from :class:`~segue.recommend.data.TrainingData` and proposes,
for each query, up to ``k`` track columns with scores. It is usable alone: its
proposals are a (weak) recommender of their own. The full recommender merges the
proposals of several generators and orders them with a learned ranker.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Self

import numpy as np
import numpy.typing as npt

from segue.recommend.data import Candidates, Seeds, TrainingData
from segue.recommend.errors import NotFitted

__all__ = ["Generator", "one_blas_thread"]

_controller: Any = None


def one_blas_thread() -> Any:
    """A context in which BLAS and LAPACK use one thread.

    Small solves and products are slower with a thread pool, and implicit's own
    threads oversubscribe the cores when BLAS runs threads of its own.
    """
    global _controller
    from threadpoolctl import (  # type: ignore[import-untyped]  # has no stubs
        ThreadpoolController,
    )

    if _controller is None:
        _controller = ThreadpoolController()
    return _controller.limit(limits=1, user_api="blas")


class Generator(abc.ABC):
    """A source of candidate tracks for playlist continuation.

    Subclasses store their hyper-parameters in ``__init__`` only (they are listed
    by :meth:`get_params`), learn in :meth:`fit`, and keep what they learned in
    attributes that end in ``_``.
    """

    name: ClassVar[str]
    learns_from_playlists: ClassVar[bool] = True
    """False for a generator that learns only from the tracks (their features), so
    that one fit serves every matrix of the same tracks."""

    data_: TrainingData | None = None

    def get_params(self) -> dict[str, Any]:
        """The hyper-parameters given to ``__init__``, JSON-serialisable."""
        return {k: v for k, v in vars(self).items() if not k.endswith("_")}

    @abc.abstractmethod
    def fit(self, data: TrainingData) -> Self:
        """Learn from the playlists of ``data``.

        Parameters
        ----------
        data
            ``data.matrix`` has shape ``(n_playlists, n_tracks)``; every index this
            generator returns is a column of it.

        Returns
        -------
        Self
            The fitted generator.
        """

    @abc.abstractmethod
    def candidates(self, queries: Sequence[Seeds], k: int) -> list[Candidates]:
        """Propose up to ``k`` tracks for each query, best first, never a seed.

        Parameters
        ----------
        queries
            ``n_queries`` queries; seeds are column indices of the training matrix.
        k
            Maximum number of candidates per query.

        Returns
        -------
        list of Candidates
            ``n_queries`` entries, each with indices of shape ``(<= k,)``.
        """

    def state(self) -> dict[str, npt.NDArray[Any]]:
        """The learned arrays to save (besides the training data), by name."""
        return {}

    def restore(
        self, data: TrainingData, arrays: Mapping[str, npt.NDArray[Any]]
    ) -> None:
        """Take back the learned state saved by :meth:`state`."""
        self.data_ = data

    def _data(self) -> TrainingData:
        if self.data_ is None:
            raise NotFitted(type(self).__name__)
        return self.data_


def recency_weights(n: int, recent: int, boost: float) -> npt.NDArray[np.float32]:
    """Shape ``(n,)``: weight 1 per seed, ``1 + boost`` for the last ``recent``."""
    w = np.ones(n, dtype=np.float32)
    if recent > 0 and n > 0:
        w[max(0, n - recent) :] += boost
    return w


def query_matrix(
    queries: Sequence[Seeds], n_tracks: int, recent: int = 0, boost: float = 0.0
) -> Any:
    """CSR of shape ``(n_queries, n_tracks)``: seed weights per query."""
    import scipy.sparse as sp

    rows: list[npt.NDArray[np.int64]] = []
    cols: list[npt.NDArray[np.int64]] = []
    vals: list[npt.NDArray[np.float32]] = []
    for r, q in enumerate(queries):
        tracks, first = np.unique(q.tracks, return_index=True)
        w = recency_weights(len(q.tracks), recent, boost)
        # a repeated seed keeps its latest (largest) weight
        weight = np.zeros(len(tracks), dtype=np.float32)
        np.maximum.at(weight, np.searchsorted(tracks, q.tracks), w)
        del first
        rows.append(np.full(len(tracks), r, dtype=np.int64))
        cols.append(tracks.astype(np.int64))
        vals.append(weight)
    if not rows:
        return sp.csr_matrix((0, n_tracks), dtype=np.float32)
    return sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(len(queries), n_tracks),
        dtype=np.float32,
    )
