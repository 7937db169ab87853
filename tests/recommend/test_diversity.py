"""The list filters on hand-made inputs with known answers."""

from __future__ import annotations

import numpy as np

from segue.recommend.diversity import artist_cap, dedupe_versions, mmr


def test_dedupe_keeps_the_first_of_each_song_and_respects_seeds() -> None:
    keys = np.asarray([0, 0, 1, 2, 2, 3])
    assert dedupe_versions([1, 0, 2, 4, 3, 5], keys, taken=[5]) == [1, 2, 4]


def test_artist_cap_defers_instead_of_dropping() -> None:
    artists = np.asarray([7, 7, 7, 8, 7, 9, -1, -1, -1])
    ranked = [0, 1, 2, 3, 4, 5, 6, 7, 8]
    got = artist_cap(ranked, artists, max_per_artist=2, window=5)
    assert got[:5] == [0, 1, 3, 5, 6]
    assert sorted(got) == ranked
    assert got[5:] == [2, 4, 7, 8]


def test_mmr_prefers_another_artist_when_weighted() -> None:
    vectors = np.eye(4, dtype=np.float32)
    artists = np.asarray([1, 1, 2, 3])
    relevance = np.asarray([1.0, 0.95, 0.5, 0.4])
    assert mmr([0, 1, 2, 3], relevance, vectors, artists, 0.0, 4) == [0, 1, 2, 3]
    assert mmr([0, 1, 2, 3], relevance, vectors, artists, 0.7, 4)[:2] == [0, 2]
