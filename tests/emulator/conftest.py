"""Fixtures of the emulator tests: in-process apps and the OpenAPI schemas."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import yaml

from segue.emulator import Client, Config, Emulator, World

# Fields development mode removes although the spec requires them.
DEV_REMOVED_REQUIRED = {"album_group", "available_markets", "label", "popularity"}


def _convert(node: Any) -> Any:
    """OpenAPI 3.0 schema -> JSON Schema: ``nullable`` becomes a null type."""
    if isinstance(node, list):
        return [_convert(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _convert(v) for k, v in node.items() if k not in ("discriminator",)}
    if out.pop("nullable", False):
        if "type" in out:
            out["type"] = [out["type"], "null"]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


def _relax(node: Any) -> Any:
    if isinstance(node, list):
        return [_relax(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _relax(v) for k, v in node.items()}
    if isinstance(out.get("required"), list):
        out["required"] = [r for r in out["required"] if r not in DEV_REMOVED_REQUIRED]
    return out


class Schemas:
    """Validates answers against the components of Spotify's OpenAPI file."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.full = {"components": _convert(spec["components"])}
        self.relaxed = _relax(copy.deepcopy(self.full))
        self.paths = spec["paths"]

    def check(self, ref: str, data: Any, *, dev: bool = False) -> None:
        """Validate ``data`` against ``#/components/schemas/NAME`` or
        ``responses/NAME``; ``dev`` relaxes what development mode removes."""
        root = self.relaxed if dev else self.full
        if ref.startswith("responses/"):
            name = ref.split("/", 1)[1]
            response = root["components"]["responses"][name]
            schema = response["content"]["application/json"]["schema"]
        else:
            schema = {"$ref": f"#/components/schemas/{ref}"}
        jsonschema.validate(
            data,
            {**schema, "components": root["components"]},
            cls=jsonschema.Draft202012Validator,
        )


@pytest.fixture(scope="session")
def schemas(openapi_spec_path: Path) -> Schemas:
    """The spec's schemas, ready to validate answers."""
    with openapi_spec_path.open() as file:
        return Schemas(yaml.safe_load(file))


class AppClient:
    """A synchronous client of an in-process app (httpx's ASGI transport)."""

    def __init__(self, app: Emulator) -> None:
        self._loop = asyncio.new_event_loop()
        self._client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1:9999"
        )

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return self._loop.run_until_complete(
            self._client.request(method, url, **kwargs)
        )

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def put(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("PUT", url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", url, **kwargs)

    def close(self) -> None:
        self._loop.run_until_complete(self._client.aclose())
        self._loop.close()


AppFactory = Callable[..., tuple[Emulator, AppClient]]


@pytest.fixture
def make_app(emulator_world: World) -> Iterator[AppFactory]:
    """In-process emulators (no sockets) on fresh copies of the session world."""
    opened: list[AppClient] = []

    def make(
        clients: list[Client] | None = None, **options: Any
    ) -> tuple[Emulator, AppClient]:
        config = Config(seed=emulator_world.seed)
        config.update(**options)
        app = Emulator(emulator_world.clone(), config, clients)
        client = AppClient(app)
        opened.append(client)
        return app, client

    yield make
    for client in opened:
        client.close()
