"""The study's web side: participant pages and API, and the owner's page.

Participants are known by a random id in the signed session cookie, one per study;
every trial lookup is by (participant, trial), so nobody reads another's answers.
The owner signs in with the owner token through a POST form (never a query string,
which would reach access logs); the JSON report also takes it as a bearer token.
"""

from __future__ import annotations

import html
import secrets
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from pydantic import BaseModel, ConfigDict, Field

from segue.recommend import Query
from segue.serve.engine import Engine
from segue.serve.errors import BadRequest, NotFound, Unauthorized
from segue.serve.ids import MAX_PASTED, MAX_TITLE, check_playlist_id, parse_track_refs
from segue.serve.settings import Settings
from segue.serve.spotify_link import spotify_for, spotify_playlist_tracks
from segue.serve.study.report import build_report
from segue.serve.study.store import RATINGS, Study, open_study

__all__ = ["router"]

router = APIRouter(prefix="/study/{study_id}", tags=["study"])

_STATIC = Path(__file__).resolve().parent.parent / "static"


def _study(request: Request, study_id: str) -> Study:
    settings: Settings = request.app.state.settings
    return open_study(settings.data_dir, study_id)


def _participant(request: Request, study: Study, *, create: bool) -> str | None:
    ids = request.session.get("participants")
    if not isinstance(ids, dict):
        ids = {}
    pid = ids.get(study.id)
    if isinstance(pid, str):
        return pid
    if not create:
        return None
    pid = study.add_participant("web")
    ids[study.id] = pid
    request.session["participants"] = ids
    return pid


def _require_participant(request: Request, study: Study) -> str:
    pid = _participant(request, study, create=False)
    if pid is None:
        raise NotFound("no such trial")
    return pid


@router.get("", include_in_schema=False)
def page(request: Request, study_id: str) -> FileResponse:
    """The participant's page."""
    _study(request, study_id)
    return FileResponse(_STATIC / "study.html", media_type="text/html")


@router.get("/api/info")
def info(request: Request, study_id: str) -> dict[str, Any]:
    """What the participant's page needs to know of the study."""
    study = _study(request, study_id)
    settings: Settings = request.app.state.settings
    return {
        "name": study.name,
        "list_size": study.list_size,
        "paste_suggestions": study.baseline == "spotify-pasted",
        "spotify_enabled": bool(settings.spotify_client_id),
    }


class TrialRequest(BaseModel):
    """The participant's playlist, and Spotify's suggestions where the study asks."""

    model_config = ConfigDict(extra="forbid")

    tracks: list[Annotated[str, Field(max_length=100)]] | None = Field(
        None, max_length=MAX_PASTED
    )
    spotify_playlist: str | None = Field(None, max_length=64)
    title: str | None = Field(None, max_length=MAX_TITLE)
    suggestions: list[Annotated[str, Field(max_length=100)]] | None = Field(
        None, max_length=MAX_PASTED
    )


def _display(engine: Engine, track_ids: list[str]) -> list[dict[str, Any]]:
    out = []
    for t in track_ids:
        i = engine.row.get(t)
        out.append(
            {
                "id": t,
                "name": engine.table.name[i] if i is not None else None,
                "artist": engine.table.artist_name[i] if i is not None else None,
            }
        )
    return out


def _baseline_list(
    engine: Engine,
    study: Study,
    seeds: list[str],
    title: str | None,
    body: TrialRequest,
) -> list[str]:
    size = study.list_size
    if study.baseline == "spotify-pasted":
        pasted = parse_track_refs(body.suggestions or [])
        if len(pasted) < 3:
            raise BadRequest("paste at least 3 tracks that Spotify suggested")
        return [t for t in pasted if t not in seeds][:size]
    baseline = engine.baseline(study.baseline)
    known = tuple(s for s in seeds if engine.knows(s))
    query = Query(seeds=known, title=title, exclude=frozenset(seeds))
    return baseline.recommend_batch([query], size)[0]


@router.post("/api/trials")
def new_trial(request: Request, study_id: str, body: TrialRequest) -> dict[str, Any]:
    """Build segue's list and the baseline's, randomise their sides, store them."""
    study = _study(request, study_id)
    engine: Engine = request.app.state.engine
    title = body.title
    if body.spotify_playlist is not None:
        check_playlist_id(body.spotify_playlist)
        with spotify_for(request) as sp:
            name, seeds = spotify_playlist_tracks(sp, body.spotify_playlist)
        title = title or name
    else:
        seeds = parse_track_refs(body.tracks or [])
    if not any(engine.knows(s) for s in seeds) and not title:
        raise BadRequest("none of these tracks is known and there is no title")
    ours = [s.track_id for s in engine.suggest(seeds, title=title, n=study.list_size)]
    theirs = _baseline_list(engine, study, seeds, title, body)
    if not ours or not theirs:
        raise BadRequest("could not build both lists for this playlist")
    pid = _participant(request, study, create=True)
    assert pid is not None
    baseline = "spotify" if study.baseline == "spotify-pasted" else study.baseline
    tid = study.add_trial(
        pid,
        title=title,
        seeds=seeds,
        lists={"segue": ours, baseline: theirs},
        segue_left=secrets.randbelow(2) == 0,
    )
    trial = study.trial(pid, tid)
    return {
        "id": tid,
        "title": title,
        "left": _display(engine, trial["left"]),
        "right": _display(engine, trial["right"]),
    }


