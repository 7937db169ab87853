"""Item-item similarity from co-occurrence: the shrunk cosine, top ``k`` per item.

Shared by :mod:`.cooccurrence` (tracks that share playlists) and
:mod:`.related_artists` (artists that share playlists).

The full co-occurrence matrix of a Million-Playlist-Dataset-sized catalog has
billions of entries, so it is built a block of items at a time; a block ends
before its rows could hold more than ``max_entries`` entries, bounded from the
items' playlists' lengths, so popular items come in small blocks. Blocks are
independent: ``threads`` of them are computed at once (scipy's sparse product and
numpy release the GIL), each bounded to ``max_entries / threads`` entries so that the
memory bound holds whatever the thread count.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

__all__ = ["block_bounds", "shrunk_cosine"]

log = logging.getLogger("segue")

#: Default bound on the entries of one block of the co-occurrence matrix; with
#: the arrays of the top-k selection a block costs about 40 bytes an entry.
MAX_ENTRIES = 2**25


def shrunk_cosine(
    presence: sp.csr_matrix,
    neighbours: int,
    shrink: float,
    block: int = 4096,
    max_entries: int = MAX_ENTRIES,
    threads: int = 1,
) -> sp.csr_matrix:
    """The ``neighbours`` most similar items of every item.

    The similarity of items ``i`` and ``j`` is ``c_ij / (sqrt(n_i n_j) + shrink)``,
    where ``c_ij`` counts the rows holding both and ``n_i`` the rows holding
    ``i``. An item is not its own neighbour. Among equal similarities at the
    cut, the items first in the co-occurrence row are kept. The result does not
    depend on ``block``, ``max_entries`` or ``threads``.

    Parameters
    ----------
    presence
        CSR of shape ``(n_rows, n_items)``; any non-zero counts as presence.
    neighbours
        Items kept per item.
    shrink
        Added to the cosine's denominator: pairs seen in few rows weigh less.
    block
        Most items whose similarities are computed at once.
    max_entries
        Bound on the co-occurrence entries in memory at once (see
        :func:`block_bounds`); a single item above it still makes a block of its
        own.
    threads
        Blocks computed at once.

    Returns
    -------
    scipy.sparse.csr_matrix
        Shape ``(n_items, n_items)``, float32.
    """
    start = time.perf_counter()
    x = sp.csr_matrix(presence, dtype=np.float32, copy=True)
    x.data[:] = 1.0
    x.sum_duplicates()
    x.data[:] = 1.0
    xt = sp.csr_matrix(x.T)
    counts = np.diff(xt.indptr)
    root = np.sqrt(counts).astype(np.float32)
    n = x.shape[1]
    threads = max(1, threads)
    bounds = block_bounds(x, block, max(1, max_entries // threads))

    def one(lo: int, hi: int) -> sp.csr_matrix:
        return _top(sp.csr_matrix(xt[lo:hi] @ x), root, lo, neighbours, shrink)

    # two threads gave 1.5x to 1.7x, not 2x (benchmarks/fit_parts.py, the 1M run);
    # _top's Python loop over long rows is the likely serial part, not profiled
    with ThreadPoolExecutor(threads) as pool:
        parts = list(pool.map(one, bounds[:-1].tolist(), bounds[1:].tolist()))
    log.debug(
        "shrunk cosine: %d items in %d blocks, %d threads, in %.2fs",
        n,
        len(parts),
        threads,
        time.perf_counter() - start,
    )
    return _stack(parts, n)


def _stack(parts: list[sp.csr_matrix], n: int) -> sp.csr_matrix:
    """Stack row blocks into one CSR, freeing each block once it is copied.

    ``scipy.sparse.vstack`` holds every block and the result at once; here a
    block's memory goes back as the next one is copied.
    """
    total = sum(p.nnz for p in parts)
    wide = total > np.iinfo(np.int32).max
    index_type = np.int64 if wide else np.int32
    indptr = np.zeros(n + 1, dtype=index_type)
    indices = np.empty(total, dtype=index_type)
    data = np.empty(total, dtype=np.float32)
    row = at = 0
    parts.reverse()
    while parts:
        part = parts.pop()
        rows, nnz = part.shape[0], part.nnz
        indptr[row + 1 : row + rows + 1] = part.indptr[1:] + at
        indices[at : at + nnz] = part.indices
        data[at : at + nnz] = part.data
        row, at = row + rows, at + nnz
        del part
    return sp.csr_matrix((data, indices, indptr), shape=(n, n))


def block_bounds(
    presence: sp.csr_matrix, block: int, max_entries: int
) -> npt.NDArray[np.int64]:
    """Item ranges ``[bounds[b], bounds[b + 1])`` computed together.

    Row ``i`` of the co-occurrence matrix has at most
    ``min(sum of the lengths of the rows holding i, n_items)`` entries; each
    range holds at most ``block`` items and, unless it is a single item, at most
    ``max_entries`` such entries.

    Parameters
    ----------
    presence
        CSR of shape ``(n_rows, n_items)``, binary, without duplicates.
    block
        Most items per range.
    max_entries
        Bound on the entries of a range.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_blocks + 1,)``, int64: from 0 to ``n_items``, increasing.
    """
    n = presence.shape[1]
    if block < 1 or max_entries < 1:
        raise ValueError("block and max_entries must be positive")
    lengths = np.diff(presence.indptr).astype(np.int64)
    per_row = np.repeat(lengths, lengths)
    bound = np.bincount(presence.indices, weights=per_row, minlength=n)
    cum = np.concatenate([[0], np.cumsum(np.minimum(bound, n), dtype=np.int64)])
    out = [0]
    while out[-1] < n:
        lo = out[-1]
        hi = int(np.searchsorted(cum, cum[lo] + max_entries, side="right")) - 1
        out.append(min(max(hi, lo + 1), lo + block, n))
    return np.asarray(out, dtype=np.int64)


def _top(
    counts: sp.csr_matrix,
    root: npt.NDArray[np.float32],
    first: int,
    neighbours: int,
    shrink: float,
) -> sp.csr_matrix:
    """Shrunk cosines of the block of items from ``first``, the best of each row."""
    n_rows = counts.shape[0]
    lengths = np.diff(counts.indptr).astype(np.int64)
    rows = np.repeat(np.arange(n_rows, dtype=np.int64), lengths)
    cols = counts.indices
    vals = counts.data / (root[rows + first] * root[cols] + np.float32(shrink))
    vals[cols == rows + first] = 0.0  # not its own neighbour
    del rows

    # keep the best ``neighbours`` of each row: all of a short row; in a long
    # one, those above the cut and the first of those equal to it
    keep = vals > 0
    long = np.flatnonzero(lengths > neighbours)
    for r in long.tolist():
        lo, hi = int(counts.indptr[r]), int(counts.indptr[r + 1])
        v = vals[lo:hi]
        positive = int(np.count_nonzero(v > 0))
        if positive <= neighbours:
            continue
        cut = np.partition(v, len(v) - neighbours)[len(v) - neighbours]
        above = v > cut
        ties = np.flatnonzero(v == cut)[: neighbours - int(above.sum())]
        above[ties] = True
        keep[lo:hi] = above
    kept = np.concatenate([[0], np.cumsum(keep, dtype=np.int64)])
    return sp.csr_matrix(
        (vals[keep], cols[keep], kept[counts.indptr]),
        shape=counts.shape,
        dtype=np.float32,
    )
