"""``segue import`` and ``segue stats``: filling the catalog and looking into it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from segue.cli._common import (
    catalog_path,
    err_console,
    friendly_errors,
    out_console,
    print_json,
    progress,
    state,
)

import_app = typer.Typer(
    name="import",
    help="Import playlist datasets and audio-feature tables into the catalog.",
    no_args_is_help=True,
)

PathsArg = Annotated[
    list[Path],
    typer.Argument(
        help="Files or folders to import.", exists=False, show_default=False
    ),
]


@import_app.command("mpd")
@friendly_errors
def import_mpd(
    paths: PathsArg,
    source: Annotated[
        str, typer.Option(help="Label kept by every imported playlist.")
    ] = "mpd",
    json_out: Annotated[
        bool, typer.Option("--json", help="Print the summary as JSON.")
    ] = False,
) -> None:
    """Import Million Playlist Dataset slices or challenge sets (.json, .json.gz)."""
    from segue.catalog import Catalog, mpd

    files = mpd.find_files(paths)
    with Catalog(catalog_path()) as catalog, progress() as bar:
        task = bar.add_task("importing playlists", total=len(files))
        summary = mpd.import_files(
            catalog,
            files,
            source=source,
            progress=lambda _path, _n: bar.advance(task),
        )
    if json_out:
        print_json(
            {
                "files": summary.files,
                "playlists": summary.playlists,
                "items": summary.items,
                "tracks": summary.tracks,
                "new_tracks": summary.new_tracks,
                "seconds": round(summary.seconds, 3),
            }
        )
    elif not state.quiet:
        err_console.print(
            f"imported {summary.playlists:,} playlists, {summary.tracks:,} tracks "
            f"({summary.new_tracks:,} new), {summary.items:,} items from "
            f"{summary.files:,} files in {summary.seconds:.1f}s",
            highlight=False,
        )


@import_app.command("features")
@friendly_errors
def import_features(
    paths: PathsArg,
    source: Annotated[
        str | None,
        typer.Option(help="Label of the feature source (default: from the file)."),
    ] = None,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print the summary as JSON.")
    ] = False,
) -> None:
    """Import audio-feature tables: TidyTuesday spotify_songs, Hit Predictor CSVs or
    Spotify audio-features JSON."""
    from segue.catalog import Catalog, features

    files = features.find_files(paths)
    with Catalog(catalog_path()) as catalog, progress() as bar:
        task = bar.add_task("importing features", total=len(files))
        summary = features.import_files(
            catalog,
            files,
            source=source,
            progress=lambda _path, _n: bar.advance(task),
        )
    if json_out:
        print_json(summary.as_dict())
    elif not state.quiet:
        err_console.print(summary.describe(), highlight=False)


def stats(
    json_out: Annotated[
        bool, typer.Option("--json", help="Print one JSON object.")
    ] = False,
) -> None:
    """Show what the catalog holds: playlists, tracks, features, sources."""
    from rich.table import Table

    from segue.catalog import Catalog

    run = friendly_errors(_open_stats)
    data = run()
    if json_out:
        print_json(data)
        return
    table = Table(title=f"catalog {data['path']}", show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column(justify="right")
    for key in ("playlists", "items", "tracks", "artists", "albums", "features"):
        table.add_row(key, f"{data[key]:,}")
    table.add_row(
        "feature coverage",
        f"{data['playlist_tracks_with_features']:,} of {data['playlist_tracks']:,} "
        f"playlist tracks ({data['feature_coverage']:.1%})",
    )
    for label, count in data["sources"].items():
        table.add_row(f"source {label}", f"{count:,} playlists")
    for label, share in data.get("item_feature_coverage_by_source", {}).items():
        table.add_row(f"entries of {label} with features", f"{share:.1%}")
    for label, count in data["feature_sources"].items():
        table.add_row(f"features {label}", f"{count:,} tracks")
    out_console.print(table)
    del Catalog


def _open_stats() -> dict[str, Any]:
    from segue.catalog import Catalog

    path = catalog_path()
    if not path.exists():
        from segue.catalog.errors import NotFound

        raise NotFound(
            f"{path}: no catalog yet; import data first (segue import --help)"
        )
    with Catalog(path, read_only=True) as catalog:
        data = catalog.stats()
    data["path"] = str(path)
    return data
