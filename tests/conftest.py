"""Fixtures shared by every test package."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest_plugins = ["segue.emulator.pytest_plugin"]

SHARED = Path(__file__).resolve().parents[2] / "shared"
DATA = SHARED / "data"


@pytest.fixture(autouse=True)
def _restore_segue_logger() -> Iterator[None]:
    """Undo what a command run in-process did to the ``segue`` logger."""
    logger = logging.getLogger("segue")
    level, handlers, propagate = logger.level, list(logger.handlers), logger.propagate
    yield
    logger.setLevel(level)
    logger.handlers[:] = handlers
    logger.propagate = propagate


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder of real data beside the project (``../shared/data``).

    Tests that use it are skipped, saying why, when it is absent.
    """
    if not (DATA / "README.md").is_file():
        pytest.skip(
            f"real data not found at {DATA} (../shared/data beside the project)"
        )
    return DATA


@pytest.fixture(scope="session")
def openapi_spec_path() -> Path:
    """Spotify's OpenAPI description, ``../shared/spotify-openapi.yml``."""
    path = SHARED / "spotify-openapi.yml"
    if not path.is_file():
        pytest.skip(f"the OpenAPI file is not at {path}")
    return path
