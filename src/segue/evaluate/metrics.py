"""Accuracy metrics of the RecSys Challenge 2018, every variant in one batched pass.

Notation: G is a playlist's set of held-out tracks, R the ranked recommendations,
``rel_i = 1`` when ``R_i`` is in G (``i`` 1-based) and ``|G|`` the number of held-out
tracks. Every metric is computed per playlist; :func:`mean_metrics` averages them.

Keys
----
``r_precision``
    ``|G ∩ R[:|G|]| / |G|``, track level (all three variants agree).
``r_precision_artist``
    Variant C (top teams): track hits in ``R[:|G|]`` plus 0.25 for each recommended
    track there that is no hit but whose main artist is among G's artists, each
    artist credited once; divided by ``|G|``.
``ndcg``
    The standard variant (vl6; issue 7): ``DCG = Σ_{i=1}^{|R|} rel_i / log2(i+1)``
    over ``IDCG = Σ_{i=1}^{|G|} 1 / log2(i+1)``.
``ndcg_organiser``
    Variant B (``plamere/RecsysChallengeTools``): the same DCG with the ideal list cut
    at ``min(k, |G|)`` where ``k`` is the requested list length.
``ndcg_rules``
    Variant A (the published rules): ``DCG = rel_1 + Σ_{i≥2} rel_i / log2(i)`` over
    the same sum taken over ``|G ∩ R|`` ones; 0 when nothing is found.
``clicks``
    Recommended-songs clicks: ``floor((first hit rank - 1) / 10)``, 51 with no hit.
``recall@K``
    ``|G ∩ R[:K]| / |G|`` for K in :data:`RECALL_AT` (a list shorter than K counts
    what it holds).

Lists are cut at ``k`` (the requested length, 500 in the challenge) before anything
is counted, as the organisers' code does.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

__all__ = [
    "ARTIST_CREDIT",
    "NO_CLICK",
    "RECALL_AT",
    "clicks",
    "mean_metrics",
    "ndcg",
    "r_precision",
    "ranking_metrics",
]

ARTIST_CREDIT = 0.25
"""Credit for a track by one of the held-out tracks' artists (variant C)."""

NO_CLICK = 51
"""Clicks reported when no held-out track is recommended at all."""

RECALL_AT: tuple[int, ...] = (10, 20, 50, 100, 200, 500)
"""List lengths at which recall is reported."""

Floats = npt.NDArray[np.float64]


