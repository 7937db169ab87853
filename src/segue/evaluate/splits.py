"""Test splits in the style of the RecSys Challenge 2018.

A split picks test playlists, and for each one a *category* decides what a model is
shown (the seeds, and whether the title) and what it must find (the held-out tracks).

Categories
----------
=================== ============================= ========
name                shown                         order
=================== ============================= ========
``title``           the title only                --
``first1``          title and the first track     playlist
``first5``          title and the first 5 tracks  playlist
``first10``         title and the first 10        playlist
``first25``         title and the first 25        playlist
``first100``        title and the first 100       playlist
``first5-notitle``  the first 5 tracks, no title  playlist
``first10-notitle`` the first 10 tracks, no title playlist
``random25``        title and 25 random tracks    shuffled
``random100``       title and 100 random tracks   shuffled
=================== ============================= ========

Rules
-----
- A playlist's tracks are its distinct tracks in playlist order (a repeat is dropped
  at its later position). The seeds are the first N of them, or N drawn at random and
  shuffled; the held-out tracks are all the others, in playlist order.
- Eligibility: a playlist may serve a category with N seeds when it keeps at least
  ``max(10, ceil(N / 2))`` held-out tracks, so ``title`` needs 10 distinct tracks,
  ``first5`` 15, ``first25`` 38 and ``first100`` 150. As in the challenge set, the
  long-seed categories come from long playlists and every test playlist leaves
  enough to find. Categories that show a title need a non-empty title.
- ``test`` playlists are spread evenly over the categories (the first categories
  in the given order take the remainder). Categories are filled from the most seeds
  to the fewest, each taking the next eligible playlists of one seeded shuffle, so a
  playlist serves one category at most. A category short of eligible playlists takes
  what there is and a warning is logged.
- Only playlists of ``from_source`` (every source when None) may be test playlists;
  models still train on every other playlist of the catalog.
- The same catalog, arguments and seed give the same split.

Models train on everything except the held-out tracks: :attr:`Split.replace_items`
maps each test playlist to its seeds (an empty tuple for ``title``), which
:meth:`Model.fit <segue.recommend.base.Model.fit>` passes on to
:meth:`Catalog.interactions <segue.catalog.Catalog.interactions>`.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from segue.catalog import Catalog
from segue.catalog.evalsql import PlaylistSequences, playlist_sequences
from segue.evaluate.errors import SplitError
from segue.recommend.base import Query

__all__ = [
    "CATEGORIES",
    "DEFAULT_CATEGORIES",
    "Category",
    "Split",
    "TestCase",
    "make_split",
    "min_held_out",
    "split_sequences",
]

log = logging.getLogger("segue")


@dataclass(frozen=True, slots=True)
class Category:
    """What a test playlist shows: ``seeds`` tracks, first or random, and a title."""

    name: str
    seeds: int
    title: bool = True
    random: bool = False


CATEGORIES: dict[str, Category] = {
    c.name: c
    for c in (
        Category("title", 0),
        Category("first1", 1),
        Category("first5", 5),
        Category("first10", 10),
        Category("first25", 25),
        Category("first100", 100),
        Category("first5-notitle", 5, title=False),
        Category("first10-notitle", 10, title=False),
        Category("random25", 25, random=True),
        Category("random100", 100, random=True),
    )
}
"""Every category by name, in the order of the challenge's table."""

DEFAULT_CATEGORIES: tuple[str, ...] = tuple(CATEGORIES)


@dataclass(frozen=True, slots=True)
class TestCase:
    """One test playlist.

    Attributes
    ----------
    playlist_id
        The catalog id of the playlist.
    category
        The category name.
    query
        What models are asked: seeds, and the title when the category shows it.
    held_out
        The tracks to find, distinct, in playlist order; never empty.
    """

    __test__ = False  # not a pytest class

    playlist_id: str
    category: str
    query: Query
    held_out: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Split:
    """Test playlists, and how they were drawn.

    Attributes
    ----------
    cases
        The test playlists, grouped by category in the order of ``categories``.
    categories
        The category names asked for.
    seed
        The seed of the draw.
    from_source
        The source label test playlists came from, None for any.
    eligible
        Category name to the number of playlists that could have served it.
    """

    cases: list[TestCase]
    categories: tuple[str, ...]
    seed: int
    from_source: str | None
    eligible: dict[str, int] = field(default_factory=dict)

    @property
    def replace_items(self) -> dict[str, tuple[str, ...]]:
        """Test playlist id to its seeds: the only tracks of it training may see."""
        return {c.playlist_id: c.query.seeds for c in self.cases}

    def by_category(self) -> dict[str, list[int]]:
        """Category name to the indices of its cases in :attr:`cases`."""
        groups: dict[str, list[int]] = {name: [] for name in self.categories}
        for i, case in enumerate(self.cases):
            groups[case.category].append(i)
        return groups

    def describe(self) -> dict[str, Any]:
        """A JSON-ready summary: seed, source, sizes per category, eligibility."""
        return {
            "seed": self.seed,
            "from_source": self.from_source,
            "test": len(self.cases),
            "categories": {k: len(v) for k, v in self.by_category().items()},
            "eligible": dict(self.eligible),
            "min_tracks": {
                n: CATEGORIES[n].seeds + min_held_out(CATEGORIES[n].seeds)
                for n in self.categories
            },
            "held_out_mean": (
                float(np.mean([len(c.held_out) for c in self.cases]))
                if self.cases
                else 0.0
            ),
        }


