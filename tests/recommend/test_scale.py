"""Training-time helpers that must stay cheap at Million-Playlist-Dataset scale
give the same results as their simple versions."""

from __future__ import annotations

import itertools

import numpy as np
import numpy.typing as npt
import pytest
import scipy.sparse as sp

from conftest import Fixture
from segue.recommend.data import replace_rows
from segue.recommend.generators import Title
from segue.recommend.generators.similarity import block_bounds, shrunk_cosine
from segue.recommend.generators.title import title_terms


def _lil_replace(
    matrix: sp.csr_matrix, rows: list[int], tracks: list[np.ndarray]
) -> sp.csr_matrix:
    """The former LIL-copy version of :func:`replace_rows`."""
    lil = matrix.tolil(copy=True)
    for r, t in zip(rows, tracks, strict=True):
        lil.rows[r] = sorted(t.tolist())
        lil.data[r] = [1.0] * len(t)
    return sp.csr_matrix(lil, dtype=np.float32)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_replace_rows_matches_a_lil_copy(seed: int) -> None:
    rng = np.random.default_rng(seed)
    matrix = sp.random(
        300, 120, density=0.08, format="csr", dtype=np.float32, random_state=seed
    )
    matrix.data[:] = rng.integers(1, 4, matrix.nnz)
    before = matrix.copy()
    rows = rng.choice(300, 40, replace=False)
    tracks = [rng.choice(120, int(rng.integers(0, 12)), replace=False) for _ in rows]
    got = replace_rows(matrix, rows, tracks)
    want = _lil_replace(matrix, rows.tolist(), tracks)
    assert got.dtype == np.float32
    assert got.shape == want.shape
    assert got.has_sorted_indices or got.nnz == 0
    np.testing.assert_array_equal(got.indptr, want.indptr)
    np.testing.assert_array_equal(got.indices, want.indices)
    np.testing.assert_array_equal(got.data, want.data)
    # the input is left alone
    assert (matrix != before).nnz == 0


def test_replace_rows_handles_empty_and_last_rows() -> None:
    matrix = sp.csr_matrix(np.eye(4, dtype=np.float32))
    got = replace_rows(
        matrix, np.asarray([3, 0]), [np.asarray([2, 0]), np.zeros(0, np.int64)]
    )
    assert got.toarray().tolist() == [
        [0, 0, 0, 0],
        [0, 1, 0, 0],
        [0, 0, 1, 0],
        [1, 0, 1, 0],
    ]
    with pytest.raises(ValueError, match="distinct"):
        replace_rows(matrix, np.asarray([1, 1]), [np.zeros(0), np.zeros(0)])


@pytest.mark.parametrize(("seed", "threads"), [(0, 1), (1, 1), (0, 3), (1, 2)])
def test_shrunk_cosine_matches_the_former_version(seed: int, threads: int) -> None:
    rng = np.random.default_rng(seed)
    # popular items and many ties: the cut falls inside runs of equal values
    weights = 1.0 / np.arange(1, 151) ** 0.8
    presence = sp.csr_matrix(
        (rng.random((400, 150)) < 0.3 * weights / weights.mean()).astype(np.float32)
    )
    got = shrunk_cosine(
        presence, neighbours=7, shrink=3.0, max_entries=500, threads=threads
    )
    want = _former_shrunk_cosine(presence, neighbours=7, shrink=3.0)
    got.sort_indices()
    want.sort_indices()
    np.testing.assert_array_equal(got.indptr, want.indptr)
    np.testing.assert_array_equal(got.indices, want.indices)
    np.testing.assert_array_equal(got.data, want.data)


@pytest.mark.parametrize("max_entries", [1, 50, 1000, 10**9])
def test_block_bounds_respect_the_entry_budget(max_entries: int) -> None:
    rng = np.random.default_rng(5)
    presence = sp.csr_matrix((rng.random((80, 60)) < 0.15).astype(np.float32))
    bounds = block_bounds(presence, 16, max_entries)
    assert bounds[0] == 0
    assert bounds[-1] == 60
    assert np.all(np.diff(bounds) >= 1)
    assert np.all(np.diff(bounds) <= 16)
    x = sp.csr_matrix(presence.T)
    for lo, hi in itertools.pairwise(bounds.tolist()):
        nnz = (x[lo:hi] @ presence).nnz
        assert nnz <= max_entries or hi - lo == 1
    whole = shrunk_cosine(presence, neighbours=4, shrink=1.0)
    split = shrunk_cosine(presence, neighbours=4, shrink=1.0, max_entries=max_entries)
    np.testing.assert_array_equal(whole.toarray(), split.toarray())


# the former shrunk cosine, a reference: one lexsort of every block's entries
def _former_shrunk_cosine(
    presence: sp.csr_matrix, neighbours: int, shrink: float, block: int = 4096
) -> sp.csr_matrix:
    """The shrunk cosine as first written, kept to check the rewrite against."""
    x = sp.csr_matrix(presence, dtype=np.float32, copy=True)
    x.data[:] = 1.0
    x.sum_duplicates()
    x.data[:] = 1.0
    xt = sp.csr_matrix(x.T)
    root = np.sqrt(np.asarray(x.sum(axis=0)).ravel()).astype(np.float32)
    n = x.shape[1]
    parts = [
        _former_top(
            sp.csr_matrix(xt[lo : lo + block] @ x), root, lo, neighbours, shrink
        )
        for lo in range(0, n, block)
    ]
    if not parts:
        return sp.csr_matrix((n, n), dtype=np.float32)
    return sp.csr_matrix(sp.vstack(parts, format="csr"), dtype=np.float32)


def _former_top(
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


def test_title_index_matches_one_vector_per_playlist(synth: Fixture) -> None:
    # titles repeat across playlists; each distinct one is vectorised once
    titles = synth.data.titles
    assert len(set(titles.tolist())) < len(titles)
    gen = Title().fit(synth.data)
    docs = [title_terms(t) if t else [] for t in titles.tolist()]
    df: dict[str, int] = {}
    for terms in docs:
        for term in set(terms):
            df[term] = df.get(term, 0) + 1
    kept = sorted(t for t, n in df.items() if n >= gen.min_df)
    assert list(gen.vocabulary_) == kept
    idf = [np.log((1 + len(docs)) / (1 + df[t])) + 1 for t in kept]
    np.testing.assert_array_equal(gen.idf_, np.asarray(idf, dtype=np.float32))
    want = sp.csr_matrix(gen._vectorise(docs).T)
    assert (gen.titles_t_ != want).nnz == 0
    again = Title()
    again.restore(synth.data, gen.state())
    assert (again.titles_t_ != want).nnz == 0
