"""Tracks and audio features: ``/tracks``, ``/audio-features``."""

from __future__ import annotations

from segue.emulator._errors import ApiError
from segue.emulator._http import Request, Response, Route, get_ids, json

__all__ = ["ROUTES"]


def get_track(req: Request) -> Response:
    """``GET /tracks/{id}``."""
    track_id = req.params["id"]
    if track_id not in req.emu.world.tracks:
        raise ApiError(404, "Resource not found")
    return json(req.renderer.track_full(track_id))


def get_tracks(req: Request) -> Response:
    """``GET /tracks?ids=`` (extended mode): unknown ids give null."""
    tracks = req.emu.world.tracks
    return json(
        {
            "tracks": [
                req.renderer.track_full(t) if t in tracks else None
                for t in get_ids(req, 50)
            ]
        }
    )


def get_features(req: Request) -> Response:
    """``GET /audio-features/{id}`` (extended mode)."""
    features = req.renderer.audio_features(req.params["id"])
    if features is None:
        raise ApiError(404, "Resource not found")
    return json(features)


def get_many_features(req: Request) -> Response:
    """``GET /audio-features?ids=`` (extended mode): unknown ids give null."""
    render = req.renderer.audio_features
    return json({"audio_features": [render(t) for t in get_ids(req, 100)]})


ROUTES = [
    Route("GET", "/v1/tracks/{id}", get_track),
    Route("GET", "/v1/tracks", get_tracks, extended_only=True),
    Route("GET", "/v1/audio-features/{id}", get_features, extended_only=True),
    Route("GET", "/v1/audio-features", get_many_features, extended_only=True),
]