def min_held_out(seeds: int) -> int:
    """The fewest held-out tracks a playlist must keep to serve ``seeds`` seeds."""
    return max(10, math.ceil(seeds / 2))


def make_split(
    catalog: Catalog,
    *,
    test: int = 1000,
    categories: Sequence[str] = DEFAULT_CATEGORIES,
    seed: int = 0,
    from_source: str | None = None,
) -> Split:
    """Draw a test split from the playlists of a catalog.

    Parameters
    ----------
    catalog
        Where the playlists come from.
    test
        How many test playlists, spread evenly over ``categories``.
    categories
        Category names (see :data:`CATEGORIES`).
    seed
        Seed of the draw.
    from_source
        Only playlists imported under this label may be test playlists.

    Returns
    -------
    Split

    Raises
    ------
    SplitError
        An unknown category or source, ``test`` below 1, or no eligible playlist.
    """
    if from_source is not None and from_source not in catalog.sources():
        known = ", ".join(catalog.sources()) or "none"
        raise SplitError(f"no source {from_source!r} in the catalog (known: {known})")
    sequences = playlist_sequences(catalog, from_source)
    return split_sequences(
        sequences, test=test, categories=categories, seed=seed, from_source=from_source
    )


def split_sequences(
    sequences: PlaylistSequences,
    *,
    test: int,
    categories: Sequence[str],
    seed: int,
    from_source: str | None = None,
) -> Split:
    """Draw a split from playlists already read; see :func:`make_split`."""
    names = _check(test, categories)
    quotas = _quotas(test, names)
    rng = np.random.default_rng(seed)

    # distinct tracks and a shuffled order of candidates
    tracks = [tuple(dict.fromkeys(t)) for t in sequences.tracks]
    order = rng.permutation(len(tracks))
    used = np.zeros(len(tracks), dtype=bool)

    # fill categories from the most seeds to the fewest
    picked: dict[str, list[TestCase]] = {}
    eligible: dict[str, int] = {}
    for name in sorted(names, key=lambda n: -CATEGORIES[n].seeds):
        category = CATEGORIES[name]
        ok = _eligible(sequences, tracks, category)
        eligible[name] = int(ok.sum())
        chosen = [int(i) for i in order if ok[i] and not used[i]][: quotas[name]]
        used[chosen] = True
        if len(chosen) < quotas[name]:
            log.warning(
                "category %s: only %d of %d test playlists are eligible",
                name,
                len(chosen),
                quotas[name],
            )
        picked[name] = [
            _case(sequences, tracks, i, category, rng) for i in sorted(chosen)
        ]
    cases = [case for name in names for case in picked[name]]
    if not cases:
        raise SplitError(
            "no playlist is long enough for the categories asked "
            f"({', '.join(names)}); import more playlists"
        )
    return Split(
        cases=cases,
        categories=names,
        seed=seed,
        from_source=from_source,
        eligible={n: eligible[n] for n in names},
    )


def _check(test: int, categories: Sequence[str]) -> tuple[str, ...]:
    if test < 1:
        raise SplitError(f"--test must be at least 1, not {test}")
    names = tuple(dict.fromkeys(categories))
    if not names:
        raise SplitError("no category given")
    unknown = [n for n in names if n not in CATEGORIES]
    if unknown:
        raise SplitError(
            f"unknown categor{'y' if len(unknown) == 1 else 'ies'} "
            f"{', '.join(unknown)}; known: {', '.join(CATEGORIES)}"
        )
    return names


def _quotas(test: int, names: Sequence[str]) -> Mapping[str, int]:
    base, extra = divmod(test, len(names))
    return {n: base + (1 if i < extra else 0) for i, n in enumerate(names)}


def _eligible(
    sequences: PlaylistSequences,
    tracks: Sequence[tuple[str, ...]],
    category: Category,
) -> np.ndarray[Any, np.dtype[np.bool_]]:
    need = category.seeds + min_held_out(category.seeds)
    lengths = np.fromiter((len(t) for t in tracks), dtype=np.int64, count=len(tracks))
    ok = lengths >= need
    if category.title:
        titled = np.fromiter(
            (bool(t and str(t).strip()) for t in sequences.titles),
            dtype=bool,
            count=len(tracks),
        )
        ok &= titled
    return ok


def _case(
    sequences: PlaylistSequences,
    tracks: Sequence[tuple[str, ...]],
    i: int,
    category: Category,
    rng: np.random.Generator,
) -> TestCase:
    items = tracks[i]
    n = category.seeds

    # seeds: the first n, or n at random in shuffled order
    if category.random:
        positions = rng.choice(len(items), size=n, replace=False)
    else:
        positions = np.arange(n)
    seeds = tuple(items[int(p)] for p in positions)
    chosen = set(positions.tolist())
    held_out = tuple(t for k, t in enumerate(items) if k not in chosen)

    title = sequences.titles[i] if category.title else None
    return TestCase(
        playlist_id=str(sequences.ids[i]),
        category=category.name,
        query=Query(seeds=seeds, title=title),
        held_out=held_out,
    )
