"""The JSON API: ``GET /v1/recommendations`` and ``POST /v1/continuations``.

``/v1/recommendations`` answers the parameters of Spotify's removed endpoint in its
response shape. Its parameter errors use the messages the old endpoint gave (as
reported in public issue threads of spotipy and spotify-web-api-node, and the old
reference page): "invalid request" for malformed ids, "Invalid limit" for a limit
outside 1..100, and the seed-count messages below. Tunables and ``market`` that the
catalog cannot honour are reported in the ``X-Segue-Unsupported`` header and the
``warnings`` field.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from segue.catalog import NotFound as CatalogNotFound
from segue.serve.continuation import Filters, continue_playlist
from segue.serve.engine import Engine, Suggestion
from segue.serve.errors import BadRequest, NotFound
from segue.serve.ids import (
    MAX_PASTED,
    MAX_TITLE,
    check_playlist_id,
    is_id,
    parse_track_refs,
)
from segue.serve.shapes import track_object
from segue.serve.tunables import (
    ATTRIBUTES,
    PREFIXES,
    apply_tunables,
    parse_tunables,
    unsupported,
)

__all__ = ["MAX_SEEDS", "router"]

MAX_SEEDS = 5
NO_SEEDS = "At least one seed must be provided"
TOO_MANY_SEEDS = "Number of seeds exceeds limit"
INVALID_LIMIT = "Invalid limit"
INVALID_REQUEST = "invalid request"
UNSUPPORTED_HEADER = "X-Segue-Unsupported"

_MARKET = re.compile(r"^[A-Z]{2}$")
_GENRE = re.compile(r"^[a-z0-9][a-z0-9 &'+.:-]{0,49}$", re.IGNORECASE)

router = APIRouter()


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def _api_base(request: Request) -> str:
    return str(request.base_url).rstrip("/") + "/v1"


def _split(value: str | None) -> list[str]:
    if value is None:
        return []
    return [v.strip() for v in value.split(",") if v.strip()]


def _tunable_docs() -> list[dict[str, Any]]:
    return [
        {
            "name": f"{prefix}{name}",
            "in": "query",
            "required": False,
            "schema": {"type": "integer" if spec[2] else "number"},
            "description": f"{prefix.rstrip('_')} {name}",
        }
        for name, spec in sorted(ATTRIBUTES.items())
        for prefix in PREFIXES
    ]


@router.get(
    "/v1/recommendations",
    tags=["spotify-compatible"],
    openapi_extra={"parameters": _tunable_docs()},
    responses={400: {"description": "A parameter error, in Spotify's error shape."}},
)
def recommendations(
    request: Request,
    response: Response,
    seed_tracks: Annotated[
        str | None, Query(description="Comma-separated track ids.")
    ] = None,
    seed_artists: Annotated[
        str | None, Query(description="Comma-separated artist ids.")
    ] = None,
    seed_genres: Annotated[
        str | None, Query(description="Comma-separated genre names.")
    ] = None,
    limit: Annotated[
        str | None, Query(description="1 to 100 tracks; default 20.")
    ] = None,
    market: Annotated[
        str | None, Query(description="An ISO 3166-1 alpha-2 country code.")
    ] = None,
) -> dict[str, Any]:
    """Recommendations from up to 5 seeds, in the shape of Spotify's removed endpoint.

    Takes ``min_*``, ``max_*`` and ``target_*`` for acousticness, danceability,
    duration_ms, energy, instrumentalness, key, liveness, loudness, mode,
    popularity, speechiness, tempo, time_signature and valence.
    """
    engine = _engine(request)
    n = _parse_limit(limit)
    tracks, artists, genres = (
        _split(seed_tracks),
        _split(seed_artists),
        _split(seed_genres),
    )
    total = len(tracks) + len(artists) + len(genres)
    if total == 0:
        raise BadRequest(NO_SEEDS)
    if total > MAX_SEEDS:
        raise BadRequest(TOO_MANY_SEEDS)
    if not all(is_id(t) for t in tracks + artists):
        raise BadRequest(INVALID_REQUEST)
    if not all(_GENRE.match(g) for g in genres):
        raise BadRequest(INVALID_REQUEST)
    if market is not None and market != "from_token" and not _MARKET.match(market):
        raise BadRequest("Invalid market code")
    tunables = parse_tunables(request.query_params)

    warnings: list[str] = []
    missing = unsupported(tunables, engine)
    if genres and not engine.has_genres:
        missing.append("seed_genres")
    if market is not None:
        missing.append("market")
    for name in missing:
        warnings.append(_unsupported_message(name))

    usable: dict[tuple[str, str], list[str]] = {}
    for t in tracks:
        usable[("track", t)] = [t] if engine.knows(t) else []
    for a in artists:
        usable[("artist", a)] = engine.artist_tracks(a, 3)
    for g in genres:
        usable[("genre", g)] = engine.genre_tracks(g, 3)
    for (kind, id_), found in usable.items():
        if not found and not (kind == "genre" and "seed_genres" in missing):
            warnings.append(f"seed {kind} {id_} is not in the catalog")
    seeds = [t for found in usable.values() for t in found]
    pool = engine.suggest_ids(
        list(dict.fromkeys(seeds)),
        n=max(engine_pool(request), n) if tunables else n,
        exclude=tracks,
    )
    if seeds and any(kind == "artist" for kind, _ in usable):
        pool = _with_artist_tracks(engine, pool, usable, set(tracks))
    kept = apply_tunables(tunables, pool, engine, set(missing))
    api = _api_base(request)
    if missing:
        response.headers[UNSUPPORTED_HEADER] = ",".join(missing)
    body: dict[str, Any] = {
        "seeds": [
            {
                "afterFilteringSize": len(kept) if found else 0,
                "afterRelinkingSize": len(kept) if found else 0,
                "href": f"{api}/{kind}s/{id_}" if kind != "genre" else None,
                "id": id_,
                "initialPoolSize": len(pool) if found else 0,
                "type": kind.upper(),
            }
            for (kind, id_), found in usable.items()
        ],
        "tracks": [track_object(engine, s.track_id, api) for s in kept[:n]],
    }
    if warnings:
        body["warnings"] = warnings
    return body


def engine_pool(request: Request) -> int:
    """How many candidates to draw before tunables filter them."""
    size: int = request.app.state.settings.pool_size
    return size


def _parse_limit(limit: str | None) -> int:
    if limit is None:
        return 20
    try:
        n = int(limit)
    except ValueError:
        raise BadRequest(INVALID_LIMIT) from None
    if not 1 <= n <= 100:
        raise BadRequest(INVALID_LIMIT)
    return n


def _unsupported_message(name: str) -> str:
    if name == "market":
        return "market is not supported: the catalog has no market availability"
    if name == "seed_genres":
        return "seed_genres is not supported: the catalog has no genres"
    return f"{name} tunables are not supported: the catalog has no {name} values"


def _with_artist_tracks(
    engine: Engine,
    pool: list[Suggestion],
    usable: dict[tuple[str, str], list[str]],
    seed_tracks: set[str],
) -> list[Suggestion]:
    """Put the seed artists' own top tracks (which the model skips) into the pool."""
    own = [
        Suggestion(
            t, 0.0, f"a top track of seed artist {engine.artist_names.get(a, a)}"
        )
        for (kind, a), found in usable.items()
        if kind == "artist"
        for t in found
        if t not in seed_tracks
    ]
    seen = {s.track_id for s in pool}
    merged = list(pool)
    for k, s in enumerate(s for s in own if s.track_id not in seen):
        merged.insert(min(2 + 4 * k, len(merged)), s)
    return merged


