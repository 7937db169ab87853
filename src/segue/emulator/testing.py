"""Emulators on loopback for tests and benchmarks.

:class:`EmulatorServer` serves in a background thread of this process;
:class:`EmulatorProcess` runs ``segue emulator serve`` in a child process.

Example
-------
>>> from segue.emulator.testing import EmulatorServer
>>> with EmulatorServer(synthetic=20, rate_limit=100) as server:  # doctest: +SKIP
...     token = server.user_token()
...     server.api_url
'http://127.0.0.1:PORT/v1'
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from types import TracebackType
from typing import IO, Any

import httpx
import uvicorn

from segue.catalog import Catalog
from segue.emulator._app import Emulator
from segue.emulator._auth import SCOPES, Client
from segue.emulator._config import DEFAULT_CLIENT, Config
from segue.emulator._serve import listen
from segue.emulator._serve import server as make_server
from segue.emulator._world import DEMO_USER, World

__all__ = ["EmulatorProcess", "EmulatorServer"]


class _Addresses:
    """The addresses an emulator serves, all derived from its accounts URL."""

    @property
    def accounts_url(self) -> str:
        """Base URL of the accounts service."""
        raise NotImplementedError

    @property
    def api_url(self) -> str:
        """Base URL of the Web API, e.g. ``http://127.0.0.1:PORT/v1``."""
        return self.accounts_url + "/v1"

    @property
    def token_url(self) -> str:
        """``POST`` here for tokens."""
        return self.accounts_url + "/api/token"

    @property
    def authorize_url(self) -> str:
        """Send users here to authorize an app."""
        return self.accounts_url + "/authorize"


