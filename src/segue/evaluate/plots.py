"""Figures of an evaluation, drawn with matplotlib's Agg canvas into PNG files.

Every function takes the JSON document of :meth:`Evaluation.to_dict
<segue.evaluate.harness.Evaluation.to_dict>`, so a report can be drawn again from a
saved ``--json`` file. No global pyplot state is touched.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from segue.evaluate.metrics import RECALL_AT

__all__ = ["PLOTS", "draw_all"]

Doc = dict[str, Any]


def _figure(width: float, height: float) -> Figure:
    figure = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _value(doc: Doc, model: str, category: str, key: str) -> float:
    value = doc["models"][model].get(category, {}).get(key)
    return float("nan") if value is None else float(value)


def _grouped_bars(
    axes: Any, doc: Doc, groups: Sequence[str], key: str, title: str
) -> None:
    models = list(doc["models"])
    width = 0.8 / max(len(models), 1)
    x = np.arange(len(groups))
    for i, model in enumerate(models):
        values = [_value(doc, model, g, key) for g in groups]
        axes.bar(x + i * width, values, width, label=model)
    axes.set_xticks(x + width * (len(models) - 1) / 2, groups, rotation=30, ha="right")
    axes.set_title(title)
    axes.grid(axis="y", alpha=0.3)


def metrics_by_category(doc: Doc, path: Path) -> None:
    """R-precision, NDCG and clicks per category, one bar per model."""
    categories = [*doc["split"]["categories"], "all"]
    figure = _figure(12, 4.5)
    panels = figure.subplots(1, 3)
    for axes, key, title in zip(
        panels,
        ("r_precision", "ndcg", "clicks"),
        ("R-precision (track)", "NDCG (log2(i+1), ideal over |G|)", "clicks (lower)"),
        strict=True,
    ):
        _grouped_bars(axes, doc, categories, key, title)
    handles, labels = panels[0].get_legend_handles_labels()
    figure.legend(
        handles, labels, loc="outside lower center", ncols=4, fontsize="small"
    )
    figure.savefig(path)


def recall_curve(doc: Doc, path: Path) -> None:
    """Recall against list length over every test playlist, one line per model."""
    figure = _figure(6, 4)
    axes = figure.subplots()
    for model in doc["models"]:
        values = [_value(doc, model, "all", f"recall@{k}") for k in RECALL_AT]
        axes.plot(RECALL_AT, values, marker="o", label=model)
    axes.set_xscale("log")
    axes.set_xticks(RECALL_AT, [str(k) for k in RECALL_AT])
    axes.set_xlabel("list length")
    axes.set_ylabel("recall")
    axes.set_title("recall against list length (all categories)")
    axes.grid(alpha=0.3)
    axes.legend(fontsize="small")
    figure.savefig(path)


def popularity(doc: Doc, path: Path) -> None:
    """How popular the first 50 recommendations are, against the seeds."""
    models = list(doc["models"])
    figure = _figure(10, 4)
    left, right = figure.subplots(1, 2)
    arp = [_value(doc, m, "all", "arp@50") for m in models]
    left.bar(models, arp, color="tab:orange")
    seeds = _value(doc, models[0], "all", "seed_arp") if models else float("nan")
    if not np.isnan(seeds):
        left.axhline(seeds, color="black", linestyle="--", label="seeds")
        left.legend(fontsize="small")
    left.set_title("mean share of playlists holding a track (ARP@50)")
    left.tick_params(axis="x", rotation=30)
    novelty = [_value(doc, m, "all", "novelty@50") for m in models]
    right.bar(models, novelty, color="tab:green")
    right.set_title("novelty@50: mean -log2(popularity share), bits")
    right.tick_params(axis="x", rotation=30)
    figure.savefig(path)


def duplicates_and_artists(doc: Doc, path: Path) -> None:
    """Version duplicates and artist spread in the first 20 and 50 tracks."""
    models = list(doc["models"])
    figure = _figure(12, 4)
    panels = figure.subplots(1, 4)
    for axes, key, title in zip(
        panels,
        ("dup_seeds@50", "dup_within@50", "artist_max@20", "distinct_artists@50"),
        (
            "versions of a seed (share of 50)",
            "versions within the list (share of 50)",
            "most tracks by one artist in 20",
            "distinct artists in 50",
        ),
        strict=True,
    ):
        axes.bar(models, [_value(doc, m, "all", key) for m in models])
        axes.set_title(title, fontsize="medium")
        axes.tick_params(axis="x", rotation=45)
    figure.savefig(path)


PLOTS: dict[str, tuple[str, Callable[[Doc, Path], None]]] = {
    "metrics_by_category.png": ("Metrics by category", metrics_by_category),
    "recall_curve.png": ("Recall against list length", recall_curve),
    "popularity.png": ("Popularity of what is recommended", popularity),
    "duplicates_artists.png": ("Duplicates and artist spread", duplicates_and_artists),
}
"""File name to caption and drawing function."""


def draw_all(doc: Doc, directory: Path) -> list[tuple[str, Path]]:
    """Draw every figure into ``directory``; return captions and paths in order."""
    directory.mkdir(parents=True, exist_ok=True)
    drawn = []
    for name, (caption, draw) in PLOTS.items():
        path = directory / name
        draw(doc, path)
        drawn.append((caption, path))
    return drawn
