"""Fixtures of the catalog tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from segue.catalog import Catalog, mpd


@pytest.fixture(scope="session")
def mpd_dev_file(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalog file holding ``mpd-dev`` (imported once per session)."""
    path = tmp_path_factory.mktemp("mpd-dev") / "catalog.duckdb"
    with Catalog(path) as catalog:
        mpd.import_files(catalog, [shared_data / "mpd-dev"])
    return path


@pytest.fixture
def mpd_dev(mpd_dev_file: Path) -> Iterator[Catalog]:
    """The ``mpd-dev`` catalog, open; tests must leave it as they found it."""
    with Catalog(mpd_dev_file) as catalog:
        yield catalog