class EmulatorServer(_Addresses):
    """An emulator served by uvicorn in a background thread on a free port.

    Parameters
    ----------
    world
        What to serve: a :class:`World`, a :class:`~segue.catalog.Catalog` (read
        once), or None for a seeded synthetic world of ``synthetic`` playlists.
    synthetic
        Size of the synthetic world when ``world`` is None.
    seed
        Seed of the synthetic world and of every fault and jitter draw.
    clients
        Registered apps; by default ``segue-demo`` / ``segue-demo-secret``.
    host, port
        Where to listen; port 0 picks a free one.
    **options
        Any field of :class:`~segue.emulator.Config`: ``mode``, ``latency_ms``,
        ``jitter_ms``, ``rate_limit``, ``quota``, ``error_rate``, ``drop_rate``...

    Notes
    -----
    Use it as a context manager; :meth:`start` and :meth:`stop` do the same by
    hand. Options may change while it runs (:meth:`configure`).
    """

    def __init__(
        self,
        world: World | Catalog | None = None,
        *,
        synthetic: int = 30,
        seed: int = 0,
        clients: Iterable[Client] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        **options: Any,
    ) -> None:
        if world is None:
            world = World.synthetic(synthetic, seed=seed)
        elif isinstance(world, Catalog):
            world = World.from_catalog(world, seed=seed)
        config = Config(seed=seed)
        config.update(**options)
        self.clients = (
            list(clients) if clients is not None else [Client(*DEFAULT_CLIENT)]
        )
        self.app = Emulator(world, config, self.clients)
        self.world = world
        self.host = host
        self._port = port
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    # -- life ---------------------------------------------------------------------

    def start(self) -> EmulatorServer:
        """Start serving; return once the server accepts connections."""
        if self._server is not None:
            return self
        sock = listen(self.host, self._port)
        self._socket = sock
        self._port = sock.getsockname()[1]
        server = make_server(self.app)
        self._server = server
        self._thread = threading.Thread(
            target=server.run,
            kwargs={"sockets": [sock]},
            name=f"segue-emulator-{self._port}",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + 15
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the emulator did not start")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread to end."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(15)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- addresses and credentials ------------------------------------------------

    @property
    def port(self) -> int:
        """The port it listens on (known once started)."""
        return self._port

    @property
    def accounts_url(self) -> str:
        """Base URL of the accounts service, e.g. ``http://127.0.0.1:PORT``."""
        return f"http://{self.host}:{self._port}"

    @property
    def client_id(self) -> str:
        """Id of the first registered client."""
        return self.clients[0].id

    @property
    def client_secret(self) -> str:
        """Secret of the first registered client."""
        return self.clients[0].secret

    def user_token(
        self,
        user: str = DEMO_USER,
        scopes: Iterable[str] | None = None,
        *,
        client_id: str | None = None,
        expires_in: float | None = None,
    ) -> str:
        """Mint a user's access token directly (all scopes unless given)."""
        return self.app.accounts.mint(
            client_id or self.client_id,
            user,
            SCOPES if scopes is None else scopes,
            expires_in=expires_in,
        )

    def client_token(self, *, client_id: str | None = None) -> str:
        """Mint a client-credentials access token directly."""
        return self.app.accounts.mint(client_id or self.client_id, None)

    # -- control ------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        """Requests by route and status, concurrency peak, 429 count, total."""
        return self.app.stats.as_dict()

    def reset(self) -> None:
        """Forget statistics, rate windows and quota use; reseed the faults."""
        self.app.reset()

    def configure(self, **options: Any) -> None:
        """Change options while running (fields of :class:`Config`)."""
        self.app.configure(**options)


class EmulatorProcess(_Addresses):
    """An emulator in a child process (``segue emulator serve``), for benchmarks.

    A client benchmarked against :class:`EmulatorServer` shares the interpreter
    lock with the server thread; this runs the server on its own. It offers the
    same methods, done over the emulator's admin routes.

    Parameters
    ----------
    synthetic
        Serve a seeded synthetic world of this many playlists ...
    db
        ... or this catalog file.
    seed
        Seed of the world and of every fault and jitter draw.
    clients
        Registered apps as ``(id, secret)``; by default ``segue-demo``.
    **options
        Any field of :class:`~segue.emulator.Config`, applied once it runs.
    """

    def __init__(
        self,
        *,
        synthetic: int | None = 30,
        db: str | None = None,
        seed: int = 0,
        clients: Iterable[tuple[str, str]] | None = None,
        **options: Any,
    ) -> None:
        Config().update(**options)  # fail early on unknown options
        self.synthetic = synthetic
        self.db = db
        self.seed = seed
        self.clients = list(clients) if clients is not None else [DEFAULT_CLIENT]
        self.options = options
        self._process: subprocess.Popen[str] | None = None
        self._base = ""
        self._world: World | None = None
        self._drain: threading.Thread | None = None

    def start(self) -> EmulatorProcess:
        """Start the child and wait until it serves."""
        command = [sys.executable, "-m", "segue", "emulator", "serve", "--port", "0"]
        if self.db is not None:
            command += ["--db", str(self.db)]
        else:
            command += ["--synthetic", str(self.synthetic or 30)]
        command += ["--seed", str(self.seed)]
        for client_id, secret in self.clients:
            command += ["--client", f"{client_id}:{secret}"]
        process = subprocess.Popen(
            command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
        )
        self._process = process
        assert process.stderr is not None
        for _ in range(50):
            line = process.stderr.readline()
            if not line:
                break
            if "Web API:" in line:
                self._base = line.split()[-1].removesuffix("/v1")
                break
        self._drain = threading.Thread(
            target=_drain, args=(process.stderr,), name="segue-emulator-stderr"
        )
        self._drain.start()
        if not self._base:
            self.stop()
            raise RuntimeError("the emulator process did not start")
        if self.options:
            self._admin("configure", self.options)
        return self

    def stop(self) -> None:
        """Stop the child."""
        process = self._process
        if process is None:
            return
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(15)
        if self._drain is not None:
            self._drain.join(15)
            self._drain = None
        self._process = None

    def __enter__(self) -> EmulatorProcess:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _admin(self, name: str, payload: Any = None) -> Any:
        url = f"{self._base}/_emulator/{name}"
        if payload is None and name == "stats":
            answer = httpx.get(url, timeout=10)
        else:
            answer = httpx.post(url, json=payload, timeout=10)
        answer.raise_for_status()
        return answer.json()

    @property
    def world(self) -> World:
        """The same world as the child's, built here on first use (writes made
        through the API are not seen)."""
        if self._world is None:
            if self.db is not None:
                with Catalog(self.db, read_only=True) as catalog:
                    self._world = World.from_catalog(catalog, seed=self.seed)
            else:
                self._world = World.synthetic(self.synthetic or 30, seed=self.seed)
        return self._world

    @property
    def accounts_url(self) -> str:
        """Base URL of the accounts service."""
        return self._base

    @property
    def client_id(self) -> str:
        """Id of the first registered client."""
        return self.clients[0][0]

    @property
    def client_secret(self) -> str:
        """Secret of the first registered client."""
        return self.clients[0][1]

    def user_token(
        self,
        user: str = DEMO_USER,
        scopes: Iterable[str] | None = None,
        *,
        client_id: str | None = None,
        expires_in: float | None = None,
    ) -> str:
        """Mint a user's access token (all scopes unless given)."""
        ask = {
            "user": user,
            "scopes": None if scopes is None else list(scopes),
            "client_id": client_id,
            "expires_in": expires_in,
        }
        return str(self._admin("token", ask)["access_token"])

    def client_token(self, *, client_id: str | None = None) -> str:
        """Mint a client-credentials access token."""
        return str(self._admin("token", {"client_id": client_id})["access_token"])

    def stats(self) -> dict[str, Any]:
        """The child's request statistics."""
        stats: dict[str, Any] = self._admin("stats")
        return stats

    def reset(self) -> None:
        """Forget statistics, rate windows and quota use; reseed the faults."""
        self._admin("reset", {})

    def configure(self, **options: Any) -> None:
        """Change options while running (fields of :class:`Config`)."""
        self._admin("configure", options)


def _drain(stream: IO[str]) -> None:
    """Read a child's stderr to its end, so that the child never blocks on it."""
    with stream:
        for _ in stream:
            pass
