"""Bad input: unknown seeds, empty queries, unfitted models, bad parameters."""

from __future__ import annotations

import pytest

from conftest import Fixture
from segue.recommend import Query
from segue.recommend.errors import (
    EmptyQuery,
    NotFitted,
    RecommendError,
    UnknownTracks,
    UnknownTrackWarning,
)
from segue.recommend.recommender import Recommender


def test_unknown_seeds_are_reported_not_fatal(
    synth: Fixture, fitted: Recommender
) -> None:
    case = synth.cases[0]
    with pytest.warns(UnknownTrackWarning, match="2 of 12 seed tracks"):
        recs = fitted.recommend([*case.seeds, "nope1", "nope2"], n=20)
    assert recs.unknown_seeds == ("nope1", "nope2")
    assert len(recs) == 20
    assert recs.track_ids == fitted.recommend(case.seeds, n=20).track_ids


def test_only_unknown_seeds_without_title_is_fatal(fitted: Recommender) -> None:
    with pytest.raises(UnknownTracks, match="none of the 2 seed tracks") as info:
        fitted.recommend(["nope1", "nope2"])
    assert info.value.track_ids == ("nope1", "nope2")
    assert isinstance(info.value, RecommendError)


def test_only_unknown_seeds_with_a_title_falls_back_to_it(
    synth: Fixture, fitted: Recommender
) -> None:
    with pytest.warns(UnknownTrackWarning):
        recs = fitted.recommend(["nope"], title=synth.cases[0].title, n=10)
    assert len(recs) == 10


@pytest.mark.parametrize("title", [None, "", "   "])
def test_empty_query_is_an_error(fitted: Recommender, title: str | None) -> None:
    with pytest.raises(EmptyQuery, match="give seed tracks or a title"):
        fitted.recommend([], title=title)


def test_batch_never_raises_on_empty_queries(fitted: Recommender) -> None:
    lists = fitted.recommend_batch([Query(), Query(seeds=("nope",))], n=10)
    assert [len(lst) for lst in lists] == [10, 10]


def test_not_fitted(synth: Fixture) -> None:
    model = Recommender()
    with pytest.raises(NotFitted, match="fit"):
        model.recommend(synth.cases[0].seeds)
    with pytest.raises(NotFitted):
        model.recommend_batch([Query(title="x")])


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"generators": ("als", "magic")}, "unknown generators"),
        ({"generators": ()}, "at least one"),
        ({"max_per_artist": 0}, "max_per_artist"),
        ({"diversity": 1.5}, "diversity"),
    ],
)
def test_bad_parameters_are_refused_by_fit(
    synth: Fixture, params: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Recommender(**params).fit(synth.catalog)  # type: ignore[arg-type]


def test_recommendations_carry_reasons_and_explain(
    synth: Fixture, fitted: Recommender
) -> None:
    case = synth.cases[1]
    recs = fitted.recommend(case.seeds, title=case.title, n=10)
    assert len(recs.reasons) == 10
    assert all(recs.reasons)
    assert recs.scores.shape == (10,)
    why = fitted.explain(case.seeds, recs.track_ids[0], title=case.title)
    assert why.rank == 0
    assert why.generators, "the top track was proposed by some generator"
    assert len(why.closest_seeds) == 5
    assert {s for s, _ in why.closest_seeds} <= set(case.seeds)
    with pytest.raises(UnknownTracks):
        fitted.explain(case.seeds, "nope")
