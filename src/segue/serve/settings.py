"""The service's settings: where the catalog, the model and the data live.

:class:`Settings` is plain data. The command line fills it from its options, tests
build it directly, and worker processes started by uvicorn read it back from the
``SEGUE_SERVE_SETTINGS`` environment variable (JSON, see :meth:`Settings.to_env`).
The session secret is never part of that JSON: it lives in a file of mode 0600 in the
data directory (:func:`session_secret`).
"""

from __future__ import annotations

import dataclasses
import json
import os
import secrets
from pathlib import Path
from typing import Any

from segue.catalog.home import data_dir
from segue.serve.errors import ConfigError

__all__ = ["ENV_VAR", "Settings", "default_data_dir", "session_secret"]

ENV_VAR = "SEGUE_SERVE_SETTINGS"
API_URL = "https://api.spotify.com/v1"
ACCOUNTS_URL = "https://accounts.spotify.com"


def default_data_dir() -> Path:
    """``$SEGUE_HOME/serve``, else ``serve`` in the user data directory."""
    return data_dir() / "serve"


@dataclasses.dataclass(frozen=True)
class Settings:
    """What :func:`~segue.serve.create_app` needs.

    Attributes
    ----------
    catalog
        The catalog file (DuckDB), opened read-only.
    model
        A model directory saved by the recommender, or ``"popularity"`` for the
        built-in popularity baseline (useful without a trained model).
    data_dir
        Where the session store, the session key, the pending Spotify logins and
        the studies live; every worker of a server shares them.
    base_url
        The address users reach the service at; the Spotify redirect URI is
        ``{base_url}/callback``.
    spotify_client_id
        The Spotify app's client id for the PKCE login; saving to Spotify is off
        when None.
    api_url, accounts_url
        Base URLs of the Web API and the accounts service (tests point them at the
        emulator).
    secret
        The session-signing secret; read from (or created in) the data directory
        when None.
    pool_size
        How many candidates the model is asked for before tunables filter them.
    """

    catalog: Path
    model: str = "popularity"
    data_dir: Path = dataclasses.field(default_factory=default_data_dir)
    base_url: str = "http://127.0.0.1:8000"
    spotify_client_id: str | None = None
    api_url: str = API_URL
    accounts_url: str = ACCOUNTS_URL
    secret: str | None = dataclasses.field(default=None, repr=False)
    pool_size: int = 250

    @classmethod
    def from_environ(cls, **overrides: Any) -> Settings:
        """Fill the Spotify fields from ``SPOTIFY_CLIENT_ID``, ``SPOTIFY_API_URL``
        and ``SPOTIFY_ACCOUNTS_URL`` where set, then apply ``overrides``."""
        env: dict[str, Any] = {}
        if os.environ.get("SPOTIFY_CLIENT_ID"):
            env["spotify_client_id"] = os.environ["SPOTIFY_CLIENT_ID"]
        if os.environ.get("SPOTIFY_API_URL"):
            env["api_url"] = os.environ["SPOTIFY_API_URL"]
        if os.environ.get("SPOTIFY_ACCOUNTS_URL"):
            env["accounts_url"] = os.environ["SPOTIFY_ACCOUNTS_URL"]
        env.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**env)

    def to_env(self) -> str:
        """JSON for :data:`ENV_VAR`, without the secret."""
        data = dataclasses.asdict(self)
        data.pop("secret")
        data["catalog"] = str(self.catalog)
        data["data_dir"] = str(self.data_dir)
        return json.dumps(data)

    @classmethod
    def from_env(cls, text: str) -> Settings:
        """Read back :meth:`to_env` output.

        Raises
        ------
        ConfigError
            The text is not settings JSON.
        """
        try:
            data = json.loads(text)
            data["catalog"] = Path(data["catalog"])
            data["data_dir"] = Path(data["data_dir"])
            return cls(**data)
        except (ValueError, KeyError, TypeError) as exc:
            raise ConfigError(f"{ENV_VAR} is not valid settings JSON: {exc}") from None


def session_secret(settings: Settings) -> str:
    """The session-signing secret: from the settings, else ``session.key`` in the
    data directory, created with mode 0600 on first use."""
    if settings.secret:
        return settings.secret
    path = settings.data_dir / "session.key"
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        text = path.read_text("ascii").strip()
        if len(text) < 32:
            raise ConfigError(f"{path}: the session key is too short") from None
        return text
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_urlsafe(48))
    return path.read_text("ascii").strip()
