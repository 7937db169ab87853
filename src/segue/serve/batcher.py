"""Micro-batching: concurrent requests share one ``recommend_batch`` call.

segue's recommender answers a batch of 16 queries in about a third of the time per
query that it needs for one (its generators and ranker work on whole matrices), so
under load a worker gathers the queries that arrived while it was busy and answers
them together. A lone request is answered at once, never held back for company.
"""

from __future__ import annotations

import logging
import queue
import threading
import warnings
from concurrent.futures import Future

from segue.recommend import Model, Query

__all__ = ["Batcher"]

log = logging.getLogger("segue")

_Job = tuple[Query, int, "Future[list[str]]"]


class Batcher:
    """Answer :class:`~segue.recommend.Query` objects in batches on one thread.

    Parameters
    ----------
    model
        The model; only its ``recommend_batch`` is called, from one thread.
    lock
        Held around every model call (shared with other users of the model).
    max_batch
        Most queries answered by one call.
    timeout
        Seconds a caller waits for its answer before giving up.
    """

    def __init__(
        self,
        model: Model,
        lock: threading.Lock,
        *,
        max_batch: int = 32,
        timeout: float = 30.0,
    ) -> None:
        self.model = model
        self.lock = lock
        self.max_batch = max_batch
        self.timeout = timeout
        self._queue: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self.batches = 0
        self.queries = 0

    def recommend(self, query: Query, n: int) -> list[str]:
        """The model's ``n`` track ids for ``query`` (blocks until answered).

        Raises
        ------
        TimeoutError
            No answer within ``timeout`` seconds.
        Exception
            Whatever the model raised for the batch.
        """
        self._ensure_thread()
        future: Future[list[str]] = Future()
        self._queue.put((query, n, future))
        return future.result(timeout=self.timeout)

    def _ensure_thread(self) -> None:
        if self._thread is not None:
            return
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="segue-batcher", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < self.max_batch:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            n = max(job[1] for job in batch)
            try:
                with self.lock, warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # unknown seeds: expected
                    lists = self.model.recommend_batch([job[0] for job in batch], n)
            except Exception as exc:  # handed to every waiting caller
                log.exception("a batch of %d queries failed", len(batch))
                for _, _, future in batch:
                    future.set_exception(exc)
                continue
            self.batches += 1
            self.queries += len(batch)
            for (_, k, future), ids in zip(batch, lists, strict=True):
                future.set_result(ids[:k])
