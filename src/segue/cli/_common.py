"""What every ``segue`` command shares: options, the catalog path, output and errors."""

from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

__all__ = [
    "EXIT_FAILURE",
    "EXIT_USAGE",
    "State",
    "catalog_path",
    "fail",
    "friendly_errors",
    "print_json",
    "progress",
    "state",
]

EXIT_FAILURE = 1
EXIT_USAGE = 2

P = ParamSpec("P")
R = TypeVar("R")

err_console = Console(stderr=True, soft_wrap=True)
out_console = Console(soft_wrap=True)


@dataclass
class State:
    """Options given before the command name, shared by every command."""

    db: Path | None = None
    verbose: int = 0
    quiet: bool = False

    @property
    def show_progress(self) -> bool:
        """Progress bars are drawn on a terminal, unless ``-q`` was given."""
        return not self.quiet and err_console.is_terminal


state = State()


def configure_logging(verbose: int, quiet: bool) -> None:
    """Show the ``segue`` logger on stderr: warnings by default, more with ``-v``.

    The level is set on segue's own handler; the logger's level is lowered only for
    ``-v``, so that running a command in-process leaves other logging alone.
    """
    level = logging.WARNING
    if quiet:
        level = logging.ERROR
    elif verbose == 1:
        level = logging.INFO
    elif verbose >= 2:
        level = logging.DEBUG
    logger = logging.getLogger("segue")
    for old in [h for h in logger.handlers if isinstance(h, _CliHandler)]:
        logger.removeHandler(old)
    handler = _CliHandler(
        level, console=err_console, show_path=False, show_time=verbose >= 2
    )
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    if verbose:
        logger.setLevel(level)


class _CliHandler(RichHandler):
    """The handler ``configure_logging`` adds, so that a second call replaces it."""


def catalog_path() -> Path:
    """The catalog file: ``--db``, else ``$SEGUE_HOME/catalog.duckdb``, else the user
    data directory."""
    from segue.catalog.home import default_catalog_path

    return state.db if state.db is not None else default_catalog_path()


def fail(message: str, code: int = EXIT_FAILURE) -> typer.Exit:
    """Print ``segue: error: MESSAGE`` to stderr and return the exit to raise."""
    err_console.print(f"[bold red]segue: error:[/] {message}", highlight=False)
    return typer.Exit(code)


def friendly_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn the errors a user can fix into one-line messages and exit code 1."""
    from segue.catalog.errors import CatalogError

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except CatalogError as exc:
            raise fail(str(exc)) from None
        except OSError as exc:
            raise fail(f"{exc.filename or ''}: {exc.strerror or exc}") from None
        except Exception as exc:
            handled = _extra_handlers(exc)
            if handled is not None:
                raise fail(handled) from None
            raise

    return wrapper


_HANDLERS: list[Callable[[Exception], str | None]] = []


def register_error_handler(handler: Callable[[Exception], str | None]) -> None:
    """Let a command group turn its own package's errors into a message."""
    _HANDLERS.append(handler)


def _extra_handlers(exc: Exception) -> str | None:
    for handler in _HANDLERS:
        message = handler(exc)
        if message is not None:
            return message
    return None


def print_json(data: Any) -> None:
    """Write ``data`` as JSON to stdout, one object, newline-terminated."""
    sys.stdout.write(json.dumps(data, indent=2, sort_keys=True, default=str) + "\n")


@contextmanager
def progress(enabled: bool | None = None) -> Iterator[Progress]:
    """A rich progress display on stderr, drawn only when it helps."""
    show = state.show_progress if enabled is None else enabled
    bar = Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err_console,
        disable=not show,
        transient=False,
    )
    with bar:
        yield bar
