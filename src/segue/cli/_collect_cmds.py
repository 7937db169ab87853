"""``segue login``, ``logout``, ``whoami`` and ``collect``: the user's Spotify music."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from segue.cli._common import (
    catalog_path,
    err_console,
    fail,
    friendly_errors,
    print_json,
    register_error_handler,
    state,
)

__all__ = ["collect", "login", "logout", "whoami"]

ClientIdOpt = Annotated[
    str | None,
    typer.Option(
        "--client-id",
        help="The Spotify app's client id. Default: $SPOTIFY_CLIENT_ID, else the one "
        "of the last login.",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _message(exc: Exception) -> str | None:
    """One line for the errors of segue.collect and segue.spotify."""
    from segue import spotify as s
    from segue.collect import CollectError

    kept = "what was collected is kept; run `segue collect` again to resume"
    if isinstance(exc, CollectError):
        return str(exc)
    if isinstance(exc, s.LoginRequired):
        return (
            "the Spotify login has expired or was revoked (refresh tokens last six "
            "months); run `segue login` again"
        )
    if isinstance(exc, s.AuthError):
        return f"Spotify refused the login: {exc}"
    if isinstance(exc, s.QuotaExceeded):
        return (
            f"the app's Spotify quota is used up (retry in {exc.retry_after:.0f} s); "
            f"{kept}"
        )
    if isinstance(exc, s.RateLimited):
        return (
            f"Spotify asks to wait {exc.retry_after:.0f} s, longer than --max-wait; "
            f"{kept}"
        )
    if isinstance(exc, s.SpotifyError):
        return f"Spotify Web API: {exc}; {kept}"
    return None


register_error_handler(_message)


@friendly_errors
def login(
    client_id: ClientIdOpt = None,
    port: Annotated[
        int,
        typer.Option(
            help="Port of the redirect server on 127.0.0.1 (0: a free one). Register "
            "http://127.0.0.1:PORT/callback in the app's settings.",
            min=0,
            max=65535,
        ),
    ] = 0,
    no_browser: Annotated[
        bool,
        typer.Option("--no-browser", help="Print the login URL instead of opening it."),
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """Log in to Spotify (PKCE; the browser comes back to 127.0.0.1)."""
    from segue.collect import session

    current = session.load_session(client_id)

    def show(url: str) -> None:
        err_console.print("Open this URL to log in to Spotify:", highlight=False)
        sys.stderr.write(url + "\n")
        sys.stderr.flush()

    done = session.login(current, port=port, open_url=show if no_browser else None)
    if json_out:
        print_json({"user_id": done.user_id, "display_name": done.display_name})
    elif not state.quiet:
        name = done.display_name or done.user_id
        err_console.print(f"logged in to Spotify as {name}", highlight=False)


@friendly_errors
def logout() -> None:
    """Forget the stored Spotify login (token and client id)."""
    from segue.collect import session

    found = session.logout()
    if not state.quiet:
        err_console.print("logged out" if found else "was not logged in")


@friendly_errors
def whoami(client_id: ClientIdOpt = None, json_out: JsonOpt = False) -> None:
    """Show who is logged in to Spotify."""
    from segue.collect import session

    current = session.load_session(client_id)
    me = session.whoami(current)
    if json_out:
        print_json(
            {
                "id": me.id,
                "display_name": me.display_name,
                "account_id": me.account_id,
                "api_url": current.api_url,
            }
        )
    else:
        typer.echo(f"{me.display_name or me.id} ({me.id})")


class _WaitColumn(ProgressColumn):
    """Shows the rate-limit wait the client is sitting out, if any."""

    def __init__(self, blocked_until: Any) -> None:
        super().__init__()
        self._blocked = blocked_until

    def render(self, task: Task) -> Text:
        left = float(self._blocked()) - time.monotonic()
        if task.finished or left < 0.5:
            return Text("")
        return Text(f"rate limited: waiting {left:.0f}s", style="yellow")


class _Bars:
    """A :class:`segue.collect.Reporter` drawing one rich bar per phase."""

    def __init__(self, bar: Progress) -> None:
        self.bar = bar
        self.tasks: dict[str, TaskID] = {}

    def start(self, phase: str, total: int | None) -> None:
        self.tasks[phase] = self.bar.add_task(phase, total=total)

    def advance(self, phase: str, amount: int = 1) -> None:
        if phase in self.tasks:
            self.bar.advance(self.tasks[phase], amount)


@contextmanager
def _announce_waits(pacer: Any, enabled: bool) -> Iterator[None]:
    """Say on stderr when the client sits out a long rate-limit wait."""
    stop = threading.Event()

    def watch() -> None:
        announced = 0.0
        while not stop.wait(0.5):
            until = float(pacer.blocked_until)
            left = until - time.monotonic()
            if left > 2 and until != announced:
                announced = until
                err_console.print(
                    f"rate limited by Spotify: waiting {left:.0f}s",
                    style="yellow",
                    highlight=False,
                )

    thread = threading.Thread(target=watch, daemon=True, name="segue-waits")
    if enabled:
        thread.start()
    try:
        yield
    finally:
        stop.set()
        if enabled:
            thread.join(2)


@friendly_errors
def collect(
    playlist: Annotated[
        str | None,
        typer.Option(
            "--playlist",
            help="Collect only this playlist: an open.spotify.com link, a "
            "spotify:playlist: URI or an id.",
            show_default=False,
        ),
    ] = None,
    client_id: ClientIdOpt = None,
    source: Annotated[
        str, typer.Option(help="Source label of the collected playlists.")
    ] = "spotify",
    max_wait: Annotated[
        float,
        typer.Option(
            help="Longest rate-limit wait (s) to sit out; a longer one stops the "
            "run (resume it later).",
            min=0,
        ),
    ] = 60.0,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print the summary as JSON.")
    ] = False,
) -> None:
    """Collect your playlists, library, top and recent tracks into the catalog.

    Resumable: a run that stopped (killed, rate limited, offline) continues where it
    ended when started again. Playlists whose snapshot is unchanged are skipped.
    """
    from segue import spotify as s
    from segue.catalog import Catalog
    from segue.collect import Collector, parse_playlist_ref, session

    if playlist is not None:
        parse_playlist_ref(playlist)  # a malformed link fails before any request
    current = session.load_session(client_id)
    pacer = s.Pacer()
    connect = session.connector(current, pacer=pacer, max_wait=max_wait)
    show = state.show_progress and not json_out
    bar = Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        _WaitColumn(lambda: pacer.blocked_until),
        console=err_console,
        disable=not show,
    )
    with (
        Catalog(catalog_path()) as catalog,
        bar,
        _announce_waits(pacer, not show and not state.quiet and not json_out),
        Collector(catalog, connect, source=source, reporter=_Bars(bar)) as collector,
    ):
        try:
            if playlist is not None:
                summary = collector.collect_playlist(playlist)
            else:
                summary = collector.collect()
        except s.LoginRequired as exc:
            raise session.expired(exc) from None
        except KeyboardInterrupt:
            bar.stop()
            raise fail(
                "interrupted; what was collected is kept, run `segue collect` again "
                "to resume",
                130,
            ) from None
        counts = catalog.stats()
    if json_out:
        print_json({**summary.as_dict(), "catalog": _collected(counts)})
        return
    if state.quiet:
        return
    lines = [
        f"playlists: {summary.playlists:,} collected, {summary.skipped_unchanged:,} "
        f"unchanged, {summary.followed_without_items:,} of other users without items",
        f"items: {summary.items:,}; library entries: {summary.library:,}",
        f"fetched: {summary.tracks:,} tracks, {summary.albums:,} albums, "
        f"{summary.artists:,} artists",
        "features: "
        + (
            ", ".join(f"{n:,} from {k}" for k, n in summary.features.items() if n)
            or "none new"
        )
        + (
            f" ({', '.join(summary.features_unavailable)} unavailable to this app)"
            if summary.features_unavailable
            else ""
        ),
        f"requests: {summary.requests:,} ({summary.rate_limited:,} rate limited, "
        f"{summary.retries:,} retried) in {summary.seconds:.1f}s"
        + (" (resumed)" if summary.resumed else ""),
    ]
    if summary.forbidden:
        lines.append(
            f"refused by Spotify: {len(summary.forbidden)} playlists "
            f"({', '.join(summary.forbidden[:3])})"
        )
    err_console.print("\n".join(lines), highlight=False)


def _collected(counts: dict[str, Any]) -> dict[str, Any]:
    keys = ("playlists", "items", "tracks", "albums", "artists", "library", "features")
    return {k: counts.get(k) for k in keys}
