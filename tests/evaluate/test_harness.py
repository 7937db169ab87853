"""Peers and the harness on the hand-built world: contract, sanity, determinism."""

from __future__ import annotations

import json
import math

import pytest

from segue.catalog import Catalog
from segue.evaluate import UnknownModel, evaluate, make_split
from segue.evaluate.registry import available
from segue.recommend.base import Model, Query
from segue.recommend.item_peers import EASE, RP3Beta
from segue.recommend.peers import ALS, ItemKNN, Popularity

CATS = ["title", "first1", "first5", "first10-notitle", "random25"]
PEERS = ["popularity", "als", "als-tuned", "itemknn", "rp3beta", "ease"]


@pytest.mark.parametrize(
    "model",
    [
        Popularity(),
        ALS(threads=1),
        ItemKNN(threads=1),
        RP3Beta(threads=1),
        EASE(threads=1, pool=300),
    ],
    ids=lambda m: m.name,
)
def test_peers_keep_the_contract(world: Catalog, model: Model) -> None:
    assert isinstance(model, Model)
    model.fit(world)
    queries = [
        Query(seeds=("surf-001", "surf-002")),
        Query(seeds=("doom-003",), exclude=frozenset({"doom-004", "doom-005"})),
        Query(title="anything"),
        Query(seeds=("not-a-track",)),
    ]
    lists = model.recommend_batch(queries, n=50)
    assert len(lists) == 4
    for query, recs in zip(queries, lists, strict=True):
        assert len(recs) == 50
        assert len(set(recs)) == 50
        assert not set(recs) & (set(query.seeds) | query.exclude)
    # no known seed: the popularity list
    popular = Popularity().fit(world).recommend_batch([Query()], n=50)[0]
    assert lists[2] == popular
    assert lists[3] == popular


def test_peers_find_the_scene(world: Catalog) -> None:
    query = Query(seeds=tuple(f"disco-{i:03d}" for i in range(1, 6)))
    for model in (
        ALS(threads=1),
        ItemKNN(threads=1),
        RP3Beta(threads=1),
        EASE(threads=1, regularization=10.0),
    ):
        recs = model.fit(world).recommend_batch([query], n=20)[0]
        assert sum(t.startswith("disco-") for t in recs) >= 15, model.name


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    from .conftest import build_world

    with Catalog(tmp_path_factory.mktemp("h") / "w.duckdb") as catalog:
        build_world(catalog, playlists=300)
        split = make_split(catalog, test=100, categories=CATS, seed=4)
        evaluation = evaluate(catalog, split, PEERS, n=100, jobs=2)
        again = evaluate(catalog, split, ["als", "itemknn"], n=100, jobs=1)
    return {"doc": evaluation.to_dict(), "again": again.to_dict()}


def test_numbers_are_sane(result: dict[str, object]) -> None:
    doc = result["doc"]
    assert isinstance(doc, dict)
    json.dumps(doc, allow_nan=False)
    models = doc["models"]
    assert list(models) == PEERS
    for name, by_category in models.items():
        assert set(by_category) == {*CATS, "all"}
        for values in by_category.values():
            for key in (
                "r_precision",
                "r_precision_artist",
                "ndcg",
                "ndcg_rules",
                "ndcg_organiser",
                "recall@50",
                "recall@100",
                "dup_within@50",
                "coverage",
            ):
                assert 0.0 <= values[key] <= 1.0, (name, key)
            assert 0.0 <= values["clicks"] <= 51
            assert values["r_precision_artist"] >= values["r_precision"]
            # peers only know training playlists: nothing held out can leak in
            assert values["unseen"] == 0.0
        assert by_category["all"]["playlists"] == 100
        assert doc["timing"][name]["fit_s"] >= 0


def test_collaborative_peers_beat_popularity(result: dict[str, object]) -> None:
    doc = result["doc"]
    assert isinstance(doc, dict)
    models = doc["models"]
    pop = models["popularity"]["first5"]
    for name in ("als", "als-tuned", "itemknn", "rp3beta", "ease"):
        mine = models[name]["first5"]
        assert mine["r_precision"] > pop["r_precision"] + 0.1, name
        assert mine["ndcg"] > pop["ndcg"], name
        assert mine["clicks"] < pop["clicks"], name
    # title-only playlists get the popularity list from every peer
    for name in ("als", "itemknn", "rp3beta", "ease"):
        assert models[name]["title"]["ndcg"] == pytest.approx(
            models["popularity"]["title"]["ndcg"]
        )
    # popularity recommends the same few tracks to everyone
    assert (
        models["popularity"]["all"]["coverage@50"] < models["als"]["all"]["coverage@50"]
    )


def test_parallel_run_matches_serial(result: dict[str, object]) -> None:
    doc, again = result["doc"], result["again"]
    assert isinstance(doc, dict)
    assert isinstance(again, dict)
    for name in ("als", "itemknn"):
        for key, value in again["models"][name]["all"].items():
            other = doc["models"][name]["all"][key]
            if value is None:
                assert other is None
            else:
                assert math.isclose(value, other, rel_tol=1e-3, abs_tol=1e-4), key


def test_registry_and_unknown_models(world: Catalog) -> None:
    assert set(PEERS) <= set(available())
    split = make_split(world, test=5, categories=["first5"])
    with pytest.raises(UnknownModel, match=r"unknown model nope; available: .*als"):
        evaluate(world, split, ["nope"])


def test_groups_expand_in_the_harness(world: Catalog) -> None:
    split = make_split(world, test=6, categories=["first5"])
    calls: list[str] = []
    evaluation = evaluate(
        world,
        split,
        ["peers", "popularity"],
        n=20,
        progress=lambda name, stage: calls.append(name) if stage == "fit" else None,
    )
    assert list(evaluation.runs) == PEERS
    assert calls == PEERS


def test_model_groups() -> None:
    from segue.evaluate.registry import default_models, expand

    assert expand(["peers"]) == PEERS
    assert not [n for n in default_models() if n.startswith("segue-")]
    assert expand(["als", "peers"]) == ["als", *(p for p in PEERS if p != "als")]
    if "segue" in available():
        ablations = expand(["ablations"])
        assert "segue-no-ranker" in ablations
        assert "segue-no-als" in ablations
        assert default_models()[0] == "segue"


def test_public_names_exist() -> None:
    import segue.evaluate as package

    for name in package.__all__:
        assert hasattr(package, name), name
