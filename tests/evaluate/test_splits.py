"""Challenge-style splits: categories, eligibility, determinism, no leaks."""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from typing import Self

import pytest

from segue.catalog import Catalog
from segue.evaluate import SplitError, evaluate, make_split
from segue.evaluate.splits import CATEGORIES, min_held_out
from segue.recommend.base import Query

from .conftest import build_world

ALL = tuple(c for c in CATEGORIES if c not in ("first100", "random100"))


def _distinct(catalog: Catalog, playlist_id: str) -> list[str]:
    items = catalog.playlist(playlist_id).items or []
    return list(dict.fromkeys(i.track_id for i in items))


def test_categories_follow_their_rules(world: Catalog) -> None:
    split = make_split(world, test=80, categories=ALL, seed=1)
    assert len(split.cases) == 80
    assert len({c.playlist_id for c in split.cases}) == 80
    for case in split.cases:
        category = CATEGORIES[case.category]
        tracks = _distinct(world, case.playlist_id)
        seeds = case.query.seeds
        assert len(seeds) == category.seeds
        assert len(case.held_out) >= min_held_out(category.seeds)
        assert set(seeds) | set(case.held_out) == set(tracks)
        assert not set(seeds) & set(case.held_out)
        assert case.held_out == tuple(t for t in tracks if t not in set(seeds))
        if category.random:
            assert set(seeds) <= set(tracks)
        else:
            assert list(seeds) == tracks[: category.seeds]
        if category.title:
            assert case.query.title
        else:
            assert case.query.title is None


def test_random_seeds_are_shuffled(world: Catalog) -> None:
    split = make_split(world, test=30, categories=["random25"], seed=2)
    in_order = 0
    for case in split.cases:
        tracks = _distinct(world, case.playlist_id)
        positions = [tracks.index(t) for t in case.query.seeds]
        in_order += positions == sorted(positions)
    assert in_order < len(split.cases)


def test_quotas_are_even(world: Catalog) -> None:
    split = make_split(
        world, test=22, categories=["first5", "title", "first10", "first1"], seed=0
    )
    assert split.describe()["categories"] == {
        "first5": 6,
        "title": 6,
        "first10": 5,
        "first1": 5,
    }
    assert [c.category for c in split.cases] == sorted(
        (c.category for c in split.cases),
        key=["first5", "title", "first10", "first1"].index,
    )


def test_same_seed_same_split_other_seed_other_split(world: Catalog) -> None:
    a = make_split(world, test=40, categories=ALL, seed=5)
    b = make_split(world, test=40, categories=ALL, seed=5)
    c = make_split(world, test=40, categories=ALL, seed=6)
    assert a.cases == b.cases
    assert a.cases != c.cases


def test_from_source_limits_test_playlists(tmp_path: object) -> None:
    with Catalog() as catalog:
        build_world(catalog, playlists=60, source="one", seed=1)
        build_world(catalog, playlists=60, source="two", seed=2)
        split = make_split(catalog, test=20, categories=["first5"], from_source="two")
        assert all(c.playlist_id.startswith("two:") for c in split.cases)
        with pytest.raises(SplitError, match=r"no source 'three'.*one, two"):
            make_split(catalog, test=5, from_source="three")


def test_bad_arguments(world: Catalog) -> None:
    with pytest.raises(SplitError, match="unknown category first7"):
        make_split(world, test=5, categories=["first7"])
    with pytest.raises(SplitError, match="at least 1"):
        make_split(world, test=0)
    # no playlist of this world has 150 distinct tracks
    with pytest.raises(SplitError, match="long enough"):
        make_split(world, test=5, categories=["first100"])


def test_short_category_warns_and_takes_what_there_is(
    world: Catalog, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="segue"):
        split = make_split(world, test=10, categories=["first5", "first100"])
    assert split.describe()["categories"] == {"first5": 5, "first100": 0}
    assert "first100: only 0 of 5" in caplog.text


class _Spy:
    """A model that remembers the training matrix it was given."""

    name = "spy"

    def fit(
        self,
        catalog: Catalog,
        *,
        exclude_playlists: Collection[str] = (),
        replace_items: Mapping[str, Sequence[str]] | None = None,
    ) -> Self:
        self.seen = catalog.interactions(
            exclude_playlists=exclude_playlists, replace_items=replace_items
        )
        return self

    def recommend_batch(
        self, queries: Sequence[Query], n: int = 500
    ) -> list[list[str]]:
        return [[] for _ in queries]


def test_held_out_tracks_never_reach_training(world: Catalog) -> None:
    split = make_split(world, test=60, categories=ALL, seed=3)
    spy = _Spy()
    evaluate(world, split, [spy], n=10)
    seen = spy.seen
    rows = {p: i for i, p in enumerate(seen.playlist_ids.tolist())}
    for case in split.cases:
        if not case.query.seeds:
            assert case.playlist_id not in rows
            continue
        row = seen.matrix[rows[case.playlist_id]]
        tracks = set(seen.track_ids[row.indices].tolist())
        assert tracks == set(case.query.seeds)
    # the other playlists are all there, whole
    assert seen.matrix.shape[0] == 240 - sum(not c.query.seeds for c in split.cases)
