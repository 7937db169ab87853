"""The micro-batcher: concurrent queries share model calls, answers stay apart."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import pytest

from segue.recommend import Query
from segue.serve.batcher import Batcher


class SlowEcho:
    """Answers each query with ids derived from its seed, after a pause per call."""

    name = "echo"

    def __init__(self, fail: bool = False) -> None:
        self.calls: list[int] = []
        self.fail = fail

    def fit(self, *args: object, **kwargs: object) -> SlowEcho:
        return self

    def recommend_batch(
        self, queries: Sequence[Query], n: int = 500
    ) -> list[list[str]]:
        self.calls.append(len(queries))
        time.sleep(0.05)
        if self.fail:
            raise RuntimeError("model broke")
        return [[f"{q.seeds[0]}-{k}" for k in range(n)] for q in queries]


def test_concurrent_queries_share_calls() -> None:
    model = SlowEcho()
    batcher = Batcher(model, threading.Lock())
    with ThreadPoolExecutor(24) as pool:
        results = list(
            pool.map(
                lambda i: batcher.recommend(Query(seeds=(f"s{i}",)), 1 + i % 3),
                range(48),
            )
        )
    for i, ids in enumerate(results):
        assert ids == [f"s{i}-{k}" for k in range(1 + i % 3)]
    assert sum(model.calls) == 48
    assert len(model.calls) < 48  # some batches held more than one query
    assert max(model.calls) > 1
    assert batcher.queries == 48


def test_a_lone_query_is_answered_at_once() -> None:
    model = SlowEcho()
    batcher = Batcher(model, threading.Lock())
    started = time.perf_counter()
    assert batcher.recommend(Query(seeds=("x",)), 2) == ["x-0", "x-1"]
    assert time.perf_counter() - started < 1.0
    assert model.calls == [1]


def test_errors_reach_every_caller() -> None:
    batcher = Batcher(SlowEcho(fail=True), threading.Lock())
    with pytest.raises(RuntimeError, match="model broke"):
        batcher.recommend(Query(seeds=("x",)), 1)
    # the batcher keeps serving after a failure
    with pytest.raises(RuntimeError, match="model broke"):
        batcher.recommend(Query(seeds=("y",)), 1)
