"""Item-item similarity from co-occurrence: the shrunk cosine, top ``k`` per item.

Shared by :mod:`.cooccurrence` (tracks that share playlists) and
:mod:`.related_artists` (artists that share playlists).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

__all__ = ["shrunk_cosine"]


def shrunk_cosine(
    presence: sp.csr_matrix, neighbours: int, shrink: float, block: int = 4096
) -> sp.csr_matrix:
    """The ``neighbours`` most similar items of every item.

    The similarity of items ``i`` and ``j`` is ``c_ij / (sqrt(n_i n_j) + shrink)``,
    where ``c_ij`` counts the rows holding both and ``n_i`` the rows holding
    ``i``. An item is not its own neighbour.

    Parameters
    ----------
    presence
        CSR of shape ``(n_rows, n_items)``; any non-zero counts as presence.
    neighbours
        Items kept per item.
    shrink
        Added to the cosine's denominator: pairs seen in few rows weigh less.
    block
        Items whose similarities are computed at once; fitting holds about
        ``block`` rows of the full co-occurrence matrix.

    Returns
    -------
    scipy.sparse.csr_matrix
        Shape ``(n_items, n_items)``, float32.
    """
    x = sp.csr_matrix(presence, dtype=np.float32, copy=True)
    x.data[:] = 1.0
    x.sum_duplicates()
    x.data[:] = 1.0
    xt = sp.csr_matrix(x.T)
    root = np.sqrt(np.asarray(x.sum(axis=0)).ravel()).astype(np.float32)
    n = x.shape[1]
    parts = [
        _top(sp.csr_matrix(xt[lo : lo + block] @ x), root, lo, neighbours, shrink)
        for lo in range(0, n, block)
    ]
    if not parts:
        return sp.csr_matrix((n, n), dtype=np.float32)
    return sp.csr_matrix(sp.vstack(parts, format="csr"), dtype=np.float32)


def _top(
    counts: sp.csr_matrix,
    root: npt.NDArray[np.float32],
    first: int,
    neighbours: int,
    shrink: float,
) -> sp.csr_matrix:
    """Shrunk cosines of the block of items from ``first``, the best of each row."""
    coo = counts.tocoo()
    rows, cols = coo.row.astype(np.int64), coo.col.astype(np.int64)
    keep = cols != rows + first
    rows, cols = rows[keep], cols[keep]
    vals = coo.data[keep] / (root[rows + first] * root[cols] + shrink)
    # best first within each row, then each entry's rank in its row
    order = np.lexsort((-vals, rows))
    rows, cols, vals = rows[order], cols[order], vals[order]
    starts = np.searchsorted(rows, np.arange(counts.shape[0]))
    top = np.arange(len(rows)) - starts[rows] < neighbours
    return sp.csr_matrix(
        (vals[top], (rows[top], cols[top])), shape=counts.shape, dtype=np.float32
    )
