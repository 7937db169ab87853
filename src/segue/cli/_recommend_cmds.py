"""``segue train`` and ``segue recommend``: fit the model, continue a playlist."""

from __future__ import annotations

import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from segue.cli._common import (
    EXIT_USAGE,
    catalog_path,
    err_console,
    fail,
    friendly_errors,
    out_console,
    print_json,
    register_error_handler,
    state,
)

if TYPE_CHECKING:
    from segue.catalog import Catalog

__all__ = ["recommend", "train"]


def _recommend_errors(exc: Exception) -> str | None:
    from segue.recommend.errors import RecommendError

    return str(exc) if isinstance(exc, RecommendError) else None


register_error_handler(_recommend_errors)


def default_model_dir() -> Path:
    """The model directory beside the catalog: ``<catalog dir>/model``."""
    return catalog_path().parent / "model"


def _open_catalog(read_only: bool) -> Catalog:
    from segue.catalog import Catalog

    path = catalog_path()
    if not path.is_file():
        raise fail(f"{path}: no catalog; import data first with `segue import mpd`")
    return Catalog(path, read_only=read_only)


@friendly_errors
def train(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Model directory. Default: 'model' beside the catalog."
        ),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(help="Learn only from playlists of this import source."),
    ] = None,
    ranker_playlists: Annotated[
        int, typer.Option(help="Training playlists whose tails teach the ranker.")
    ] = 800,
    no_ranker: Annotated[
        bool, typer.Option("--no-ranker", help="Order by rank fusion, no ranker.")
    ] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Train segue's recommender on the catalog's playlists and save it."""
    from segue.recommend import Recommender

    target = out or default_model_dir()
    start = time.perf_counter()
    with _open_catalog(read_only=False) as catalog:
        if not state.quiet and not json_out:
            err_console.print(f"training on {catalog.path} ...", highlight=False)
        model = Recommender(
            source=source, ranker=not no_ranker, ranker_playlists=ranker_playlists
        ).fit(catalog)
        path = model.save(target)
    card = (model.fitted_.card if model.fitted_ else {}) | {"model": str(path)}
    card["seconds"] = round(time.perf_counter() - start, 2)
    if json_out:
        print_json(card)
    elif not state.quiet:
        err_console.print(
            f"trained on {card['playlists']:,} playlists and {card['tracks']:,} "
            f"tracks in {card['seconds']:.1f}s; model saved to {path}",
            highlight=False,
        )


@friendly_errors
def recommend(
    playlist: Annotated[
        str | None, typer.Option("--playlist", help="Continue this catalog playlist.")
    ] = None,
    tracks: Annotated[
        str | None,
        typer.Option("--tracks", help="Continue these comma-separated track ids."),
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", help="The playlist's title.")
    ] = None,
    n: Annotated[int, typer.Option("-n", min=1, help="How many tracks.")] = 50,
    model_dir: Annotated[
        Path | None,
        typer.Option("--model", help="Model directory. Default: beside the catalog."),
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Say why each track is there.")
    ] = False,
    allow_remixes: Annotated[
        bool, typer.Option("--allow-remixes", help="Remixes are songs of their own.")
    ] = False,
    max_per_artist: Annotated[
        int,
        typer.Option(
            min=0, help="At most this many tracks per artist in the top 20; 0: no cap."
        ),
    ] = 3,
    diversity: Annotated[
        float,
        typer.Option(min=0.0, max=1.0, help="MMR weight over the top 20; 0 is off."),
    ] = 0.0,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Recommend tracks that continue a playlist, a list of tracks, or a title.

    Unlike evaluation, which measures the raw model, the command caps tracks per
    artist by default: offline metrics reward more of the same artist, listeners
    less so.
    """
    from segue.recommend import Recommender, UnknownTrackWarning

    if playlist is not None and tracks is not None:
        raise fail("give --playlist or --tracks, not both", EXIT_USAGE)
    if playlist is None and tracks is None and not title:
        raise fail("give --playlist ID, --tracks ID,... or --title TEXT", EXIT_USAGE)
    path = model_dir or default_model_dir()
    with _open_catalog(read_only=True) as catalog:
        seeds: list[str] = []
        if playlist is not None:
            found = catalog.playlist(playlist)
            seeds = [item.track_id for item in found.items or ()]
            title = title or found.name
        elif tracks is not None:
            seeds = [t.strip() for t in tracks.split(",") if t.strip()]
        model = Recommender.load(path, catalog)
    model.max_per_artist = max_per_artist or None
    model.artist_window = 20
    model.diversity = diversity
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UnknownTrackWarning)
        recs = model.recommend(seeds, title=title, n=n, allow_remixes=allow_remixes)
    for w in caught:
        err_console.print(f"[yellow]segue: warning:[/] {w.message}", highlight=False)
    fitted = model.fitted_
    assert fitted is not None
    data = fitted.data
    rows: list[dict[str, Any]] = []
    for rank, (track_id, score, reason) in enumerate(
        zip(recs.track_ids, recs.scores.tolist(), recs.reasons, strict=True)
    ):
        i = data.index[track_id]
        row: dict[str, Any] = {
            "rank": rank + 1,
            "track_id": track_id,
            "name": data.names[i],
            "artist": data.artist_names[i],
            "score": None if score != score else round(score, 4),
            "reason": reason,
        }
        if explain:
            why = model.explain(seeds, track_id, title=title)
            row["generators"] = {
                g: {"rank": r + 1, "score": round(s, 4)}
                for g, (r, s) in why.generators.items()
            }
            row["closest_seeds"] = [
                {
                    "track_id": s,
                    "name": data.names[data.index[s]],
                    "similarity": round(v, 3),
                }
                for s, v in why.closest_seeds[:3]
            ]
        rows.append(row)
    if json_out:
        print_json(
            {
                "seeds": len(seeds),
                "title": title,
                "unknown_seeds": list(recs.unknown_seeds),
                "tracks": rows,
            }
        )
        return
    from rich.table import Table

    table = Table(title=f"continuing {title or playlist or 'the tracks'}")
    table.add_column("#", justify="right")
    table.add_column("track")
    table.add_column("artist")
    table.add_column("why")
    for row in rows:
        why_text = row["reason"]
        if explain and row["closest_seeds"]:
            near = "; ".join(s["name"] for s in row["closest_seeds"])
            why_text += f"; near {near}"
        table.add_row(
            str(row["rank"]), row["name"] or "?", row["artist"] or "?", why_text
        )
    out_console.print(table)
