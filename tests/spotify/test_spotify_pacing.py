"""Pacing maths and back-off, on made-up clocks."""

from __future__ import annotations

import random

import pytest

from segue.spotify import Pacer, RetryPolicy


def test_unknown_capacity_sends_at_once() -> None:
    pacer = Pacer()
    assert [pacer.reserve(0.0).time for _ in range(1000)] == [0.0] * 1000


def test_known_capacity_keeps_every_window_under_it() -> None:
    pacer = Pacer(window=30.0, guard=0.0, capacity=10)
    slots = [pacer.reserve(0.0).time for _ in range(35)]
    assert slots[:10] == [0.0] * 10
    assert slots[10:20] == [30.0] * 10
    assert slots[20:30] == [60.0] * 10
    assert slots[30:] == [90.0] * 5
    for t in slots:
        assert sum(1 for s in slots if t - 30.0 < s <= t) <= 10


def test_guard_widens_the_window() -> None:
    pacer = Pacer(window=30.0, guard=0.5, capacity=2)
    assert [pacer.reserve(0.0).time for _ in range(3)] == [0.0, 0.0, 30.5]


def test_first_429_learns_the_count_slightly_reduced() -> None:
    pacer = Pacer(window=30.0, guard=0.0, reduction=0.01)
    for i in range(300):
        pacer.reserve(i * 0.01)
    rejected = pacer.reserve(3.0)
    pacer.on_rate_limited(rejected, now=3.05, retry_after=27.0)
    assert pacer.capacity == 297  # 300 accepted, minus 1 %
    assert pacer.blocked_until == pytest.approx(30.05)
    assert pacer.reserve(4.0).time >= 30.05


def test_429s_of_the_same_burst_do_not_lower_it_again() -> None:
    pacer = Pacer(window=30.0, guard=0.0, reduction=0.01)
    slots = [pacer.reserve(0.0) for _ in range(110)]
    pacer.on_rate_limited(slots[100], now=0.2, retry_after=1.0)
    learned = pacer.capacity
    for slot in slots[101:]:
        pacer.on_rate_limited(slot, now=0.3, retry_after=1.0)
    assert pacer.capacity == learned == 99


def test_429_under_a_learned_capacity_lowers_it() -> None:
    pacer = Pacer(window=30.0, guard=0.0, reduction=0.02, capacity=100)
    pacer.on_rate_limited(pacer.reserve(0.0), now=0.0, retry_after=0.0)
    assert pacer.capacity == 1  # nothing else was sent: the limit is shared or tiny
    pacer = Pacer(window=30.0, guard=0.0, reduction=0.02, capacity=100)
    bookings = [pacer.reserve(i * 0.25) for i in range(101)]
    assert bookings[-1].time == 30.0  # the 101st waits for the first to leave
    pacer.on_rate_limited(bookings[-1], now=30.1, retry_after=0.0)
    assert pacer.capacity == 97  # 99 in the window before it, minus 2 %


def test_release_gives_a_slot_back() -> None:
    pacer = Pacer(window=30.0, guard=0.0, capacity=1)
    first = pacer.reserve(0.0)
    pacer.release(first)
    assert pacer.reserve(0.0).time == 0.0


def test_sliding_window_throughput_matches_capacity() -> None:
    pacer = Pacer(window=30.0, guard=0.0, capacity=300)
    slots = [pacer.reserve(0.0).time for _ in range(1500)]
    assert max(slots) == 120.0  # five windows' worth: 0, 30, 60, 90, 120


def test_backoff_is_jittered_exponential_and_capped() -> None:
    policy = RetryPolicy(backoff=0.5, max_backoff=4.0)
    rng = random.Random(1)
    for attempt, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (9, 4.0)]:
        delays = [policy.delay(attempt, rng) for _ in range(200)]
        assert min(delays) >= ceiling / 2
        assert max(delays) <= ceiling
        assert len(set(delays)) > 100


def test_bad_pacer_arguments() -> None:
    with pytest.raises(ValueError, match="window"):
        Pacer(window=0)
