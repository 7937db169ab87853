"""The ``segue`` command: wiring of the packages into a git-style command line.

Every command lives in a small module of this package and holds no logic of its own;
it parses options, calls a package, and prints. Exit codes: 0 success, 1 failure,
2 usage error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from segue import __version__
from segue.cli._catalog_cmds import import_app, stats
from segue.cli._collect_cmds import collect, login, logout, whoami
from segue.cli._common import configure_logging, print_json, state
from segue.cli._demo_cmds import demo
from segue.cli._emulator_cmds import emulator_app
from segue.cli._evaluate_cmds import evaluate
from segue.cli._recommend_cmds import recommend, train
from segue.cli._serve_cmds import serve, study_app

__all__ = ["app", "main"]

app = typer.Typer(
    name="segue",
    help="Continue Spotify playlists with songs that fit them, from a recommender "
    "you host.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode="rich",
)


@app.callback()
def _options(
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="The catalog file. Default: $SEGUE_HOME/catalog.duckdb, else the "
            "user data directory.",
            envvar=None,
            dir_okay=False,
        ),
    ] = None,
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="Say more; twice: debug.")
    ] = 0,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Say only errors; no progress bars.")
    ] = False,
) -> None:
    state.db = db
    state.verbose = verbose
    state.quiet = quiet
    configure_logging(verbose, quiet)


@app.command()
def version(
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print segue's version."""
    if json_out:
        print_json({"version": __version__})
    else:
        typer.echo(f"segue {__version__}")


app.add_typer(import_app)
app.add_typer(emulator_app)
app.command("stats")(stats)
app.command("login")(login)
app.command("logout")(logout)
app.command("whoami")(whoami)
app.command("collect")(collect)
app.command("evaluate")(evaluate)
app.command("train")(train)
app.command("recommend")(recommend)
app.command("serve")(serve)
app.add_typer(study_app)
app.command("demo")(demo)


def main() -> None:
    """Run the ``segue`` command."""
    app()
