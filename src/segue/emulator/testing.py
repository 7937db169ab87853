"""An emulator on loopback for tests and benchmarks: :class:`EmulatorServer`.

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
import threading
import time
from collections.abc import Iterable
from types import TracebackType
from typing import Any, Literal

import uvicorn

from segue.catalog import Catalog
from segue.emulator._app import Emulator
from segue.emulator._auth import SCOPES, Client
from segue.emulator._config import DEFAULT_CLIENT, Config
from segue.emulator._fastserver import FastServer
from segue.emulator._serve import listen
from segue.emulator._serve import server as make_server
from segue.emulator._world import DEMO_USER, World

__all__ = ["EmulatorServer"]


class EmulatorServer:
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
    server
        ``fast``: the emulator's own HTTP/1.1 server (several times cheaper per
        request); ``uvicorn``: uvicorn with h11.
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
        server: Literal["fast", "uvicorn"] = "fast",
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
        self._kind = server
        self._server: uvicorn.Server | FastServer | None = None
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
        server: uvicorn.Server | FastServer
        if self._kind == "fast":
            server = FastServer(self.app)
            target: Any = server.run
            kwargs: dict[str, Any] = {"sock": sock}
        else:
            server = make_server(self.app)
            target = server.run
            kwargs = {"sockets": [sock]}
        self._server = server
        self._thread = threading.Thread(
            target=target,
            kwargs=kwargs,
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
        if isinstance(self._server, FastServer):
            self._server.shutdown()
        elif self._server is not None:
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
