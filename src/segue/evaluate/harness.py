"""Run models on one split and score them: the heart of ``segue evaluate``.

Every model is fitted with :attr:`Split.replace_items
<segue.evaluate.splits.Split.replace_items>` (test playlists reduced to their seeds),
asked for ``n`` tracks per test playlist, and scored by
:func:`~segue.evaluate.metrics.ranking_metrics`,
:func:`~segue.evaluate.beyond.beyond_metrics` and
:func:`~segue.evaluate.beyond.coverage`. Models run one after another, or ``jobs`` at a
time in threads (implicit and NumPy release the GIL in their heavy loops); with
``jobs > 1`` each model gets one thread of its own and its own connection to the
catalog file: :meth:`Catalog.interactions` registers temporary views under fixed
names, which threads sharing one connection would trample. An in-memory catalog has
only one connection, so its models then run one by one.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from segue.catalog import Catalog
from segue.evaluate.beyond import TrackInfo, beyond_metrics, coverage
from segue.evaluate.metrics import mean_metrics, ranking_metrics
from segue.evaluate.registry import ModelSettings, expand, make
from segue.evaluate.splits import Split
from segue.recommend.base import Model

__all__ = ["Evaluation", "ModelRun", "evaluate", "score"]

log = logging.getLogger("segue")

Progress = Callable[[str, str], None]
"""Called with a model name and a stage: ``fit``, ``recommend``, ``score``, ``done``."""


@dataclass(slots=True)
class ModelRun:
    """One model's lists, numbers and times.

    Attributes
    ----------
    name
        The model's label.
    lists
        One recommendation list per test case, in the split's order.
    metrics
        Category (and ``all``) to metric key to mean value.
    per_list
        Metric key to shape ``(n_cases,)`` values, for plots.
    fit_s, recommend_s
        Wall seconds of training and of answering every query.
    fixed
        Lists that broke the contract (repeats, seeds) and were repaired.
    """

    name: str
    lists: list[list[str]]
    metrics: dict[str, dict[str, float]] = field(default_factory=dict)
    per_list: dict[str, npt.NDArray[np.float64]] = field(default_factory=dict)
    fit_s: float = 0.0
    recommend_s: float = 0.0
    fixed: int = 0


@dataclass(slots=True)
class Evaluation:
    """Everything one run measured."""

    split: Split
    runs: dict[str, ModelRun]
    n: int
    catalogue_size: int
    training_playlists: int

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``segue evaluate --json`` (NaN becomes null)."""
        return {
            "models": {
                name: {
                    cat: {k: _finite(v) for k, v in values.items()}
                    for cat, values in run.metrics.items()
                }
                for name, run in self.runs.items()
            },
            "split": {
                **self.split.describe(),
                "n": self.n,
                "catalogue_tracks": self.catalogue_size,
                "training_playlists": self.training_playlists,
            },
            "timing": {
                name: {
                    "fit_s": round(run.fit_s, 3),
                    "recommend_s": round(run.recommend_s, 3),
                    "repaired_lists": run.fixed,
                }
                for name, run in self.runs.items()
            },
        }


def _finite(value: float) -> float | None:
    return None if math.isnan(value) else value