def ranking_metrics(
    recommended: Sequence[Sequence[str]],
    relevant: Sequence[Collection[str]],
    *,
    artist_of: Callable[[str], str | None] | None = None,
    k: int = 500,
    recall_at: Iterable[int] = RECALL_AT,
) -> dict[str, Floats]:
    """Compute every ranking metric for many playlists at once.

    Parameters
    ----------
    recommended
        ``n`` ranked lists of distinct track ids; only the first ``k`` count.
    relevant
        ``n`` non-empty collections of held-out track ids.
    artist_of
        Maps a track id to its main artist id (None when unknown); without it
        ``r_precision_artist`` is left out.
    k
        The requested list length (the ideal list of ``ndcg_organiser`` is cut here).
    recall_at
        List lengths for the ``recall@K`` keys.

    Returns
    -------
    dict of str to numpy.ndarray
        Each key (see the module docstring) maps to shape ``(n,)`` float64 values.

    Raises
    ------
    ValueError
        The two sequences differ in length, or a held-out set is empty.
    """
    if len(recommended) != len(relevant):
        raise ValueError(
            f"{len(recommended)} recommendation lists for {len(relevant)} playlists"
        )
    n = len(recommended)
    truth = [g if isinstance(g, set | frozenset) else set(g) for g in relevant]
    g = np.fromiter((len(s) for s in truth), dtype=np.float64, count=n)
    if n and g.min() == 0:
        raise ValueError("every playlist needs at least one held-out track")

    # hit matrix, shape (n, width), rows padded with misses
    lists = [list(r[:k]) for r in recommended]
    width = max((len(r) for r in lists), default=0)
    hits = np.zeros((n, max(width, 1)), dtype=bool)
    for row, (recs, gold) in enumerate(zip(lists, truth, strict=True)):
        hits[row, : len(recs)] = [t in gold for t in recs]
    pos = np.arange(hits.shape[1])
    found = hits.sum(axis=1).astype(np.float64)
    out: dict[str, Floats] = {}

    # r-precision: hits among the first |G|
    in_top_g = pos[None, :] < g[:, None]
    out["r_precision"] = (hits & in_top_g).sum(axis=1) / g

    # standard ndcg: log2(i+1) discount, ideal over |G|
    longest = int(max(g.max(initial=0), hits.shape[1]))
    discount = 1.0 / np.log2(np.arange(2, longest + 2))
    ideal = np.concatenate([[0.0], np.cumsum(discount)])
    dcg = hits @ discount[: hits.shape[1]]
    out["ndcg"] = dcg / ideal[g.astype(np.int64)]
    out["ndcg_organiser"] = dcg / ideal[np.minimum(g, k).astype(np.int64)]

    # rules' ndcg: rel_1 + rel_i/log2(i), ideal over |G ∩ R|
    rules_discount = np.ones(hits.shape[1])
    rules_discount[1:] = 1.0 / np.log2(np.arange(2, hits.shape[1] + 1))
    rules_ideal = np.concatenate([[0.0], np.cumsum(rules_discount)])
    rules_dcg = hits @ rules_discount
    denominator = rules_ideal[found.astype(np.int64)]
    out["ndcg_rules"] = np.divide(
        rules_dcg, denominator, out=np.zeros(n), where=denominator > 0
    )

    # clicks: pages of ten before the first hit
    first = np.argmax(hits, axis=1)
    out["clicks"] = np.where(found > 0, first // 10, NO_CLICK).astype(np.float64)

    # recall at several list lengths
    cumulative = np.cumsum(hits, axis=1)
    for at in recall_at:
        column = min(at, hits.shape[1]) - 1
        out[f"recall@{at}"] = cumulative[:, column] / g

    # r-precision with artist credit (variant C)
    if artist_of is not None:
        out["r_precision_artist"] = np.array(
            [
                _r_precision_artist(recs, gold, artist_of)
                for recs, gold in zip(lists, truth, strict=True)
            ],
            dtype=np.float64,
        )
    return out


def _r_precision_artist(
    recs: Sequence[str],
    gold: Collection[str],
    artist_of: Callable[[str], str | None],
) -> float:
    artists = {artist_of(t) for t in gold} - {None}
    credited: set[str] = set()
    score = 0.0
    for track in recs[: len(gold)]:
        if track in gold:
            score += 1.0
            continue
        artist = artist_of(track)
        if artist is not None and artist in artists and artist not in credited:
            credited.add(artist)
            score += ARTIST_CREDIT
    return score / len(gold)


def mean_metrics(
    values: Mapping[str, Floats], groups: Mapping[str, Sequence[int]]
) -> dict[str, dict[str, float]]:
    """Average per-playlist values within groups, and over all playlists.

    Parameters
    ----------
    values
        Metric key to shape ``(n,)`` values; NaN marks "not defined" and is skipped.
    groups
        Group name (a category) to indices into the arrays.

    Returns
    -------
    dict
        Group name to metric key to mean; the group ``all`` covers every index.
        A mean over no defined value is NaN.
    """
    n = len(next(iter(values.values()))) if values else 0
    everyone = {"all": list(range(n))}
    result: dict[str, dict[str, float]] = {}
    for name, index in {**groups, **everyone}.items():
        picked = np.asarray(index, dtype=np.int64)
        result[name] = {key: _nanmean(v[picked]) for key, v in values.items()}
    return result


def _nanmean(values: Floats) -> float:
    defined = values[~np.isnan(values)]
    return float(defined.mean()) if len(defined) else float("nan")


def r_precision(recommended: Sequence[str], relevant: Collection[str]) -> float:
    """Track-level R-precision of one list; see :func:`ranking_metrics`."""
    return float(ranking_metrics([recommended], [relevant])["r_precision"][0])


def ndcg(recommended: Sequence[str], relevant: Collection[str]) -> float:
    """Standard NDCG of one list (ideal over ``|G|``); see :func:`ranking_metrics`."""
    return float(ranking_metrics([recommended], [relevant])["ndcg"][0])


def clicks(recommended: Sequence[str], relevant: Collection[str]) -> float:
    """Recommended-songs clicks of one list; see :func:`ranking_metrics`."""
    return float(ranking_metrics([recommended], [relevant])["clicks"][0])
