"""``segue emulator serve``: an offline Spotify Web API on this machine."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from segue.cli._common import catalog_path, err_console, fail, friendly_errors, state

emulator_app = typer.Typer(
    name="emulator",
    help="An offline look-alike of the Spotify Web API and accounts service.",
    no_args_is_help=True,
)


@emulator_app.command("serve")
@friendly_errors
def serve(
    db: Annotated[
        Path | None,
        typer.Option("--db", help="Serve this catalog file.", dir_okay=False),
    ] = None,
    synthetic: Annotated[
        int | None,
        typer.Option(
            "--synthetic", help="Serve a seeded synthetic world of N playlists."
        ),
    ] = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port; 0 picks a free one.")] = 8888,
    mode: Annotated[
        str, typer.Option(help="Access mode: development or extended.")
    ] = "development",
    latency_ms: Annotated[float, typer.Option(help="Added to every answer.")] = 0.0,
    jitter_ms: Annotated[
        float, typer.Option(help="Random extra latency, up to.")
    ] = 0.0,
    rate_limit: Annotated[
        int | None, typer.Option(help="Requests per app in any 30 s window.")
    ] = None,
    count_rejected: Annotated[
        bool,
        typer.Option(help="Refused requests count in the window (hammering waits)."),
    ] = False,
    quota: Annotated[
        int | None, typer.Option(help="Total requests per app (then QUOTA_EXCEEDED).")
    ] = None,
    error_rate: Annotated[float, typer.Option(help="Share of 500/502/503.")] = 0.0,
    drop_rate: Annotated[
        float, typer.Option(help="Share of dropped connections.")
    ] = 0.0,
    seed: Annotated[int, typer.Option(help="Seed of the world and the faults.")] = 0,
    client: Annotated[
        list[str] | None,
        typer.Option("--client", help="Register an app ID:SECRET (repeatable)."),
    ] = None,
) -> None:
    """Serve the Web API under /v1 and the accounts service on one port."""
    from segue.catalog import Catalog
    from segue.emulator import (
        DEFAULT_CLIENT,
        DEMO_USER,
        Client,
        Config,
        Emulator,
        World,
    )
    from segue.emulator._serve import listen, server

    clients = []
    for spec in client or []:
        client_id, sep, secret = spec.partition(":")
        if not sep or not client_id or not secret:
            raise fail(f"--client must be ID:SECRET, not {spec!r}", 2)
        clients.append(Client(client_id, secret))
    if not clients:
        clients.append(Client(*DEFAULT_CLIENT))
    config = Config(seed=seed)
    try:
        config.update(
            mode=mode,
            latency_ms=latency_ms,
            jitter_ms=jitter_ms,
            rate_limit=rate_limit,
            count_rejected=count_rejected,
            quota=quota,
            error_rate=error_rate,
            drop_rate=drop_rate,
        )
    except ValueError as exc:
        raise fail(str(exc), 2) from None
    if synthetic is not None:
        world = World.synthetic(synthetic, seed=seed)
    else:
        path = db or state.db or catalog_path()
        if not path.is_file():
            raise fail(f"no catalog at {path}; give --db PATH or --synthetic N", 2)
        with Catalog(path, read_only=True) as catalog:
            world = World.from_catalog(catalog, seed=seed)
    app = Emulator(world, config, clients)
    sock = listen(host, port)
    actual = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    base = f"http://{shown}:{actual}"
    err_console.print(
        f"segue emulator ({config.mode} mode): {len(world.tracks):,} tracks, "
        f"{len(world.playlists):,} playlists\n"
        f"  Web API:   {base}/v1\n"
        f"  accounts:  {base}  (token URL {base}/api/token)\n"
        f"  client:    {clients[0].id} / {clients[0].secret}\n"
        f"  user:      {DEMO_USER} (allow-listed; /authorize approves it)\n"
        f"  stats:     {base}/_emulator/stats",
        highlight=False,
    )
    try:
        level = "info" if state.verbose else "warning"
        server(app, log_level=level).run(sockets=[sock])
    finally:
        sock.close()
