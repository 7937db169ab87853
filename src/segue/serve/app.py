"""The application factory: :func:`create_app` builds the whole service.

Tests build the app in-process with their own :class:`Settings` (and, where they
like, their own :class:`Engine`); ``segue serve`` runs :func:`app_from_env` in each
uvicorn worker, which reads the settings from ``SEGUE_SERVE_SETTINGS``.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from segue import __version__
from segue.catalog import Catalog
from segue.serve import api, web
from segue.serve.engine import Engine, load_model
from segue.serve.errors import ApiError, ConfigError
from segue.serve.metrics import Metrics, MetricsMiddleware
from segue.serve.sessions import SessionStore
from segue.serve.settings import ENV_VAR, Settings, session_secret
from segue.serve.shapes import error_body
from segue.serve.spotify_link import LoginFlows
from segue.serve.study.routes import router as study_router

__all__ = ["app_from_env", "create_app"]

log = logging.getLogger("segue")


def create_app(settings: Settings, *, engine: Engine | None = None) -> FastAPI:
    """Build the service.

    Parameters
    ----------
    settings
        Where the catalog, model and data live.
    engine
        A ready engine (tests); built from ``settings`` when omitted.

    Raises
    ------
    ConfigError
        The catalog or the model cannot be opened.
    """
    if engine is None:
        if not settings.catalog.is_file():
            raise ConfigError(f"{settings.catalog}: no such catalog file")
        catalog = Catalog(settings.catalog, read_only=True)
        try:
            engine = Engine(catalog, load_model(settings.model, catalog))
        except BaseException:
            catalog.close()
            raise
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    app = FastAPI(
        title="segue",
        version=__version__,
        description="Playlist continuation you host: a Spotify-compatible "
        "recommendations API, a web page and a blind listening study.",
    )
    metrics = Metrics()
    app.state.settings = settings
    app.state.engine = engine
    app.state.metrics = metrics
    app.state.sessions = SessionStore(settings.data_dir / "sessions.sqlite3")
    app.state.logins = LoginFlows(settings)
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(settings),
        session_cookie="segue_session",
        same_site="lax",
        https_only=settings.base_url.startswith("https://"),
        max_age=14 * 24 * 3600,
    )
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    _add_error_handlers(app)
    app.include_router(api.router)
    app.include_router(web.router)
    app.include_router(study_router)

    @app.get("/health", tags=["operations"])
    def health() -> dict[str, Any]:
        """Whether the service is up, and what it serves."""
        return {
            "status": "ok",
            "version": __version__,
            "model": getattr(engine.model, "name", type(engine.model).__name__),
            "tracks": len(engine.table),
        }

    @app.get("/metrics", tags=["operations"], response_class=PlainTextResponse)
    def prometheus() -> str:
        """Request counts and latencies in Prometheus' text format."""
        return metrics.render()

    return app


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(error_body(exc.status, exc.message), status_code=exc.status)

    @app.exception_handler(ConfigError)
    async def misconfigured(request: Request, exc: ConfigError) -> JSONResponse:
        log.error("misconfiguration: %s", exc)
        return JSONResponse(
            error_body(503, f"the service is not set up for this: {exc}"),
            status_code=503,
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for err in exc.errors()[:5]:
            where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
            problems.append(f"{where}: {err.get('msg', 'invalid')}")
        message = "invalid request: " + "; ".join(problems)
        return JSONResponse(error_body(400, message), status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(
            error_body(exc.status_code, str(exc.detail)),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )


def app_from_env() -> FastAPI:
    """The app of one uvicorn worker, from the ``SEGUE_SERVE_SETTINGS`` JSON.

    Raises
    ------
    ConfigError
        The variable is missing or invalid.
    """
    text = os.environ.get(ENV_VAR)
    if not text:
        raise ConfigError(f"{ENV_VAR} is not set; start the service with segue serve")
    return create_app(Settings.from_env(text))
