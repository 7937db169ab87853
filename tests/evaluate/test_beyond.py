"""Beyond-accuracy measures on a hand-computed five-track example."""

from __future__ import annotations

import math

import numpy as np
import pytest

from segue.evaluate.beyond import TrackInfo, beyond_metrics, coverage


@pytest.fixture
def info() -> TrackInfo:
    # t2 is a live take of t1; t3 shares t1's ISRC; t5 has no features
    return TrackInfo.build(
        ["t1", "t2", "t3", "t4", "t5"],
        artist=["A", "A", "B", "B", "C"],
        name=["Song", "Song - Live", "Song Again", "Fourth", "Fifth"],
        isrc=["I1", "I2", "I1", "I4", None],
        popularity=np.array([8.0, 4.0, 2.0, 1.0, 0.0]),
        n_playlists=16,
        features=np.array(
            [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [np.nan, np.nan]]
        ),
    )


def test_hand_computed_list(info: TrackInfo) -> None:
    m = beyond_metrics([["t2", "t4", "t3", "t5"]], [["t1"]], info, cutoffs=(4,))
    # t2 (same artist, title without "- Live") and t3 (same ISRC) repeat seed t1
    assert m["dup_seeds@4"][0] == pytest.approx(2 / 4)
    # t3 repeats t2, ranked above it
    assert m["dup_within@4"][0] == pytest.approx(1 / 4)
    # artists A, B, B, C
    assert m["artist_max@4"][0] == 2
    assert m["distinct_artists@4"][0] == 3
    assert m["artist_mean@4"][0] == pytest.approx(4 / 3)
    # -log2 of 4/16, 1/16, 2/16 and (0 counted as 1)/16
    assert m["novelty@4"][0] == pytest.approx((2 + 4 + 3 + 4) / 4)
    assert m["arp@4"][0] == pytest.approx((4 + 1 + 2 + 0) / 16 / 4)
    assert m["seed_arp"][0] == pytest.approx(0.5)
    assert m["pop_lift@4"][0] == pytest.approx(7 / 64 / 0.5)
    # t5 is in no training playlist
    assert m["unseen"][0] == pytest.approx(1 / 4)
    # features (1,0), (0,1), (1,1): cosine distances 1, 1 - 1/sqrt2, 1 - 1/sqrt2
    assert m["ild@4"][0] == pytest.approx((1 + 2 * (1 - 1 / math.sqrt(2))) / 3)


def test_cutoff_and_undefined_values(info: TrackInfo) -> None:
    m = beyond_metrics([["t5", "t4"], []], [[], ["t1"]], info, cutoffs=(1,))
    # one track: no pairs for diversity; no seeds: no seed popularity
    assert math.isnan(m["ild@1"][0])
    assert math.isnan(m["seed_arp"][0])
    assert math.isnan(m["pop_lift@1"][0])
    assert m["distinct_artists@1"][0] == 1
    assert math.isnan(m["novelty@1"][1])


def test_unknown_tracks_count_as_rare_and_artistless(info: TrackInfo) -> None:
    m = beyond_metrics([["zz", "t4"]], [["t4"]], info, cutoffs=(2,))
    assert m["novelty@2"][0] == pytest.approx((4 + 4) / 2)
    assert m["distinct_artists@2"][0] == 1


def test_coverage(info: TrackInfo) -> None:
    lists = [["t2", "t4", "t3", "t5"], ["t1", "t2"]]
    c = coverage(lists, {"first": [0], "second": [1]}, info, cutoffs=(2,))
    assert c["all"]["coverage"] == 1.0
    assert c["all"]["coverage@2"] == pytest.approx(3 / 5)
    assert c["second"]["coverage"] == pytest.approx(2 / 5)
    assert c["first"]["coverage@2"] == pytest.approx(2 / 5)
