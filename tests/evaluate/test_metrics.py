"""Ranking metrics on hand-computed examples, and against a slow reference."""

from __future__ import annotations

import math

import numpy as np
import pytest

from segue.evaluate.metrics import (
    clicks,
    mean_metrics,
    ndcg,
    r_precision,
    ranking_metrics,
)

ARTISTS = {"a": "A1", "b": "A2", "d": "A3", "x": "A3", "y": "A3", "z": "A4"}


def test_hand_computed_example() -> None:
    # G = {a, b, d}; hits at ranks 1 and 3
    m = ranking_metrics(
        [["a", "x", "b", "y", "c"]],
        [{"a", "b", "d"}],
        artist_of=ARTISTS.get,
        recall_at=(1, 3, 5),
    )
    ideal = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert m["r_precision"][0] == pytest.approx(2 / 3)
    assert m["ndcg"][0] == pytest.approx((1 + 1 / math.log2(4)) / ideal)
    assert m["ndcg"][0] == pytest.approx(0.703918, abs=1e-6)
    assert m["ndcg_organiser"][0] == pytest.approx(m["ndcg"][0])
    # rules: rel_1 + rel_3 / log2(3) over 1 + 1/log2(2) (two hits)
    assert m["ndcg_rules"][0] == pytest.approx((1 + 1 / math.log2(3)) / 2)
    assert m["clicks"][0] == 0
    assert m["recall@1"][0] == pytest.approx(1 / 3)
    assert m["recall@3"][0] == pytest.approx(2 / 3)
    assert m["recall@5"][0] == pytest.approx(2 / 3)
    # a, b hit; x misses but its artist A3 is d's: 0.25
    assert m["r_precision_artist"][0] == pytest.approx(2.25 / 3)


def test_artist_credited_once() -> None:
    # x and y are both A3 (d's artist), z is unrelated: one credit only
    m = ranking_metrics(
        [["x", "y", "z", "a"]], [{"a", "d", "b", "q"}], artist_of=ARTISTS.get
    )
    assert m["r_precision_artist"][0] == pytest.approx((1 + 0.25) / 4)
    assert m["r_precision"][0] == pytest.approx(1 / 4)


def test_organiser_ndcg_cuts_the_ideal_at_k() -> None:
    # k = 2: the list is cut to [a, x]; the organiser's ideal has min(2, 3) terms
    m = ranking_metrics([["a", "x", "b"]], [{"a", "b", "d"}], k=2)
    assert m["ndcg_organiser"][0] == pytest.approx(1 / (1 + 1 / math.log2(3)))
    ideal = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert m["ndcg"][0] == pytest.approx(1 / ideal)


def test_clicks_count_pages_of_ten() -> None:
    recs = [f"n{i}" for i in range(30)]
    recs[11] = "g"
    assert clicks(recs, {"g"}) == 1  # rank 12: floor(11 / 10)
    recs[9] = "g2"
    assert clicks(recs, {"g", "g2"}) == 0  # rank 10 is still on the first page
    assert clicks(["n1", "n2"], {"g"}) == 51
    assert clicks([], {"g"}) == 51


def test_nothing_found_scores_zero() -> None:
    m = ranking_metrics([["x", "y"]], [{"a"}], artist_of=ARTISTS.get)
    for key in ("r_precision", "ndcg", "ndcg_rules", "ndcg_organiser", "recall@500"):
        assert m[key][0] == 0.0
    assert m["r_precision_artist"][0] == 0.0


def test_rules_ndcg_ranks_one_and_two_alike() -> None:
    # the rules' discount gives rank 1 and rank 2 the same weight
    first = ranking_metrics([["a", "x"]], [{"a", "b"}])["ndcg_rules"][0]
    second = ranking_metrics([["x", "a"]], [{"a", "b"}])["ndcg_rules"][0]
    assert first == second == 1.0
    standard = ranking_metrics([["x", "a"]], [{"a", "b"}])["ndcg"][0]
    assert standard < 1.0


def test_single_list_wrappers_agree() -> None:
    recs, gold = ["a", "x", "b"], {"a", "b", "d"}
    assert r_precision(recs, gold) == pytest.approx(2 / 3)
    assert ndcg(recs, gold) == pytest.approx(ranking_metrics([recs], [gold])["ndcg"][0])


def test_errors() -> None:
    with pytest.raises(ValueError, match="2 recommendation lists for 1"):
        ranking_metrics([["a"], ["b"]], [{"a"}])
    with pytest.raises(ValueError, match="at least one held-out"):
        ranking_metrics([["a"]], [set()])


def _reference(recs: list[str], gold: set[str], k: int) -> dict[str, float]:
    recs = recs[:k]
    rel = [1.0 if t in gold else 0.0 for t in recs]
    g = len(gold)
    dcg = sum(r / math.log2(i + 2) for i, r in enumerate(rel))
    ideal = sum(1 / math.log2(i + 2) for i in range(g))
    ideal_b = sum(1 / math.log2(i + 2) for i in range(min(k, g)))
    rules = sum(r if i == 0 else r / math.log2(i + 1) for i, r in enumerate(rel))
    hits = int(sum(rel))
    rules_ideal = sum(1 if i == 0 else 1 / math.log2(i + 1) for i in range(hits))
    first = next((i for i, r in enumerate(rel) if r), None)
    return {
        "r_precision": sum(rel[:g]) / g,
        "ndcg": dcg / ideal,
        "ndcg_organiser": dcg / ideal_b,
        "ndcg_rules": rules / rules_ideal if hits else 0.0,
        "clicks": 51.0 if first is None else float(first // 10),
        "recall@20": sum(rel[:20]) / g,
    }


def test_batch_matches_a_slow_reference() -> None:
    rng = np.random.default_rng(3)
    universe = [f"t{i}" for i in range(120)]
    recs, gold = [], []
    for _ in range(60):
        size = int(rng.integers(0, 80))
        recs.append(list(rng.choice(universe, size=size, replace=False)))
        gold.append(set(rng.choice(universe, size=int(rng.integers(1, 70)))))
    m = ranking_metrics(recs, gold, k=50)
    for i, (r, g) in enumerate(zip(recs, gold, strict=True)):
        for key, value in _reference(r, g, 50).items():
            assert m[key][i] == pytest.approx(value), (i, key)


def test_mean_metrics_by_group_skips_nan() -> None:
    values = {"x": np.array([1.0, 3.0, np.nan, 5.0])}
    means = mean_metrics(values, {"one": [0, 1], "two": [2], "three": [2, 3]})
    assert means["one"]["x"] == 2.0
    assert math.isnan(means["two"]["x"])
    assert means["three"]["x"] == 5.0
    assert means["all"]["x"] == 3.0
