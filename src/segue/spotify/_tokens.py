"""Access tokens and where they are kept between runs.

A :class:`Token` never shows its secrets in its repr. :class:`FileTokenStore` writes
JSON with mode 0600 through a temporary file and :func:`os.replace`, so a crash never
leaves a half-written token behind. Any object with ``load`` and ``save`` methods is a
:class:`TokenStore`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from ._errors import ValidationError

__all__ = ["FileTokenStore", "MemoryTokenStore", "Token", "TokenStore"]


@dataclasses.dataclass(frozen=True)
class Token:
    """An OAuth access token, with its refresh token when there is one.

    Parameters
    ----------
    access_token
        The bearer token. Never shown in the repr.
    expires_at
        Unix time at which the access token expires.
    refresh_token
        The refresh token, or ``None`` (client credentials). Never shown in the repr.
    scope
        Granted scopes, space-separated.
    token_type
        Always ``"Bearer"`` in practice.
    """

    access_token: str = dataclasses.field(repr=False)
    expires_at: float
    refresh_token: str | None = dataclasses.field(default=None, repr=False)
    scope: str = ""
    token_type: str = "Bearer"

    def expires_within(self, seconds: float, now: float | None = None) -> bool:
        """Tell whether the token expires within ``seconds`` from ``now``."""
        current = time.time() if now is None else now
        return self.expires_at - current <= seconds

    @property
    def scopes(self) -> frozenset[str]:
        """Granted scopes as a set."""
        return frozenset(self.scope.split())

    def to_dict(self) -> dict[str, Any]:
        """Return the token as JSON-ready data (secrets included: store it safely)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Token:
        """Build a token from :meth:`to_dict` output.

        Raises
        ------
        ValidationError
            A field is missing or has the wrong type.
        """
        try:
            return cls(
                access_token=str(data["access_token"]),
                expires_at=float(data["expires_at"]),
                refresh_token=(
                    None
                    if data.get("refresh_token") is None
                    else str(data["refresh_token"])
                ),
                scope=str(data.get("scope") or ""),
                token_type=str(data.get("token_type") or "Bearer"),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationError(
                f"malformed token data: {type(exc).__name__}"
            ) from None


@runtime_checkable
class TokenStore(Protocol):
    """Where a user token is kept between runs."""

    def load(self) -> Token | None:
        """Return the stored token, or ``None`` when there is none."""
        ...

    def save(self, token: Token) -> None:
        """Store ``token``, replacing any previous one."""
        ...


class MemoryTokenStore:
    """Keep the token in memory only (tests, short-lived scripts).

    Parameters
    ----------
    token
        An initial token.
    """

    def __init__(self, token: Token | None = None) -> None:
        self._token = token
        self._lock = threading.Lock()

    def load(self) -> Token | None:
        """Return the stored token, or ``None``."""
        with self._lock:
            return self._token

    def save(self, token: Token) -> None:
        """Store ``token``."""
        with self._lock:
            self._token = token

    def __repr__(self) -> str:
        return f"MemoryTokenStore(has_token={self._token is not None})"


class FileTokenStore:
    """Keep the token in a JSON file readable by its owner only (mode 0600).

    Parameters
    ----------
    path
        The file. Its directory is created (mode 0700) when missing.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def load(self) -> Token | None:
        """Return the stored token, or ``None`` when the file is missing or corrupt."""
        with self._lock:
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                return None
            except (OSError, ValueError):
                return None
        if not isinstance(data, dict):
            return None
        try:
            return Token.from_dict(data)
        except ValidationError:
            return None

    def save(self, token: Token) -> None:
        """Write ``token`` atomically: temporary file, fsync, then ``os.replace``."""
        text = json.dumps(token.to_dict())
        with self._lock:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(
                prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
            )
            try:
                os.fchmod(fd, 0o600)
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(text)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise

    def __repr__(self) -> str:
        return f"FileTokenStore({str(self.path)!r})"
