"""pytest fixtures serving an emulator on loopback.

Enable with ``pytest_plugins = ["segue.emulator.pytest_plugin"]``. Fixtures:

``emulator``
    A development-mode :class:`~segue.emulator.testing.EmulatorServer` on a small
    synthetic world, fresh for each test.
``emulator_factory``
    A function taking :class:`~segue.emulator.testing.EmulatorServer` arguments
    (``mode="extended"``, ``rate_limit=5``...) and returning a started server;
    all are stopped after the test.
``emulator_world``
    The session's pristine synthetic world; tests get clones of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from segue.emulator._world import World
from segue.emulator.testing import EmulatorServer

__all__ = ["emulator", "emulator_factory", "emulator_world"]

EmulatorFactory = Callable[..., EmulatorServer]


@pytest.fixture(scope="session")
def emulator_world() -> World:
    """A seeded synthetic world of 30 playlists, built once per session."""
    return World.synthetic(30, seed=7)


@pytest.fixture
def emulator_factory(emulator_world: World) -> Iterator[EmulatorFactory]:
    """Start emulators with options; they stop when the test ends."""
    servers: list[EmulatorServer] = []

    def start(world: Any = None, **options: Any) -> EmulatorServer:
        if world is None:
            world = emulator_world.clone()
            options.setdefault("seed", emulator_world.seed)
        server = EmulatorServer(world, **options).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def emulator(emulator_factory: EmulatorFactory) -> EmulatorServer:
    """A development-mode emulator on a fresh copy of the session's world."""
    return emulator_factory()
