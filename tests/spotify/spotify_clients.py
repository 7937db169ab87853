"""Drive either client class through one interface, for tests run on both."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from spotify_fake import ACCOUNTS, API, FakeSpotify

from segue.spotify import AsyncSpotify, Spotify


class Both:
    """Drive a :class:`Spotify` or an :class:`AsyncSpotify` through one interface."""

    def __init__(self, kind: str, fake: FakeSpotify | None, **options: Any) -> None:
        self.kind = kind
        self.loop: asyncio.AbstractEventLoop | None = None
        self.client: Spotify | AsyncSpotify
        if fake is not None:
            options = {"api_base": API, "accounts_base": ACCOUNTS, **options}
            if "auth" not in options:
                options.setdefault("client_id", fake.client_id)
                options.setdefault("client_secret", fake.client_secret)
        transport = httpx.MockTransport(fake) if fake is not None else None
        if kind == "sync":
            if transport is not None:
                options["http_client"] = httpx.Client(transport=transport)
            self.client = Spotify(timeout=5.0, **options)
        else:
            self.loop = asyncio.new_event_loop()
            if transport is not None:
                options["http_client"] = httpx.AsyncClient(transport=transport)
            self.client = AsyncSpotify(timeout=5.0, **options)

    def __call__(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Call a method and return its result."""
        result = getattr(self.client, method)(*args, **kwargs)
        if self.loop is not None:
            return self.loop.run_until_complete(result)
        return result

    def list(self, method: str, *args: Any, **kwargs: Any) -> list[Any]:
        """Exhaust an ``iter_*`` method."""
        iterator = getattr(self.client, method)(*args, **kwargs)
        if self.loop is None:
            return list(iterator)

        async def drain() -> list[Any]:
            return [item async for item in iterator]

        return self.loop.run_until_complete(drain())

    def close(self) -> None:
        """Close the client (and the event loop)."""
        if isinstance(self.client, AsyncSpotify):
            assert self.loop is not None
            self.loop.run_until_complete(self.client.aclose())
            self.loop.close()
        else:
            self.client.close()
