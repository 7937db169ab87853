"""Fixtures of the client's tests: the fake services and a client of either kind."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from spotify_clients import Both
from spotify_fake import FakeSpotify

from segue.emulator.pytest_plugin import (  # noqa: F401 (fixtures)
    emulator,
    emulator_factory,
    emulator_world,
)


@pytest.fixture
def fake() -> FakeSpotify:
    """Development-mode fake services."""
    return FakeSpotify()


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    """Which client class a test drives."""
    return str(request.param)


@pytest.fixture
def make(kind: str) -> Iterator[Any]:
    """Factory of :class:`Both` clients of the parametrized kind, closed afterwards."""
    made: list[Both] = []

    def factory(fake: FakeSpotify | None, **options: Any) -> Both:
        both = Both(kind, fake, **options)
        made.append(both)
        return both

    yield factory
    for both in made:
        both.close()


@pytest.fixture
def api(make: Any, fake: FakeSpotify) -> Both:
    """A client of the parametrized kind on the development-mode fake."""
    result: Both = make(fake)
    return result
