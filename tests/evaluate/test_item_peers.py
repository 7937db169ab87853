"""RP3beta and EASE against their formulas written out densely on the small world."""

from __future__ import annotations

import numpy as np
import pytest

from segue.catalog import Catalog
from segue.recommend.base import Query
from segue.recommend.item_peers import EASE, RP3Beta


def _binary(world: Catalog) -> np.ndarray:
    x = world.interactions().matrix.toarray().astype(np.float64)
    return (x > 0).astype(np.float64)


def test_rp3beta_is_the_penalised_three_step_walk(world: Catalog) -> None:
    model = RP3Beta(alpha=0.8, beta=0.3, neighbours=40, threads=1).fit(world)
    x = _binary(world)
    popularity = np.maximum(x.sum(axis=0), 1)
    lengths = np.maximum(x.sum(axis=1), 1)
    walk = (x.T * popularity[:, None] ** -0.8) @ (x * lengths[:, None] ** -0.8)
    walk = walk * popularity[None, :] ** -0.3
    np.fill_diagonal(walk, 0.0)
    got = model.weights_.toarray()
    for row in range(walk.shape[0]):
        kept = np.flatnonzero(got[row])
        assert len(kept) == min(40, np.count_nonzero(walk[row]))
        np.testing.assert_allclose(got[row, kept], walk[row, kept], rtol=1e-4)
        # the kept entries are the row's largest
        if len(kept) < np.count_nonzero(walk[row]):
            dropped = np.delete(walk[row], kept)
            assert dropped.max() <= got[row, kept].min() * (1 + 1e-5)


def test_ease_is_the_zero_diagonal_ridge_regression(world: Catalog) -> None:
    pool = 200
    model = EASE(regularization=25.0, pool=pool, threads=1).fit(world)
    x = _binary(world)
    counts = x.sum(axis=0)
    kept = np.sort(np.argsort(-counts, kind="stable")[:pool])
    np.testing.assert_array_equal(model.pool_, kept)
    gram = x[:, kept].T @ x[:, kept] + 25.0 * np.eye(pool)
    inverse = np.linalg.inv(gram)
    expected = np.eye(pool) - inverse / np.diag(inverse)
    np.testing.assert_allclose(model.weights_, expected, atol=1e-4)
    # the defining property: each column is the ridge solution with a zero diagonal
    assert np.abs(np.diag(model.weights_)).max() == 0.0


def test_item_peers_rank_by_the_seed_rows_times_the_matrix(world: Catalog) -> None:
    seeds = ("surf-001", "surf-002", "surf-003")
    rp3 = RP3Beta(threads=1).fit(world)
    ease = EASE(pool=400, threads=1).fit(world)
    rows = [rp3.index_[s] for s in seeds]
    seed_row = np.zeros(len(rp3.track_ids_))
    seed_row[rows] = 1.0
    ease_scores = np.zeros(len(rp3.track_ids_))
    ease_scores[ease.pool_] = seed_row[ease.pool_] @ ease.weights_
    for model, scores in (
        (rp3, seed_row @ rp3.weights_.toarray()),
        (ease, ease_scores),
    ):
        scores[rows] = -np.inf
        best = [str(model.track_ids_[j]) for j in np.argsort(-scores, kind="stable")]
        recs = model.recommend_batch([Query(seeds=seeds)], n=10)[0]
        assert recs == best[:10], model.name
        assert all(r.startswith("surf-") for r in recs), model.name


def test_ease_pool_must_be_positive() -> None:
    with pytest.raises(ValueError, match="pool must be positive"):
        EASE(pool=0)
