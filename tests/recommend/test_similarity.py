"""The shrunk cosine, the related-artists generator and the pairwise ranker
features, checked against values worked out by hand."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp
from recommend_settings import SMALL

from conftest import Fixture
from segue.recommend.data import Seeds, TrainingData
from segue.recommend.generators import (
    ALS,
    AudioFeatures,
    CoOccurrence,
    RelatedArtists,
)
from segue.recommend.generators.similarity import shrunk_cosine
from segue.recommend.ranker import FEATURES, TrackStats, build_table, score_all
from segue.recommend.recommender import Recommender

# three playlists over four tracks: 0 and 1 meet twice, 1 and 2 once, 3 is alone
PRESENCE = sp.csr_matrix(
    np.asarray(
        [
            [1, 1, 0, 0],
            [1, 1, 1, 0],
            [0, 0, 1, 1],
        ],
        dtype=np.float32,
    )
)


def test_shrunk_cosine_matches_the_formula() -> None:
    sim = shrunk_cosine(PRESENCE, neighbours=10, shrink=1.0).toarray()
    # n = [2, 2, 2, 1]; c01 = 2, c02 = 1, c12 = 1, c23 = 1
    assert math.isclose(sim[0, 1], 2 / (2 + 1), rel_tol=1e-6)
    assert math.isclose(sim[0, 2], 1 / (2 + 1), rel_tol=1e-6)
    assert math.isclose(sim[2, 3], 1 / (math.sqrt(2) + 1), rel_tol=1e-6)
    assert sim[0, 3] == 0.0
    assert np.all(np.diag(sim) == 0.0)
    np.testing.assert_allclose(sim, sim.T, rtol=1e-6)


def test_shrunk_cosine_keeps_the_best_neighbours_in_any_block_size() -> None:
    one = shrunk_cosine(PRESENCE, neighbours=1, shrink=1.0, block=1).toarray()
    assert np.count_nonzero(one, axis=1).tolist() == [1, 1, 1, 1]
    assert one[0].argmax() == 1
    assert one[2].argmax() == 3
    rng = np.random.default_rng(3)
    big = sp.csr_matrix((rng.random((60, 40)) < 0.2).astype(np.float32))
    whole = shrunk_cosine(big, neighbours=5, shrink=2.0, block=4096)
    blocks = shrunk_cosine(big, neighbours=5, shrink=2.0, block=7)
    np.testing.assert_allclose(whole.toarray(), blocks.toarray(), rtol=1e-6)


def test_related_artists_leave_the_seeds_artists_out(synth: Fixture) -> None:
    gen = RelatedArtists().fit(synth.data)
    artists = synth.data.artists
    index = synth.data.index
    for case in synth.cases[:10]:
        seeds = np.asarray([index[s] for s in case.seeds], dtype=np.int64)
        got = gen.candidates([Seeds(seeds, None)], 50)[0]
        assert len(got.tracks) > 0
        assert not np.isin(artists[got.tracks], artists[seeds]).any()


def test_pairwise_features_are_the_max_and_mean_over_the_seeds(
    synth: Fixture,
) -> None:
    data = synth.data
    generators = {
        "als": ALS(factors=16, iterations=4, num_threads=1).fit(data),
        "cooccurrence": CoOccurrence().fit(data),
    }
    index = data.index
    seeds = np.asarray([index[s] for s in synth.cases[0].seeds], dtype=np.int64)
    queries = [Seeds(seeds, None)]
    proposals, pre = score_all(queries, generators, 30)
    table = build_table(queries, proposals, generators, data, TrackStats(data), pre)
    col = {name: i for i, name in enumerate(FEATURES)}
    sim = generators["cooccurrence"].similarity_.toarray()
    unit = generators["als"].unit_factors_
    for row, track in enumerate(table.tracks[:10].tolist()):
        f = table.features[row]
        assert math.isclose(f[col["cooc_max"]], sim[seeds, track].max(), rel_tol=1e-5)
        cos = unit[seeds] @ unit[track]
        assert math.isclose(f[col["als_cos_max"]], cos.max(), rel_tol=1e-4)
        assert math.isclose(f[col["als_cos_mean"]], cos.mean(), rel_tol=1e-4)
        pop = TrackStats(data).log_popularity
        assert math.isclose(
            f[col["popularity_gap"]], pop[track] - pop[seeds].mean(), abs_tol=1e-5
        )


def test_short_lists_ask_fewer_candidates_and_stay_in_the_scene(
    synth: Fixture,
) -> None:
    model = Recommender(**{**SMALL, "candidates": 300})
    assert model.query_candidates(500) == 300
    assert model.query_candidates(120) == 240
    assert model.query_candidates(20) == 100
    assert model.query_candidates(1) == 100
    model.fit(
        synth.catalog, replace_items={c.playlist_id: c.seeds for c in synth.cases}
    )
    case = synth.cases[0]
    short = model.recommend(case.seeds, n=20)
    assert len(short) == 20
    assert np.mean(synth.scenes(short.track_ids) == case.scene) >= 0.8


def test_audio_features_are_indexed_once_per_training(
    synth: Fixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    fits: list[int] = []
    original = AudioFeatures.fit

    def counting(self: AudioFeatures, data: TrainingData) -> AudioFeatures:
        fits.append(data.matrix.nnz)
        return original(self, data)

    monkeypatch.setattr(AudioFeatures, "fit", counting)
    model = Recommender(**{**SMALL, "ranker_folds": 2}).fit(synth.catalog)
    assert len(fits) == 1
    fitted = model.fitted_
    assert fitted is not None
    features = fitted.generators["features"]
    assert isinstance(features, AudioFeatures)
    assert features.data_ is fitted.data


@pytest.mark.parametrize(("per_fold", "folds_run"), [(300, 2), (15, 1)])
def test_a_small_sample_of_a_large_catalog_is_one_fold(
    synth: Fixture, monkeypatch: pytest.MonkeyPatch, per_fold: int, folds_run: int
) -> None:
    calls: list[int] = []
    original = Recommender._ranker_fold

    def counting(self: Recommender, *args: Any, **kwargs: Any) -> Any:
        out = original(self, *args, **kwargs)
        calls.append(len(out[0].offsets) - 1)
        return out

    monkeypatch.setattr(Recommender, "_ranker_fold", counting)
    params = {**SMALL, "ranker_playlists": per_fold, "ranker_folds": 2}
    Recommender(**params).fit(synth.catalog)
    assert len(calls) == folds_run
    assert sum(calls) >= 0.9 * 2 * per_fold


def test_als_pool_is_an_exact_search_among_the_most_played_tracks(
    synth: Fixture,
) -> None:
    data = synth.data
    full = ALS(factors=16, iterations=4, num_threads=1).fit(data)
    pooled = ALS(factors=16, iterations=4, num_threads=1, pool=200)
    pooled.restore(data, full.state())
    counts = np.bincount(data.matrix.indices, minlength=data.n_tracks)
    assert len(pooled.pool_) == 200
    assert counts[pooled.pool_].min() >= np.sort(counts)[-200]
    index = data.index
    for case in synth.cases[:8]:
        seeds = np.asarray([index[s] for s in case.seeds], dtype=np.int64)
        query = [Seeds(seeds, None)]
        got = pooled.candidates(query, 40)[0]
        assert np.isin(got.tracks, pooled.pool_).all()
        assert not np.isin(got.tracks, seeds).any()
        # the pool's best by the same scores as the unpooled model
        scores = full.scores(query)[0]
        allowed = np.setdiff1d(pooled.pool_, seeds)
        best = allowed[np.argsort(-scores[allowed], kind="stable")][: len(got.tracks)]
        assert set(got.tracks.tolist()) == set(best.tolist())
        np.testing.assert_allclose(got.scores, scores[got.tracks], rtol=1e-5)
    unpooled = ALS(factors=16, iterations=4, num_threads=1, pool=10**9)
    unpooled.restore(data, full.state())
    query = [Seeds(np.asarray([0, 1]), None)]
    np.testing.assert_array_equal(
        unpooled.candidates(query, 30)[0].tracks, full.candidates(query, 30)[0].tracks
    )


def test_a_recommender_with_an_als_pool_saves_and_loads_it(
    synth: Fixture, tmp_path: Any
) -> None:
    model = Recommender(**{**SMALL, "ranker": False, "als_pool": 150})
    model.fit(synth.catalog)
    model.save(tmp_path / "m")
    back = Recommender.load(tmp_path / "m", synth.catalog)
    assert back.als_pool == 150
    als = back.fitted_.generators["als"] if back.fitted_ else None
    assert isinstance(als, ALS)
    assert len(als.pool_) == 150
    seeds = synth.cases[0].seeds
    assert list(back.recommend(seeds, n=30)) == list(model.recommend(seeds, n=30))
    with pytest.raises(ValueError, match="als_pool"):
        Recommender(als_pool=0).fit(synth.catalog)


def test_at_scale_the_ranker_folds_generators_are_kept_and_answer_from_all_data(
    synth: Fixture, tmp_path: Any
) -> None:
    # 7 ranker playlists are under a hundredth of the world's eligible ones
    params = {**SMALL, "ranker_playlists": 7, "ranker_folds": 1}
    model = Recommender(**params).fit(synth.catalog)
    assert model.fitted_ is not None
    assert model.fitted_.card["generators_refit"] is False
    full = model.fitted_.data.matrix
    for name, g in model.fitted_.generators.items():
        assert g.data_.matrix is full, name  # not the fold's truncated matrix
    model.save(tmp_path / "m")
    back = Recommender.load(tmp_path / "m", synth.catalog)
    for case in synth.cases[:5]:
        assert list(back.recommend(case.seeds, n=40)) == list(
            model.recommend(case.seeds, n=40)
        )
    refit = Recommender(**{**params, "ranker_playlists": 300}).fit(synth.catalog)
    assert refit.fitted_ is not None
    assert refit.fitted_.card["generators_refit"] is True