@router.get("/api/trials/{trial_id}")
def get_trial(request: Request, study_id: str, trial_id: str) -> dict[str, Any]:
    """One of the participant's own trials, with their answers (sources hidden)."""
    study = _study(request, study_id)
    trial = study.trial(_require_participant(request, study), trial_id)
    engine: Engine = request.app.state.engine
    return {
        "id": trial["id"],
        "title": trial["title"],
        "left": _display(engine, trial["left"]),
        "right": _display(engine, trial["right"]),
        "ratings": trial["ratings"],
        "choice": trial["choice"],
    }


class Rating(BaseModel):
    """One track's rating."""

    model_config = ConfigDict(extra="forbid")
    side: Literal["left", "right"]
    track: str = Field(min_length=22, max_length=22)
    rating: Literal["like", "neutral", "dislike"]


@router.post("/api/trials/{trial_id}/ratings")
def rate(
    request: Request, study_id: str, trial_id: str, body: Rating
) -> dict[str, Any]:
    """Store one rating; it is on disk when this answers."""
    study = _study(request, study_id)
    pid = _require_participant(request, study)
    study.rate(pid, trial_id, body.side, body.track, body.rating)
    return {"saved": True, "rating": RATINGS[body.rating]}


class Choice(BaseModel):
    """Which list was better."""

    model_config = ConfigDict(extra="forbid")
    side: Literal["left", "right"]


@router.post("/api/trials/{trial_id}/choice")
def choose(
    request: Request, study_id: str, trial_id: str, body: Choice
) -> dict[str, Any]:
    """Store the participant's pick; it is on disk when this answers."""
    study = _study(request, study_id)
    pid = _require_participant(request, study)
    study.choose(pid, trial_id, body.side)
    return {"saved": True}


# -- the owner ----------------------------------------------------------------------


def _is_owner(request: Request, study: Study) -> bool:
    owned = request.session.get("owner_of")
    if isinstance(owned, list) and study.id in owned:
        return True
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return study.check_owner(header[7:].strip())
    return False


@router.post("/owner", include_in_schema=False)
async def owner_login(request: Request, study_id: str) -> RedirectResponse:
    """Check the owner token (a urlencoded form field) and remember the owner in
    the signed session."""
    raw = await request.body()
    if len(raw) > 1000:
        raise BadRequest("form too large")
    token = parse_qs(raw.decode("utf-8", "replace")).get("token", [""])[0]
    study = _study(request, study_id)
    if not study.check_owner(token):
        raise Unauthorized("wrong owner token")
    owned = request.session.get("owner_of")
    owned = [s for s in owned if isinstance(s, str)] if isinstance(owned, list) else []
    request.session["owner_of"] = sorted({*owned, study.id})[-20:]
    return RedirectResponse(f"/study/{study.id}/owner", status_code=303)


@router.get("/owner", include_in_schema=False, response_class=HTMLResponse)
def owner_page(request: Request, study_id: str) -> str:
    """The owner's page: a sign-in form, or the results so far."""
    study = _study(request, study_id)
    name = html.escape(study.name)
    if not _is_owner(request, study):
        return (
            f"<!doctype html><html><head><title>{name}: owner</title>"
            '<link rel="stylesheet" href="/static/style.css"></head><body>'
            f"<h1>{name}</h1><form method=post action=/study/{study.id}/owner>"
            "<label>Owner token <input name=token type=password autocomplete=off>"
            "</label> <button>Sign in</button></form></body></html>"
        )
    report = build_report(study)
    p = report["preference"]
    rows = "".join(
        f"<tr><td>{html.escape(s)}</td><td>{r['ratings']}</td>"
        f"<td>{r['like_rate']}</td></tr>"
        for s, r in report["like_rates"].items()
    )
    return (
        f"<!doctype html><html><head><title>{name}: results</title>"
        '<link rel="stylesheet" href="/static/style.css"></head><body>'
        f"<h1>{name}</h1><p>segue vs {html.escape(study.baseline)}: "
        f"{report['participants']} participants, {report['trials']} trials, "
        f"{p['n']} judgements; segue preferred {p['segue_wins']} times "
        f"(share {p['share']}, Wilson {p['wilson']}, p = {p['p_value']}).</p>"
        f"<p id=verdict>{html.escape(report['verdict'])}</p>"
        f"<table><tr><th>source</th><th>ratings</th><th>like rate</th></tr>{rows}"
        "</table></body></html>"
    )


@router.get("/api/report")
def owner_report(request: Request, study_id: str) -> dict[str, Any]:
    """The study report as JSON (owner only: session or bearer token)."""
    study = _study(request, study_id)
    if not _is_owner(request, study):
        raise Unauthorized("the owner token is required")
    return build_report(study)
