"""One generate call per graph step for a group of questions running through the graph at once.

`solve_many` runs one LangGraph invocation per question, each in its own thread, all sharing a
`BatchingLM`. The batcher is a barrier, not a timer: it holds each `generate` call until every run of
the group that is still alive is waiting on the LM (or has finished), then issues ONE `lm.generate` per
distinct generation setting (propose and repair share settings; fallback reasoning has its own) with all
waiting prompts, in question order, and hands each run its own generations. Solver work (in worker
processes) runs in parallel in the meantime. So N questions at the same step cost one batched call, the
graph file stays pure wiring, and a node cannot tell whether it runs alone or in a batch.

With an LM that batches concurrent calls itself (`lm.concurrent`, the CPU path's continuous batching),
`batcher_for` returns `DirectLM` instead: no barrier, each run calls the LM as soon as it is ready, and a
finished row's slot goes to whichever run asks next, at whatever graph step it is.

Why not a timer-based micro-batcher: with solvers taking from milliseconds to seconds, a window either
waits needlessly or splits a step over several calls; the barrier never does either.
"""
from __future__ import annotations

import contextvars
import threading
from dataclasses import dataclass, field
from typing import Any, Sequence

# The position of the question whose graph run is making the call (for deterministic batch order).
RUN_INDEX: contextvars.ContextVar[int] = contextvars.ContextVar("hybrid_run_index", default=0)


@dataclass
class _Call:
    prompts: list
    settings: dict
    order: int
    result: list | None = None
    error: BaseException | None = None
    done: bool = False


@dataclass
class BatchStats:
    """What the batcher issued: one entry per lm.generate call, with its number of prompts."""

    calls: list[int] = field(default_factory=list)


class BatchingLM:
    """Wraps an LM for `runs` concurrent graph runs; see the module docstring."""

    def __init__(self, lm: Any, runs: int) -> None:
        self.lm = lm
        self.name = getattr(lm, "name", "lm")
        self._live = runs
        self._pending: list[_Call] = []
        self._cond = threading.Condition()
        self.stats = BatchStats()

    def finish(self) -> None:
        """A run has ended (normally or not); it will make no more calls."""
        with self._cond:
            self._live -= 1
            self._flush_if_ready()

    def generate(self, prompts: Sequence, **settings) -> list:
        call = _Call(list(prompts), settings, RUN_INDEX.get())
        with self._cond:
            self._pending.append(call)
            self._flush_if_ready()
            while not call.done:
                self._cond.wait()
        if call.error is not None:
            raise call.error
        return call.result  # type: ignore[return-value]

    def _flush_if_ready(self) -> None:
        # Called with the lock held. Every live run is waiting here, so nobody else can act meanwhile.
        if not self._pending or len(self._pending) < self._live:
            return
        pending, self._pending = self._pending, []
        groups: dict[tuple, list[_Call]] = {}
        for call in sorted(pending, key=lambda c: c.order):
            key = tuple(sorted((k, repr(v)) for k, v in call.settings.items()))
            groups.setdefault(key, []).append(call)
        for calls in groups.values():
            prompts = [p for call in calls for p in call.prompts]
            try:
                generations = self.lm.generate(prompts, **calls[0].settings)
                self.stats.calls.append(len(prompts))
                start = 0
                for call in calls:
                    call.result = list(generations[start:start + len(call.prompts)])
                    start += len(call.prompts)
            except BaseException as exc:  # handed to every waiting run, raised in its own thread
                for call in calls:
                    call.error = exc
            for call in calls:
                call.done = True
        self._cond.notify_all()


class DirectLM:
    """The barrier's stand-in for an LM that batches concurrent calls itself: calls go straight through."""

    def __init__(self, lm: Any) -> None:
        self.lm = lm
        self.name = getattr(lm, "name", "lm")
        self.stats = BatchStats()
        self._lock = threading.Lock()

    def finish(self) -> None:
        pass

    def generate(self, prompts: Sequence, **settings) -> list:
        generations = self.lm.generate(list(prompts), **settings)
        with self._lock:
            self.stats.calls.append(len(generations))
        return generations


def batcher_for(lm: Any, runs: int):
    """`DirectLM` for an LM that batches concurrent calls itself, else the `BatchingLM` barrier."""
    return DirectLM(lm) if getattr(lm, "concurrent", False) is True else BatchingLM(lm, runs)
