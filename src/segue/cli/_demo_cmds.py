"""``segue demo``: run every part of segue, offline, on the built-in catalogue."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from segue.cli._common import err_console, friendly_errors, print_json, state

__all__ = ["demo"]


@friendly_errors
def demo(
    home: Annotated[
        Path,
        typer.Option(
            help="Folder for the demo's catalogs, login, model and report.",
            file_okay=False,
        ),
    ] = Path("demo-output"),
    n: Annotated[
        int, typer.Option("-n", min=1, max=100, help="Songs to recommend.")
    ] = 20,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Log in to an offline Spotify, collect a playlist, train, recommend and save.

    The built-in catalogue (the TidyTuesday "Spotify songs" table) is served by the
    emulator; no Spotify account is needed and nothing leaves this machine.
    """
    from segue.demo import run

    @contextlib.contextmanager
    def step(name: str) -> Iterator[None]:
        if state.quiet or json_out:
            yield
            return
        with err_console.status(f"{name}..."):
            yield
        err_console.print(f"[green]done[/] {name}", highlight=False)

    result = run(home, n=n, step=step)
    if json_out:
        print_json(result.as_dict())
        return
    if state.quiet:
        return
    err_console.print(
        f"\nContinuing [bold]{result.playlist}[/] with {len(result.recommendations)} "
        "songs:",
        highlight=False,
    )
    for i, row in enumerate(result.recommendations, 1):
        err_console.print(
            f"{i:3d}. {row['name']} [dim]by[/] {row['artist']}  [dim]({row['reason']})",
            highlight=False,
        )
    total = sum(result.timings.values())
    err_console.print(
        f"\nSaved as playlist {result.new_playlist_id} in the emulator. "
        f"Report: {result.report_html} (and {result.report_md.name}). "
        f"Total {total:.0f}s.",
        highlight=False,
    )
