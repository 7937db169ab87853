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


def test_first_429_learns_the_accepted_count() -> None:
    pacer = Pacer(window=30.0, guard=0.0)
    for i in range(300):
        booking = pacer.reserve(i * 0.01)
        pacer.on_accepted(booking, booking.time + 0.02)
    rejected = pacer.reserve(3.0)
    pacer.on_rate_limited(rejected, now=3.05, retry_after=27.0)
    assert pacer.capacity == 300
    assert pacer.blocked_until == pytest.approx(30.05)
    assert pacer.reserve(4.0).time >= 30.05


def test_later_answers_of_the_same_burst_raise_the_first_estimate() -> None:
    pacer = Pacer(window=30.0, guard=0.0)
    accepted = [pacer.reserve(0.0) for _ in range(100)]
    rejected = [pacer.reserve(0.0) for _ in range(10)]
    for booking in accepted[:90]:
        pacer.on_accepted(booking, 0.05)
    pacer.on_rate_limited(rejected[0], now=0.1, retry_after=30.0)
    assert pacer.capacity == 90  # ten accepted answers were still in flight
    for booking in accepted[90:]:
        pacer.on_accepted(booking, 0.15)
    for booking in rejected[1:]:
        pacer.on_rate_limited(booking, now=0.2, retry_after=30.0)
    assert pacer.capacity == 100


def test_acceptances_answered_after_the_burst_still_raise_the_estimate() -> None:
    # the order a loaded client saw: every 429 of the burst handled before the
    # last acceptances sent ahead of them
    pacer = Pacer(window=30.0, guard=0.0)
    accepted = [pacer.reserve(0.0) for _ in range(20)]
    rejected = [pacer.reserve(0.0) for _ in range(4)]
    for booking in accepted[:17]:
        pacer.on_accepted(booking, 0.05)
    for booking in rejected:
        pacer.on_rate_limited(booking, now=0.1, retry_after=2.0)
    assert pacer.capacity == 17
    for booking in accepted[17:]:
        pacer.on_accepted(booking, 0.15)
    assert pacer.capacity == 20
    later = pacer.reserve(2.5)
    pacer.on_accepted(later, 2.5)  # sent after the burst: learns nothing
    assert pacer.capacity == 20


def test_rejected_requests_leave_the_window() -> None:
    pacer = Pacer(window=30.0, guard=0.0)
    pacer.on_accepted(pacer.reserve(0.0), 0.0)
    rejected = pacer.reserve(0.0)
    assert pacer.booked_within(0.0) == 2
    pacer.on_rate_limited(rejected, now=0.0, retry_after=0.0)
    assert pacer.booked_within(0.0) == 1
    assert pacer.capacity == 1


def test_429_under_a_learned_capacity_lowers_it() -> None:
    pacer = Pacer(window=30.0, guard=0.0, reduction=0.02, capacity=100)
    bookings = [pacer.reserve(i * 0.25) for i in range(101)]
    assert bookings[-1].time == 30.0  # the 101st waits for the first to leave
    for booking in bookings[1:100]:
        pacer.on_accepted(booking, booking.time)
    pacer.on_rate_limited(bookings[-1], now=30.1, retry_after=0.0)
    assert pacer.capacity == 97  # 99 accepted in the window, minus 2 %
    pacer.on_rate_limited(pacer.reserve(31.0), now=31.0, retry_after=0.0)
    assert pacer.capacity == 93  # 95 accepted in the window, minus 2 %


def test_answered_requests_count_from_their_answer() -> None:
    pacer = Pacer(window=30.0, guard=0.5, capacity=2)
    first = pacer.reserve(0.0)
    second = pacer.reserve(0.0)
    pacer.on_accepted(first, 0.1)
    pacer.on_accepted(second, 4.0)  # left late, or answered slowly
    assert pacer.reserve(10.0).time == 30.6  # the first leaves the window
    assert pacer.reserve(10.0).time == 34.5  # the second counts from its answer


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
