"""Requests from many connections into one batched engine: `Engine.solve_many` across requests.

Each request thread `submit`s its item and waits on a Future. One dispatcher thread owns the engine: it
takes the first waiting item, gathers whatever else arrives within `window_s` (and everything already
queued) up to `max_batch` items, and runs them as one `engine.solve_many` call, so concurrent questions
share each model call of every graph step (hybrid/batching.py). While a batch runs, new requests queue and
form the next batch. Only the dispatcher calls the engine, so a backend that is not thread-safe (a local
transformers model) is safe. A batch that raises is retried one item at a time, so one bad item fails
alone; a full queue refuses new items (`Overloaded`) instead of growing without bound. Deliberately left
out: priorities and fairness between clients (first come, first served).
"""
from __future__ import annotations

import logging
import queue
import threading
import time
from concurrent.futures import Future
from typing import Any

log = logging.getLogger("hybrid.server")


class Overloaded(Exception):
    """The queue of waiting requests is full."""


class RequestBatcher:
    """See the module docstring."""

    def __init__(self, engine: Any, *, max_batch: int | None = None, window_s: float = 0.02,
                 max_queue: int = 1024) -> None:
        self.engine = engine
        self.max_batch = max(1, int(max_batch or engine.settings.batch_size))
        self.window_s = max(0.0, float(window_s))
        self._queue: queue.Queue = queue.Queue(maxsize=max(1, int(max_queue)))
        self._closed = threading.Event()
        self.batches: list[int] = []  # the size of every solve_many call made, in order (bounded below)
        self._thread = threading.Thread(target=self._loop, name="hybrid-batcher", daemon=True)
        self._thread.start()

    def submit(self, item: dict) -> Future:
        """Queue one engine item; the Future gets its Result (or the exception that ended it)."""
        if self._closed.is_set():
            raise Overloaded("the server is shutting down")
        future: Future = Future()
        try:
            self._queue.put_nowait((item, future))
        except queue.Full:
            raise Overloaded(f"{self._queue.maxsize} requests are already waiting") from None
        return future

    def close(self, timeout: float = 5.0) -> None:
        """Stop taking items, fail those still queued, and wait briefly for the running batch."""
        self._closed.set()
        self._queue.put((None, None))  # wakes the dispatcher (the queue may be full: put waits for room)
        self._thread.join(timeout)
        while True:
            try:
                item, future = self._queue.get_nowait()
            except queue.Empty:
                break
            if future is not None and future.set_running_or_notify_cancel():
                future.set_exception(Overloaded("the server is shutting down"))

    def _gather(self) -> list[tuple[dict, Future]]:
        item, future = self._queue.get()
        if future is None:
            return []
        batch = [(item, future)]
        deadline = time.monotonic() + self.window_s
        while len(batch) < self.max_batch:
            remaining = deadline - time.monotonic()
            try:
                item, future = self._queue.get(timeout=remaining) if remaining > 0 else self._queue.get_nowait()
            except queue.Empty:
                break
            if future is None:
                self._closed.set()
                break
            batch.append((item, future))
        return [(i, f) for i, f in batch if f.set_running_or_notify_cancel()]  # drop requests that gave up

    def _loop(self) -> None:
        while not self._closed.is_set():
            batch = self._gather()
            if batch:
                self._run(batch)

    def _run(self, batch: list[tuple[dict, Future]]) -> None:
        self.batches.append(len(batch))
        del self.batches[:-1000]
        try:
            results = self.engine.solve_many([item for item, _ in batch])
        except BaseException as exc:  # noqa: BLE001 - a batch must never kill the dispatcher
            if len(batch) == 1:
                log.warning("a request failed in the engine: %s", exc)
                batch[0][1].set_exception(exc)
                return
            for one in batch:  # find the item that failed; the others get their answers
                self._run([one])
            return
        for (_, future), result in zip(batch, results):
            future.set_result(result)
