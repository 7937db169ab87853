"""Fixtures shared by every test package."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["segue.emulator.pytest_plugin"]

SHARED = Path(__file__).resolve().parents[2] / "shared"
DATA = SHARED / "data"


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
