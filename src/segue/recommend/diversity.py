"""Filters on a ranked list: versions once, a cap per artist, optional MMR.

All functions take candidate column indices best first and return a new order.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

__all__ = ["artist_cap", "dedupe_versions", "mmr"]

IntArray = npt.NDArray[np.int64]


def dedupe_versions(
    ranked: Iterable[int], keys: IntArray, taken: Iterable[int] = ()
) -> list[int]:
    """Keep the first track of each song.

    Parameters
    ----------
    ranked
        Column indices, best first.
    keys
        Shape ``(n_tracks,)``: version key of each column
        (:func:`segue.recommend.versions.version_keys`).
    taken
        Columns already in the playlist (the seeds): their songs are not repeated.
    """
    seen = {int(keys[t]) for t in taken}
    out = []
    for t in ranked:
        k = int(keys[t])
        if k not in seen:
            seen.add(k)
            out.append(int(t))
    return out


def artist_cap(
    ranked: list[int], artists: IntArray, max_per_artist: int, window: int
) -> list[int]:
    """At most ``max_per_artist`` tracks per artist among the first ``window``.

    Tracks over the cap are not dropped but moved after the window, in their order.
    Tracks of unknown artist (code -1) are never capped.
    """
    head: list[int] = []
    deferred: list[int] = []
    counts: dict[int, int] = {}
    i = 0
    for i, t in enumerate(ranked):  # noqa: B007 - i is used after the loop
        if len(head) >= window:
            break
        a = int(artists[t])
        if a >= 0 and counts.get(a, 0) >= max_per_artist:
            deferred.append(t)
            continue
        counts[a] = counts.get(a, 0) + 1
        head.append(t)
    else:
        i = len(ranked)
    return head + deferred + ranked[i:]


def mmr(
    ranked: list[int],
    relevance: npt.NDArray[np.float64],
    vectors: npt.NDArray[np.float32],
    artists: IntArray,
    weight: float,
    length: int,
) -> list[int]:
    """Maximal marginal relevance over the first ``length`` places.

    Each next track maximises ``(1 - weight) * relevance - weight * similarity`` to
    the tracks already chosen, where similarity is 1 for the same artist and the
    cosine of the tracks' vectors otherwise (Carbonell & Goldstein 1998).

    Parameters
    ----------
    ranked
        Column indices, best first, shape ``(m,)``.
    relevance
        Shape ``(m,)``: scores aligned with ``ranked``, scaled to [0, 1] here.
    vectors
        Shape ``(n_tracks, d)``: e.g. ALS item factors.
    artists
        Shape ``(n_tracks,)``: artist codes.
    weight
        0 keeps the order; 1 only avoids similarity.
    length
        Places chosen by MMR; the rest keep their order.
    """
    if weight <= 0 or len(ranked) < 2:
        return ranked
    m = min(len(ranked), max(length * 3, length + 50))
    pool = np.asarray(ranked[:m], dtype=np.int64)
    rel = np.asarray(relevance[:m], dtype=np.float64)
    span = rel.max() - rel.min()
    rel = (rel - rel.min()) / span if span > 0 else np.ones_like(rel)
    v = vectors[pool].astype(np.float64)
    v /= np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
    art = artists[pool]
    best_sim = np.zeros(m)
    free = np.ones(m, dtype=bool)
    chosen: list[int] = []
    for _ in range(min(length, m)):
        value = (1 - weight) * rel - weight * best_sim
        value[~free] = -np.inf
        j = int(np.argmax(value))
        chosen.append(j)
        free[j] = False
        sim = v @ v[j]
        sim[(art == art[j]) & (art >= 0)] = 1.0
        np.maximum(best_sim, sim, out=best_sim)
    rest = [int(pool[j]) for j in range(m) if free[j]]
    return [int(pool[j]) for j in chosen] + rest + ranked[m:]
