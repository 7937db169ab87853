"""Statistics of a listening study: preference, its uncertainty, and sample sizes.

Pairwise "which list is better" answers are Bernoulli trials: under the null
hypothesis each source wins half of them. :func:`preference` gives the share won by
segue with Wilson and Clopper-Pearson intervals and a two-sided exact binomial test
(:func:`scipy.stats.binomtest`). :func:`judgements_needed` is the usual normal
approximation of the sample size of a two-sided one-sample test of a proportion
against 1/2: with alpha 0.05 and power 0.8 it asks about 194 judgements to detect a
60/40 preference and about 85 for 65/35.

Answers of one participant are not independent; :func:`preference` can also be run on
per-participant majorities (see :mod:`segue.serve.study.report`).
"""

from __future__ import annotations

import dataclasses
import math

from scipy import stats as sps

__all__ = ["Preference", "Rate", "judgements_needed", "preference", "rate"]


@dataclasses.dataclass(frozen=True)
class Preference:
    """How often segue's list was picked.

    Attributes
    ----------
    wins, n
        Judgements won by segue, and judgements in all.
    share
        ``wins / n`` (NaN when ``n`` is 0).
    wilson, clopper_pearson
        95% (or ``confidence``) intervals of the share.
    p_value
        Two-sided exact binomial test of share = 1/2.
    """

    wins: int
    n: int
    share: float
    wilson: tuple[float, float]
    clopper_pearson: tuple[float, float]
    p_value: float
    confidence: float


@dataclasses.dataclass(frozen=True)
class Rate:
    """A proportion with its Wilson interval (``likes`` of ``n`` ratings)."""

    hits: int
    n: int
    share: float
    wilson: tuple[float, float]


def _wilson(hits: int, n: int, confidence: float) -> tuple[float, float]:
    if n == 0:
        return (math.nan, math.nan)
    z = float(sps.norm.ppf(0.5 + confidence / 2))
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def preference(wins: int, n: int, *, confidence: float = 0.95) -> Preference:
    """Summarise ``wins`` of ``n`` pairwise judgements for segue.

    Raises
    ------
    ValueError
        ``wins`` is negative or above ``n``.
    """
    if not 0 <= wins <= n:
        raise ValueError(f"wins must be in 0..n, got {wins} of {n}")
    if n == 0:
        nan = (math.nan, math.nan)
        return Preference(0, 0, math.nan, nan, nan, math.nan, confidence)
    test = sps.binomtest(wins, n, 0.5, alternative="two-sided")
    exact = test.proportion_ci(confidence_level=confidence, method="exact")
    return Preference(
        wins=wins,
        n=n,
        share=wins / n,
        wilson=_wilson(wins, n, confidence),
        clopper_pearson=(float(exact.low), float(exact.high)),
        p_value=float(test.pvalue),
        confidence=confidence,
    )


def rate(hits: int, n: int, *, confidence: float = 0.95) -> Rate:
    """A proportion, e.g. the like rate of one source, with its Wilson interval."""
    share = hits / n if n else math.nan
    return Rate(hits, n, share, _wilson(hits, n, confidence))


def judgements_needed(
    share: float, *, alpha: float = 0.05, power: float = 0.8
) -> int | None:
    """Judgements a two-sided binomial test needs to detect ``share`` against 1/2.

    Uses the normal approximation
    ``n = ((z_{1-alpha/2} sqrt(p0 q0) + z_{power} sqrt(p1 q1)) / (p1 - p0))^2``.
    Returns None when ``share`` is 1/2 (no effect to detect) or not in (0, 1).
    """
    if not 0.0 < share < 1.0 or abs(share - 0.5) < 1e-12:
        return None
    z_a = float(sps.norm.ppf(1 - alpha / 2))
    z_b = float(sps.norm.ppf(power))
    top = z_a * math.sqrt(0.25) + z_b * math.sqrt(share * (1 - share))
    return math.ceil((top / (share - 0.5)) ** 2)