class ContinuationRequest(BaseModel):
    """A playlist to continue: a catalog playlist id, or tracks and a title."""

    model_config = ConfigDict(extra="forbid")

    playlist_id: str | None = Field(
        None, max_length=64, description="A playlist of the catalog."
    )
    tracks: list[Annotated[str, Field(max_length=100)]] | None = Field(
        None,
        max_length=MAX_PASTED,
        description="Track ids, spotify:track: URIs or open.spotify.com links.",
    )
    title: str | None = Field(None, max_length=MAX_TITLE)
    n: int = Field(20, ge=1, le=100, description="How many tracks to add.")
    allow_remixes: bool = False
    max_per_artist: int | None = Field(None, ge=1, le=100)
    diversity: float = Field(0.0, ge=0.0, le=1.0)


def resolve_playlist(
    engine: Engine, body: ContinuationRequest
) -> tuple[list[str], str | None, dict[str, Any] | None]:
    """The seeds and title of the request, and the catalog playlist if one is named.

    Raises
    ------
    BadRequest
        Neither or both of ``playlist_id`` and ``tracks`` are given.
    NotFound
        The catalog has no playlist of that id.
    """
    if (body.playlist_id is None) == (body.tracks is None):
        raise BadRequest("give either playlist_id or tracks (and a title)")
    if body.playlist_id is not None:
        pid = check_playlist_id(body.playlist_id)
        try:
            playlist = engine.catalog.playlist(pid)
        except CatalogNotFound:
            raise NotFound(f"no playlist {pid!r} in the catalog") from None
        seeds = [i.track_id for i in playlist.items or ()]
        info = {"id": playlist.id, "name": playlist.name, "tracks": len(seeds)}
        return seeds, body.title or playlist.name, info
    seeds = parse_track_refs(body.tracks or [])
    if not seeds and not body.title:
        raise BadRequest("give at least one track or a title")
    return seeds, body.title, None


@router.post("/v1/continuations", tags=["segue"])
def continuations(request: Request, body: ContinuationRequest) -> dict[str, Any]:
    """Continue a playlist: ``n`` tracks with the reason each was chosen."""
    engine = _engine(request)
    seeds, title, info = resolve_playlist(engine, body)
    picked = continue_playlist(
        engine,
        seeds,
        title=title,
        n=body.n,
        filters=Filters(body.allow_remixes, body.max_per_artist, body.diversity),
    )
    api = _api_base(request)
    unknown = [s for s in seeds if not engine.knows(s)]
    warnings = []
    if unknown:
        warnings.append(f"{len(unknown)} of {len(seeds)} tracks are not in the catalog")
    if seeds and len(unknown) == len(seeds) and not title:
        warnings.append("no track is known and there is no title: nothing to go on")
    return {
        "playlist": info,
        "title": title,
        "seeds": {"count": len(seeds), "unknown": unknown[:50]},
        "profile": engine.profile(seeds),
        "tracks": [
            {
                "track": track_object(engine, s.track_id, api),
                "score": round(s.score, 6),
                "reason": s.reason,
            }
            for s in picked
        ],
        "warnings": warnings,
    }
