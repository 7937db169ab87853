"""The models ``segue evaluate`` can run, by name.

The registry imports :mod:`segue.recommend` lazily and lists the ablations its
recommender offers, so the harness needs no change when the recommender grows.

Names
-----
``segue``
    :class:`segue.recommend.recommender.Recommender` with its defaults.
``segue-no-GENERATOR``
    segue without one candidate generator (``segue-no-als``, ``segue-no-title``, ...,
    one per entry of ``segue.recommend.ranker.GENERATORS``, ``_`` written ``-``).
``segue-no-ranker``
    segue with reciprocal-rank fusion instead of the learned ranker.
``segue-no-ranker-no-GENERATOR``
    fusion without one generator: the generator ablations without the ranker's
    training time, for quick runs.
``popularity``, ``als``, ``als-tuned``, ``itemknn``, ``rp3beta``, ``ease``
    The peers (:mod:`segue.recommend.peers` and :mod:`segue.recommend.item_peers`);
    ``als-tuned`` is factors=128, regularization=0.05, alpha=40, iterations=15.

Groups: ``default`` (segue and the peers, what runs when no model is named),
``peers``, ``ablations`` and ``all``.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from segue.evaluate.errors import UnknownModel
from segue.recommend.base import Model

__all__ = [
    "ModelSettings",
    "available",
    "default_models",
    "expand",
    "make",
    "register",
]

log = logging.getLogger("segue")


@dataclass(frozen=True, slots=True)
class ModelSettings:
    """What the harness tells every model it builds.

    Attributes
    ----------
    threads
        Threads a model may use; 0 for every core.
    seed
        Seed for anything random in training.
    """

    threads: int = 0
    seed: int = 0


Factory = Callable[[ModelSettings], Model]

_EXTRA: dict[str, Factory] = {}


def _peers() -> dict[str, Factory]:
    from segue.recommend.item_peers import EASE, RP3Beta
    from segue.recommend.peers import ALS, ItemKNN, Popularity

    return {
        "popularity": lambda s: Popularity(),
        "als": lambda s: ALS("als", threads=s.threads, random_state=s.seed),
        "als-tuned": lambda s: ALS(
            "als-tuned",
            factors=128,
            regularization=0.05,
            alpha=40.0,
            iterations=15,
            threads=s.threads,
            random_state=s.seed,
        ),
        "itemknn": lambda s: ItemKNN("itemknn", neighbours=100, threads=s.threads),
        "rp3beta": lambda s: RP3Beta("rp3beta", threads=s.threads),
        "ease": lambda s: EASE("ease", threads=s.threads),
    }


def _segue() -> dict[str, Factory]:
    from segue.recommend.recommender import Recommender  # heavy: imported when asked

    accepted = set(inspect.signature(Recommender).parameters)

    def build(options: dict[str, Any], name: str) -> Factory:
        def factory(settings: ModelSettings) -> Model:
            extra = {k: v for k, v in _settings(settings).items() if k in accepted}
            model: Model = Recommender(**options, **extra)
            model.name = name
            return model

        return factory

    entries = {"segue": build({}, "segue")}
    for name, options in _ablations(accepted).items():
        entries[name] = build(options, name)
    return entries


def _ablations(accepted: set[str]) -> dict[str, dict[str, Any]]:
    """``segue-no-GENERATOR`` and ``segue-no-ranker``, as far as segue offers them."""
    from segue.recommend.ranker import GENERATORS

    found: dict[str, dict[str, Any]] = {}
    if "generators" in accepted:
        for left_out in GENERATORS:
            kept = tuple(g for g in GENERATORS if g != left_out)
            found[f"segue-no-{left_out.replace('_', '-')}"] = {"generators": kept}
    if "ranker" in accepted:
        found["segue-no-ranker"] = {"ranker": False}
        # cheap ablations: without the ranker's minutes of training
        for name, options in list(found.items()):
            if "generators" in options:
                found[f"segue-no-ranker-{name[6:]}"] = {**options, "ranker": False}
    return found


def _settings(settings: ModelSettings) -> dict[str, Any]:
    return {
        "threads": settings.threads,
        "num_threads": settings.threads,
        "seed": settings.seed,
        "random_state": settings.seed,
    }


def register(name: str, factory: Factory) -> None:
    """Make another model available under ``name`` (it replaces one of that name)."""
    _EXTRA[name] = factory


def available() -> dict[str, Factory]:
    """Every model name and the factory that builds it: segue, its ablations, peers."""
    return {**_segue(), **_peers(), **_EXTRA}


def default_models() -> list[str]:
    """The models run when none are named: segue and the peers."""
    return [n for n in available() if not n.startswith("segue-")]


def expand(names: Iterable[str]) -> list[str]:
    """Resolve the group names ``all``, ``default``, ``peers`` and ``ablations``."""
    table = available()
    groups = {
        "all": list(table),
        "default": default_models(),
        "peers": list(_peers()),
        "ablations": [n for n in table if n.startswith("segue-")],
    }
    out: list[str] = []
    for name in names:
        out += groups.get(name, [name])
    return list(dict.fromkeys(out))


def make(names: Iterable[str], settings: ModelSettings) -> list[Model]:
    """Build the models named, in order.

    Raises
    ------
    UnknownModel
        A name that no entry provides; the message lists the known ones.
    """
    table = available()
    wanted = expand(names)
    unknown = [n for n in wanted if n not in table]
    if unknown:
        raise UnknownModel(
            f"unknown model{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; "
            f"available: {', '.join(table)}"
        )
    return [table[n](settings) for n in wanted]
