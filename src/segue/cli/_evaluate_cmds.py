"""``segue evaluate``: challenge-style evaluation of segue and its peers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from segue.cli._common import (
    catalog_path,
    err_console,
    fail,
    friendly_errors,
    out_console,
    progress,
    register_error_handler,
    state,
)

__all__ = ["evaluate"]


def _evaluate_errors(exc: Exception) -> str | None:
    from segue.evaluate.errors import EvaluateError

    return str(exc) if isinstance(exc, EvaluateError) else None


register_error_handler(_evaluate_errors)


def _names(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [part.strip() for part in text.split(",") if part.strip()]


@friendly_errors
def evaluate(
    test: Annotated[
        int, typer.Option("--test", help="Test playlists, spread over the categories.")
    ] = 1000,
    categories: Annotated[
        str | None,
        typer.Option(
            help="Comma-separated categories: title, first1, first5, first10, "
            "first25, first100, first5-notitle, first10-notitle, random25, "
            "random100. Default: all ten."
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the split and of training.")] = 0,
    from_source: Annotated[
        str | None,
        typer.Option(help="Only playlists of this import source may be test ones."),
    ] = None,
    models: Annotated[
        str | None,
        typer.Option(
            help="Comma-separated models: segue, segue-no-GENERATOR, "
            "segue-no-ranker, popularity, als, als-tuned, itemknn, rp3beta, ease, "
            "or the groups "
            "default, peers, ablations, all. Default: segue (when present) and "
            "the peers."
        ),
    ] = None,
    jobs: Annotated[
        int, typer.Option(help="Models trained at once, one thread each.", min=1)
    ] = 1,
    json_file: Annotated[
        Path | None,
        typer.Option(
            "--json",
            help="Write every number as JSON here ('-': stdout).",
            dir_okay=False,
        ),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(
            help="Write report.md, report.html and figures into this folder.",
            file_okay=False,
        ),
    ] = None,
    n: Annotated[
        int, typer.Option("-n", help="Tracks asked per playlist.", min=1)
    ] = 500,
) -> None:
    """Evaluate models on held-out playlists the way the RecSys Challenge 2018 did."""
    from segue.catalog import Catalog
    from segue.evaluate import evaluate as run
    from segue.evaluate import make_split
    from segue.evaluate.registry import default_models
    from segue.evaluate.splits import DEFAULT_CATEGORIES

    path = catalog_path()
    if not path.exists():
        raise fail(f"{path}: no catalog yet; import data first (segue import --help)")
    names = _names(models) or default_models()
    wanted = _names(categories) or list(DEFAULT_CATEGORIES)
    with Catalog(path, read_only=True) as catalog, progress() as bar:
        prep = bar.add_task("drawing the split", total=1)
        split = make_split(
            catalog, test=test, categories=wanted, seed=seed, from_source=from_source
        )
        bar.advance(prep)
        tasks = {name: bar.add_task(f"{name}: waiting", total=3) for name in names}
        labels = {"fit": "training", "recommend": "recommending", "score": "scoring"}

        def tell(name: str, stage: str) -> None:
            task = tasks.get(name)
            if task is None:
                return
            if stage != "fit":
                bar.advance(task)
            bar.update(task, description=f"{name}: {labels.get(stage, 'done')}")

        result = run(catalog, split, names, n=n, jobs=jobs, seed=seed, progress=tell)
    doc = result.to_dict()
    if json_file is not None:
        text = json.dumps(doc, indent=2, allow_nan=False) + "\n"
        if str(json_file) == "-":
            typer.echo(text, nl=False)
        else:
            json_file.parent.mkdir(parents=True, exist_ok=True)
            json_file.write_text(text, encoding="utf-8")
    if report is not None:
        from segue.evaluate.report import write_report

        md, html = write_report(doc, report)
        if not state.quiet:
            err_console.print(f"report: {md} and {html}", highlight=False)
    if not state.quiet and str(json_file) != "-":
        _summary(doc)


def _summary(doc: dict[str, Any]) -> None:
    from rich.table import Table

    table = Table(title="all test playlists", title_justify="left")
    for column in ("model", "R-prec", "NDCG", "clicks", "recall@500", "fit s"):
        table.add_column(column, justify="left" if column == "model" else "right")
    for name, by_category in doc["models"].items():
        values = by_category["all"]
        table.add_row(
            name,
            f"{values['r_precision']:.4f}",
            f"{values['ndcg']:.4f}",
            f"{values['clicks']:.2f}",
            f"{values['recall@500']:.4f}",
            f"{doc['timing'][name]['fit_s']:.1f}",
        )
    out_console.print(table)
