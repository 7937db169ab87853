"""segue's web service: a recommendations API, a web page and a listening study.

:func:`create_app` builds the FastAPI application from :class:`Settings`:

- ``GET /v1/recommendations``: the parameters and answer shape of Spotify's removed
  endpoint, served by segue's model;
- ``POST /v1/continuations``: continue a catalog playlist, or pasted tracks, with
  reasons;
- ``/``: a web page to continue a playlist, see its audio profile, save to Spotify;
- ``/study/{id}``: a blind pairwise listening study (see :mod:`segue.serve.study`);
- ``/health``, ``/metrics`` (Prometheus), ``/docs`` (OpenAPI).

Errors (see :mod:`segue.serve.errors`)::

    ServeError
    ├── ApiError            answered as {"error": {"status", "message"}}
    │   ├── BadRequest      400
    │   ├── Unauthorized    401
    │   └── NotFound        404
    └── ConfigError         misconfiguration: the service cannot start or run
        └── StudyError      a study file is missing or corrupt
"""

from segue.serve.app import app_from_env, create_app
from segue.serve.engine import Engine, Suggestion, load_model
from segue.serve.errors import (
    ApiError,
    BadRequest,
    ConfigError,
    NotFound,
    ServeError,
    StudyError,
    Unauthorized,
)
from segue.serve.settings import Settings

__all__ = [
    "ApiError",
    "BadRequest",
    "ConfigError",
    "Engine",
    "NotFound",
    "ServeError",
    "Settings",
    "StudyError",
    "Suggestion",
    "Unauthorized",
    "app_from_env",
    "create_app",
    "load_model",
]
