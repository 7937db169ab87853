"""The study's statistics: intervals, the binomial test and sample sizes."""

from __future__ import annotations

import math

import pytest
from scipy import stats as sps

from segue.serve.study import judgements_needed, preference, rate


@pytest.mark.parametrize(
    ("share", "expected"),
    [(0.6, 194), (0.65, 85), (0.4, 194), (0.7, 47), (0.55, 783)],
)
def test_judgements_needed_matches_the_normal_approximation(
    share: float, expected: int
) -> None:
    assert judgements_needed(share) == expected


def test_judgements_needed_grows_with_power_and_shrinks_with_alpha() -> None:
    base = judgements_needed(0.6)
    assert base is not None
    stronger = judgements_needed(0.6, power=0.9)
    looser = judgements_needed(0.6, alpha=0.1)
    assert stronger is not None
    assert looser is not None
    assert stronger > base > looser


@pytest.mark.parametrize("share", [0.5, 0.0, 1.0, -0.2])
def test_judgements_needed_without_an_effect(share: float) -> None:
    assert judgements_needed(share) is None


@pytest.mark.parametrize(("wins", "n"), [(30, 40), (5, 5), (0, 12), (51, 100)])
def test_preference_agrees_with_scipy(wins: int, n: int) -> None:
    pref = preference(wins, n)
    test = sps.binomtest(wins, n)
    wilson = test.proportion_ci(method="wilson")
    assert pref.share == wins / n
    assert pref.p_value == pytest.approx(test.pvalue)
    assert pref.wilson == pytest.approx((wilson.low, wilson.high), abs=1e-9)
    low, high = pref.clopper_pearson
    assert low <= pref.share <= high
    assert low <= pref.wilson[0] + 0.05


def test_preference_known_values() -> None:
    # 0 of 10: Clopper-Pearson upper bound is 1 - 0.025 ** (1 / 10)
    assert preference(0, 10).clopper_pearson[1] == pytest.approx(
        1 - 0.025**0.1, abs=1e-9
    )
    # two-sided exact test of 30 of 40: 2 * P(X >= 30), X ~ Bin(40, 1/2)
    tail = sum(math.comb(40, k) for k in range(30, 41)) / 2**40
    assert preference(30, 40).p_value == pytest.approx(2 * tail)
    assert preference(20, 40).p_value == pytest.approx(1.0)


def test_preference_of_nothing_and_bad_input() -> None:
    empty = preference(0, 0)
    assert empty.n == 0
    assert math.isnan(empty.share)
    with pytest.raises(ValueError, match=r"wins must be in 0\.\.n"):
        preference(5, 4)


def test_rate() -> None:
    r = rate(7, 10)
    assert r.share == 0.7
    assert r.wilson[0] < 0.7 < r.wilson[1]
    assert math.isnan(rate(0, 0).share)
