"""Genre seeds where the catalog knows artists' genres."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import pytest
from serve_world import CooccurrenceModel, artist_id, build_world
from starlette.exceptions import StarletteDeprecationWarning

from segue.catalog import Catalog
from segue.serve import Engine, Settings, create_app
from segue.serve.api import UNSUPPORTED_HEADER

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def genre_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """An app over a world whose artists have genres."""
    base = tmp_path_factory.mktemp("genres")
    path = build_world(base / "catalog.duckdb", genres=True)
    with Catalog(path, read_only=True) as catalog:
        engine = Engine(catalog, CooccurrenceModel().fit(catalog))
        settings = Settings(catalog=path, data_dir=base / "data", secret="g" * 40)
        with TestClient(create_app(settings, engine=engine)) as client:
            yield client


@pytest.mark.parametrize(
    ("genre", "artists"),
    [("calm pop", {0, 1, 2}), ("LOUD ROCK", {3, 4, 5})],
)
def test_genre_seeds(genre_client: TestClient, genre: str, artists: set[int]) -> None:
    response = genre_client.get(
        "/v1/recommendations", params={"seed_genres": genre, "limit": "6"}
    )
    assert response.status_code == 200
    assert UNSUPPORTED_HEADER.lower() not in response.headers
    data = response.json()
    assert data["seeds"][0]["type"] == "GENRE"
    assert data["seeds"][0]["href"] is None
    assert data["seeds"][0]["initialPoolSize"] > 0
    wanted = {artist_id(a) for a in artists}
    top = [t["artists"][0]["id"] for t in data["tracks"][:3]]
    assert any(a in wanted for a in top)


def test_unknown_genre_is_reported(genre_client: TestClient) -> None:
    data = genre_client.get(
        "/v1/recommendations", params={"seed_genres": "polka"}
    ).json()
    assert data["tracks"] == []
    assert data["warnings"] == ["seed genre polka is not in the catalog"]