def evaluate(
    catalog: Catalog,
    split: Split,
    models: Sequence[str | Model],
    *,
    n: int = 500,
    jobs: int = 1,
    seed: int = 0,
    progress: Progress | None = None,
) -> Evaluation:
    """Fit, query and score every model on one split.

    Parameters
    ----------
    catalog
        The catalog the split was drawn from.
    split
        The test playlists.
    models
        Registry names or groups (see :mod:`segue.evaluate.registry`) or models.
    n
        Tracks asked per test playlist.
    jobs
        Models run at once, each in its own thread.
    seed
        Seed given to models that train with randomness.
    progress
        Told when each model reaches each stage.

    Returns
    -------
    Evaluation
    """
    threads = 0 if jobs <= 1 else 1
    settings = ModelSettings(threads=threads, seed=seed)
    instances: list[Model] = []
    names: set[str] = set()
    for m in models:
        if not isinstance(m, str):
            instances.append(m)
            continue
        # a name may be a group (``peers``, ``default``) standing for several
        fresh = [n for n in expand([m]) if n not in names]
        names.update(fresh)
        instances += make(fresh, settings)
    tell = progress or (lambda _name, _stage: None)

    # the training view every model gets, for popularity and coverage
    training = catalog.interactions(replace_items=split.replace_items)
    info = TrackInfo.from_catalog(catalog, training)

    def one(model: Model, own: bool = False) -> ModelRun:
        if own:
            with Catalog(catalog.path, read_only=catalog.read_only) as mine:
                run = _run(mine, split, model, n, tell)
        else:
            run = _run(catalog, split, model, n, tell)
        tell(model.name, "score")
        score(run, split, info, n)
        tell(model.name, "done")
        return run

    if jobs > 1 and catalog.path == ":memory:":
        log.warning("an in-memory catalog serves one model at a time; --jobs ignored")
        jobs = 1
    if jobs <= 1:
        runs = [one(m) for m in instances]
    else:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            runs = list(pool.map(lambda m: one(m, own=True), instances))
    return Evaluation(
        split=split,
        runs={r.name: r for r in runs},
        n=n,
        catalogue_size=info.catalogue_size,
        training_playlists=int(training.matrix.shape[0]),
    )


def _run(
    catalog: Catalog, split: Split, model: Model, n: int, tell: Progress
) -> ModelRun:
    tell(model.name, "fit")
    started = time.perf_counter()
    model.fit(catalog, replace_items=split.replace_items)
    fitted = time.perf_counter()
    log.info("%s: fitted in %.1fs", model.name, fitted - started)

    tell(model.name, "recommend")
    lists = model.recommend_batch([c.query for c in split.cases], n)
    done = time.perf_counter()
    log.info("%s: %d lists in %.1fs", model.name, len(split.cases), done - fitted)
    repaired, fixed = _repair(lists, split, n)
    if fixed:
        log.warning(
            "%s: %d lists held repeats, seeds or too many tracks; repaired",
            model.name,
            fixed,
        )
    return ModelRun(
        name=model.name,
        lists=repaired,
        fit_s=fitted - started,
        recommend_s=done - fitted,
        fixed=fixed,
    )


def _repair(
    lists: Sequence[Sequence[str]], split: Split, n: int
) -> tuple[list[list[str]], int]:
    if len(lists) != len(split.cases):
        raise ValueError(
            f"a model returned {len(lists)} lists for {len(split.cases)} queries"
        )
    out: list[list[str]] = []
    fixed = 0
    for recs, case in zip(lists, split.cases, strict=True):
        banned = set(case.query.seeds) | case.query.exclude
        clean = [t for t in dict.fromkeys(recs) if t not in banned][:n]
        fixed += len(clean) != len(recs)
        out.append(clean)
    return out, fixed


def score(run: ModelRun, split: Split, info: TrackInfo, n: int) -> None:
    """Fill in ``run.metrics`` and ``run.per_list`` from ``run.lists``."""
    groups = split.by_category()
    ranking = ranking_metrics(
        run.lists, [c.held_out for c in split.cases], artist_of=info.artist_of, k=n
    )
    beyond = beyond_metrics(run.lists, [c.query.seeds for c in split.cases], info)
    run.per_list = {**ranking, **beyond}
    means = mean_metrics(run.per_list, groups)
    covered = coverage(run.lists, groups, info)
    sizes = {name: len(index) for name, index in groups.items()}
    sizes["all"] = len(split.cases)
    run.metrics = {
        cat: {**means[cat], **covered[cat], "playlists": float(sizes[cat])}
        for cat in means
    }
