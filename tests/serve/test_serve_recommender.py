"""End to end with segue's real Recommender: trained, saved, loaded by the app."""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from serve_world import artist_id, track_id

from segue.catalog import Catalog
from segue.serve import ConfigError, Settings, create_app
from segue.serve.study import create_study

recommender = pytest.importorskip(
    "segue.recommend.recommender", reason="segue.recommend.Recommender not present"
)


@pytest.fixture(scope="module")
def model_dir(world: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small Recommender (with its ranker) trained on the world and saved."""
    path = tmp_path_factory.mktemp("model") / "model"
    with Catalog(world, read_only=True) as catalog:
        model = recommender.Recommender(
            factors=8,
            iterations=3,
            ranker_playlists=30,
            ranker_trees=10,
            num_threads=1,
        ).fit(catalog)
        model.save(path)
    return path


@pytest.fixture
def real(settings: Settings, model_dir: Path) -> Iterator[TestClient]:
    """The app as ``segue serve --model DIR`` builds it."""
    app = create_app(dataclasses.replace(settings, model=str(model_dir)))
    with TestClient(app) as client:
        yield client
    app.state.engine.catalog.close()


def test_health_names_the_model(real: TestClient) -> None:
    assert real.get("/health").json()["model"] == "segue"


def test_recommendations_from_the_recommender(real: TestClient) -> None:
    seeds = [track_id(3, 0), track_id(3, 1)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data = real.get(
            "/v1/recommendations",
            params={"seed_tracks": ",".join(seeds), "limit": "10"},
        ).json()
    ids = [t["id"] for t in data["tracks"]]
    assert len(ids) == 10
    assert not set(ids) & set(seeds)
    # artist 3 shares playlists with artists 2 and 4 only
    near = {artist_id(2), artist_id(3), artist_id(4)}
    top = [t["artists"][0]["id"] for t in data["tracks"][:5]]
    assert all(a in near for a in top)


def test_continuation_reasons_come_from_the_recommender(real: TestClient) -> None:
    data = real.post(
        "/v1/continuations",
        json={"tracks": [track_id(0, 0), "0" * 22], "title": "calm", "n": 5},
    ).json()
    assert len(data["tracks"]) == 5
    assert all("#" in item["reason"] for item in data["tracks"])  # "als #1, ..."
    nothing = real.post("/v1/continuations", json={"tracks": ["0" * 22]}).json()
    assert nothing["tracks"] == []
    assert "nothing to go on" in nothing["warnings"][-1]


def test_study_against_the_als_baseline(real: TestClient, settings: Settings) -> None:
    study, _ = create_study(settings.data_dir, "als", baseline="als", list_size=4)
    trial = real.post(
        f"/study/{study.id}/api/trials",
        json={"tracks": [track_id(1, 0), track_id(1, 1)]},
    ).json()
    assert len(trial["left"]) == 4
    assert len(trial["right"]) == 4


def test_a_bad_model_directory_is_a_config_error(
    settings: Settings, tmp_path: Path
) -> None:
    empty = tmp_path / "empty-model"
    empty.mkdir()
    with pytest.raises(ConfigError, match="cannot load the model"):
        create_app(dataclasses.replace(settings, model=str(empty)))
    with pytest.raises(ConfigError, match="not a model directory"):
        create_app(dataclasses.replace(settings, model=str(tmp_path / "nope")))
