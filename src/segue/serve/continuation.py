"""Continuing a playlist with the service's filters: remixes, artist cap, diversity.

Shared by ``POST /v1/continuations``, the web page and the listening study.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence

from segue.serve.engine import Engine, Suggestion

__all__ = ["Filters", "continue_playlist"]


@dataclasses.dataclass(frozen=True)
class Filters:
    """What the caller asks of the continuation besides its length.

    Attributes
    ----------
    allow_remixes
        Allow remixes and other versions of songs already present.
    max_per_artist
        At most this many tracks of one artist; no cap when None.
    diversity
        From 0 (the model's order) to 1 (round-robin over artists): each track of
        an artist already picked moves the artist's next track down by this share
        of the candidate pool.
    """

    allow_remixes: bool = False
    max_per_artist: int | None = None
    diversity: float = 0.0


def continue_playlist(
    engine: Engine,
    seeds: Sequence[str],
    *,
    title: str | None,
    n: int,
    filters: Filters = Filters(),
) -> list[Suggestion]:
    """``n`` tracks that continue the playlist, best first, filters applied."""
    plain = filters.max_per_artist is None and filters.diversity == 0.0
    pool = engine.suggest(
        seeds,
        title=title,
        n=n if plain else max(3 * n, 100),
        allow_remixes=filters.allow_remixes,
    )
    if plain:
        return pool[:n]
    artist_of = {
        s.track_id: engine.table.artist_id[engine.row[s.track_id]]
        if s.track_id in engine.row
        else None
        for s in pool
    }
    picked: list[Suggestion] = []
    used: Counter[object] = Counter()
    remaining = list(enumerate(pool))
    while remaining and len(picked) < n:
        best_k, best_value = -1, float("-inf")
        for k, (rank, s) in enumerate(remaining):
            artist = artist_of[s.track_id]
            if (
                filters.max_per_artist is not None
                and artist is not None
                and used[artist] >= filters.max_per_artist
            ):
                continue
            value = -rank - filters.diversity * len(pool) * used[artist]
            if value > best_value:
                best_k, best_value = k, value
        if best_k < 0:
            break
        _, chosen = remaining.pop(best_k)
        picked.append(chosen)
        if artist_of[chosen.track_id] is not None:
            used[artist_of[chosen.track_id]] += 1
    return picked
