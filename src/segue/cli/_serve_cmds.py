"""``segue serve`` and ``segue study``: the web service and listening studies."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Annotated

import typer

from segue.cli._common import (
    catalog_path,
    err_console,
    friendly_errors,
    print_json,
    register_error_handler,
    state,
)

__all__ = ["serve", "study_app"]

log = logging.getLogger("segue")

study_app = typer.Typer(
    name="study",
    help="Blind listening studies: create one, then report its results.",
    no_args_is_help=True,
)

DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Where sessions and studies live. Default: $SEGUE_HOME/serve, else the "
        "user data directory.",
        file_okay=False,
    ),
]


def _serve_errors(exc: Exception) -> str | None:
    from segue.serve.errors import ServeError

    return str(exc) if isinstance(exc, ServeError) else None


register_error_handler(_serve_errors)


def _data_dir(value: Path | None) -> Path:
    from segue.serve.settings import default_data_dir

    return value if value is not None else default_data_dir()


@friendly_errors
def serve(
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            help="A trained model directory, or 'popularity' for the baseline. "
            "Default: 'model' beside the catalog (where segue train saves), else "
            "popularity.",
        ),
    ] = None,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db", help="The catalog file (overrides segue --db).", dir_okay=False
        ),
    ] = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option(help="Port to listen on.", min=1, max=65535)
    ] = 8000,
    workers: Annotated[
        int,
        typer.Option(help="Worker processes (each loads the model).", min=1, max=64),
    ] = 1,
    data_dir: DataDirOption = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            help="The address users reach the service at (for the Spotify redirect "
            "URI). Default: http://HOST:PORT."
        ),
    ] = None,
) -> None:
    """Run the web service: recommendations API, web page and listening studies."""
    import uvicorn

    from segue.serve.errors import ConfigError
    from segue.serve.settings import ENV_VAR, Settings, session_secret

    catalog = db if db is not None else catalog_path()
    if not catalog.is_file():
        raise ConfigError(f"{catalog}: no such catalog; import data first")
    if model is None:
        beside = catalog.parent / "model"  # where segue train saves by default
        if beside.is_dir():
            model = str(beside)
        else:
            log.warning("no model at %s: serving the popularity baseline", beside)
            model = "popularity"
    elif model != "popularity" and not Path(model).is_dir():
        raise ConfigError(f"{model}: no such model directory")
    settings = Settings.from_environ(
        catalog=catalog.resolve(),
        model=model if model == "popularity" else str(Path(model).resolve()),
        data_dir=_data_dir(data_dir).resolve(),
        base_url=base_url or f"http://{host}:{port}",
    )
    session_secret(settings)  # made once here, not raced by the workers
    os.environ[ENV_VAR] = settings.to_env()
    if workers > 1:
        # each worker gets its share of the cores for BLAS, not all of them: with
        # oversubscribed OpenBLAS threads two workers answered 36 requests per
        # second on two cores, with one thread each 60
        threads = str(max(1, (os.cpu_count() or 1) // workers))
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(name, threads)
    if not state.quiet:
        err_console.print(
            f"serving {catalog} on http://{host}:{port} with {workers} worker(s)",
            highlight=False,
        )
    uvicorn.run(
        "segue.serve.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,  # query strings may carry OAuth codes; see segue's log
        log_level="warning" if state.verbose == 0 else "info",
    )


@study_app.command("create")
@friendly_errors
def study_create(
    name: Annotated[str, typer.Argument(help="A name participants see.")],
    baseline: Annotated[
        str,
        typer.Option(
            help="What segue is compared with: popularity, als, or spotify-pasted "
            "(the tracks Spotify itself suggested, pasted by each participant)."
        ),
    ] = "popularity",
    size: Annotated[int, typer.Option(help="Tracks per list.", min=3, max=50)] = 10,
    data_dir: DataDirOption = None,
    base_url: Annotated[
        str, typer.Option(help="The address participants reach the service at.")
    ] = "http://127.0.0.1:8000",
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Create a study; print its participant URL and the owner token (once)."""
    from segue.serve.study import create_study

    study, token = create_study(
        _data_dir(data_dir), name, baseline=baseline, list_size=size
    )
    base = base_url.rstrip("/")
    data = {
        "id": study.id,
        "file": str(study.path),
        "participant_url": f"{base}/study/{study.id}",
        "owner_url": f"{base}/study/{study.id}/owner",
        "owner_token": token,
    }
    if json_out:
        print_json(data)
        return
    typer.echo(f"study {study.id} created in {study.path}")
    typer.echo(f"participants: {data['participant_url']}")
    typer.echo(f"owner page:   {data['owner_url']}")
    typer.echo(f"owner token:  {token}")
    typer.echo("keep the owner token: it is shown only now")


@study_app.command("report")
@friendly_errors
def study_report(
    study: Annotated[str, typer.Argument(help="A study id or its .sqlite3 file.")],
    data_dir: DataDirOption = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Write report.json, report.txt and plots here.",
            file_okay=False,
        ),
    ] = None,
    alpha: Annotated[
        float, typer.Option(help="Significance level.", min=0.001, max=0.5)
    ] = 0.05,
    power: Annotated[
        float, typer.Option(help="Power for sample sizes.", min=0.5, max=0.99)
    ] = 0.8,
) -> None:
    """Report a study: preference with intervals and a binomial test, like rates,
    plots, and how many answers a conclusion needs."""
    from segue.serve.study import (
        Study,
        build_report,
        open_study,
        render_text,
        write_plots,
    )

    path = Path(study)
    opened = (
        Study.from_file(path)
        if path.suffix == ".sqlite3" or path.is_file()
        else open_study(_data_dir(data_dir), study)
    )
    report = build_report(opened, alpha=alpha, power=power)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / "report.json").write_text(json.dumps(report, indent=2) + "\n")
        (out / "report.txt").write_text(render_text(report))
        report["plots"] = [str(p) for p in write_plots(report, out)]
    if json_out:
        print_json(report)
    else:
        typer.echo(render_text(report), nl=False)
