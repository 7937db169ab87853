"""An offline look-alike of the Spotify Web API and accounts service (2026).

It serves a catalog (or a seeded synthetic world) the way Spotify serves its own:
the same paths under ``/v1``, the same JSON objects, paging, error bodies, status
codes and headers, the development-mode restrictions of February 2026 (or the full
API in extended mode), OAuth flows on ``/authorize`` and ``/api/token``, and seeded
limits and faults: a rolling-window rate limit, a quota, latency with jitter, 5xx
answers and dropped connections. Clients meet it only over HTTP.

Examples
--------
Serve a synthetic world and point a client at it (only its base URLs change)::

    $ segue emulator serve --synthetic 200 --port 8888 --rate-limit 180

    import spotipy
    sp = spotipy.Spotify(auth=token, retries=0)
    sp.prefix = "http://127.0.0.1:8888/v1/"
    # spotipy auth managers: set OAUTH_TOKEN_URL / OAUTH_AUTHORIZE_URL to
    # http://127.0.0.1:8888/api/token and http://127.0.0.1:8888/authorize

In tests, :class:`segue.emulator.testing.EmulatorServer` serves in a thread and
mints tokens directly; the pytest plugin ``segue.emulator.pytest_plugin`` gives
the ``emulator`` and ``emulator_factory`` fixtures.

Modules
-------
``_world``      the in-memory world: tracks, albums, artists, playlists, users
``_objects``    Spotify's JSON objects, encoded once and reused
``_auth``       the accounts service: clients, codes, tokens
``_limits``     rate limit, quota, faults and statistics
``_tracks``, ``_albums``, ``_artists``, ``_search``, ``_playlists``, ``_me``
                the routers, one per area of Spotify's reference
``_fields``     the ``fields`` filter of the playlist endpoints
``_app``        the ASGI app
``_serve``      listening sockets and uvicorn settings
``testing``     :class:`EmulatorServer`, the app served in a background thread
``pytest_plugin``  the ``emulator``, ``emulator_factory`` and ``emulator_world``
                fixtures

Exceptions
----------
::

    EmulatorError             root of the emulator's own exceptions
    ├── ApiError              a Web API error answer (status, message, reason)
    ├── OAuthError            an accounts-service error (error, error_description)
    └── ConnectionDropped     drop the connection without an answer

Configuration mistakes (unknown options, rates outside [0, 1]) raise
:class:`TypeError` or :class:`ValueError`.
"""

from segue.emulator._app import Emulator, create_app
from segue.emulator._auth import SCOPES, Client
from segue.emulator._config import DEFAULT_CLIENT, Config, Mode
from segue.emulator._errors import (
    ApiError,
    ConnectionDropped,
    EmulatorError,
    OAuthError,
)
from segue.emulator._world import DEMO_USER, World

__all__ = [
    "DEFAULT_CLIENT",
    "DEMO_USER",
    "SCOPES",
    "ApiError",
    "Client",
    "Config",
    "ConnectionDropped",
    "Emulator",
    "EmulatorError",
    "Mode",
    "OAuthError",
    "World",
    "create_app",
]
