"""Playlist neighbourhoods: tracks of the training playlists most like the query.

Shared by :mod:`.playlist_knn` (likeness by shared tracks) and :mod:`.title`
(likeness by title words).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from segue.recommend.data import Candidates, Seeds, top_k_sparse

__all__ = ["keep_top", "rows_top_k", "vote"]


def keep_top(sims: sp.csr_matrix, k: int, power: float) -> sp.csr_matrix:
    """Keep the ``k`` largest entries of each row, raised to ``power``.

    Parameters
    ----------
    sims
        CSR of shape ``(n_queries, n_playlists)``, non-negative.
    """
    sims = sp.csr_matrix(sims, dtype=np.float32)
    rows, cols, vals = [], [], []
    for r in range(sims.shape[0]):
        lo, hi = sims.indptr[r], sims.indptr[r + 1]
        v = sims.data[lo:hi]
        c = sims.indices[lo:hi]
        if len(v) > k:
            part = np.argpartition(-v, k - 1)[:k]
            v, c = v[part], c[part]
        keep = v > 0
        rows.append(np.full(int(keep.sum()), r))
        cols.append(c[keep])
        vals.append(np.power(v[keep], power))
    if not rows:
        return sp.csr_matrix(sims.shape, dtype=np.float32)
    return sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=sims.shape,
        dtype=np.float32,
    )


def vote(
    weights: sp.csr_matrix,
    matrix: sp.csr_matrix,
    queries: Sequence[Seeds],
    k: int,
) -> list[Candidates]:
    """Tracks voted for by weighted playlists, best first, seeds left out.

    Parameters
    ----------
    weights
        CSR of shape ``(n_queries, n_playlists)``.
    matrix
        CSR of shape ``(n_playlists, n_tracks)``.
    """
    return rows_top_k(sp.csr_matrix(weights @ matrix), queries, k)


def rows_top_k(
    scores: sp.csr_matrix, queries: Sequence[Seeds], k: int
) -> list[Candidates]:
    """The ``k`` best entries of each row of ``scores``, seeds left out.

    Parameters
    ----------
    scores
        CSR of shape ``(n_queries, n_tracks)``.
    """
    out = []
    for r, q in enumerate(queries):
        lo, hi = scores.indptr[r], scores.indptr[r + 1]
        out.append(
            top_k_sparse(
                scores.indices[lo:hi].astype(np.int64), scores.data[lo:hi], k, q.tracks
            )
        )
    return out
