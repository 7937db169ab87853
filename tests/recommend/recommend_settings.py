"""Settings shared by the recommender tests (a module of its own, not a conftest,
so that its name is unique on the test path)."""

SMALL = {
    "factors": 32,
    "iterations": 8,
    "ranker_playlists": 300,
    "ranker_trees": 40,
    "candidates": 150,
    "num_threads": 1,
}
"""Hyper-parameters that keep fitting fast on the test worlds."""
