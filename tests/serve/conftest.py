"""Fixtures of the service tests: the world's catalog, an engine, settings, apps."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():
    # Starlette asks for the httpx2 fork; httpx works and is what the project uses.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient
from serve_world import CooccurrenceModel, build_world

from segue.catalog import Catalog
from segue.serve import Engine, Settings, create_app


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test world's catalog file (no genres, no popularity)."""
    return build_world(tmp_path_factory.mktemp("world") / "catalog.duckdb")


@pytest.fixture(scope="session")
def engine(world: Path) -> Iterator[Engine]:
    """An engine over the world with the co-occurrence test model."""
    catalog = Catalog(world, read_only=True)
    yield Engine(catalog, CooccurrenceModel().fit(catalog))
    catalog.close()


@pytest.fixture
def settings(world: Path, tmp_path: Path) -> Settings:
    """Settings with a fresh data directory and a fixed secret."""
    return Settings(
        catalog=world,
        data_dir=tmp_path / "data",
        secret="test-secret-" + "x" * 40,
        base_url="http://testserver",
    )


@pytest.fixture
def client(settings: Settings, engine: Engine) -> Iterator[TestClient]:
    """An in-process client of the app over the test engine."""
    with TestClient(create_app(settings, engine=engine)) as c:
        yield c
