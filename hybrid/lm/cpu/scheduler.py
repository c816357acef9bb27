"""Continuous batching for the CPU decoder: one loop thread, many callers.

`Scheduler.run(requests)` queues a call's rows (one per prompt and sample) and waits. The loop thread
admits waiting rows while there are free slots (up to `max_batch`), prefills each prompt alone (once for
all its samples, reusing cached prompt chunks), then decodes one token for every active row per step. A
row that ends (EOS, a stop string, its token budget) frees its slot at once, and the next waiting row,
from this call or from any other thread's call, takes it; nothing waits for the longest row of a batch.
Calls from several threads (the questions of `solve_many` at different graph steps) share the batch.
Every row's numbers are computed independently of the others (see `hybrid.lm.cpu`), so results do not
depend on what else is running. Sampled rows draw from their own generator, seeded by the call's seed,
the prompt's tokens and the sample's index. The loop thread ends after `IDLE_S` seconds without work
(the next call starts another) and is stopped at interpreter exit, before torch's own threads go away.
"""
from __future__ import annotations

import atexit
import threading
import time
import weakref
import zlib
from collections import deque
from dataclasses import dataclass, field

from hybrid.lm.cpu.kv import ChunkCache, SeqCache, chunk_key


IDLE_S = 5.0
_LIVE: "weakref.WeakSet[Scheduler]" = weakref.WeakSet()


@atexit.register
def _stop_all() -> None:
    for scheduler in list(_LIVE):
        scheduler.close()


@dataclass
class Request:
    """One prompt of a call, with its n samples."""

    prompt: list[int]
    n: int = 1
    max_new_tokens: int = 512
    temperature: float = 0.0
    top_p: float = 1.0
    stop: tuple[str, ...] = ()
    seed: int = 0
    greedy_first: bool = False


@dataclass
class _Group:
    request: Request
    waiting: int  # rows not yet admitted
    cache: SeqCache | None = None
    logits: object = None


@dataclass
class _Row:
    job: "_Job"
    group: _Group
    index: int  # the sample's index within its prompt
    greedy: bool
    generator: object = None
    cache: SeqCache | None = None
    tokens: list[int] = field(default_factory=list)
    stopped_at: int = 0
    done: bool = False


class _Job:
    def __init__(self, rows: int):
        self.left = rows
        self.rows: list[_Row] = []
        self.finished = threading.Event()
        self.error: BaseException | None = None
        self.cancelled = False


class Scheduler:
    """See the module docstring. `eos_ids` end a row; `decode_text(tokens)` turns tokens into text."""

    def __init__(self, decoder, eos_ids, decode_text, *, max_batch: int = 16, chunk: int = 64,
                 chunk_cache_bytes: int = 256 << 20):
        self.decoder = decoder
        self.eos = frozenset(eos_ids)
        self.decode_text = decode_text
        self.max_batch = max(1, max_batch)
        self.chunk = max(1, chunk)
        self.chunks = ChunkCache(chunk_cache_bytes)
        self.stats = {"steps": 0, "rows_decoded": 0, "prefill_tokens": 0, "prefill_s": 0.0, "decode_s": 0.0}
        self._pending: deque[_Row] = deque()
        self._active: list[_Row] = []
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closing = False
        _LIVE.add(self)

    def close(self) -> None:
        """Stop the loop thread (waiting rows are dropped); a later `run` starts it again."""
        with self._wake:
            self._closing = True
            thread = self._thread
            self._wake.notify_all()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=10)
        with self._wake:
            self._closing = False

    # ---- the callers' side -------------------------------------------------------------------------
    def run(self, requests: list[Request]) -> list[list[_Row]]:
        """Generate for every request; returns, per request, its n finished rows (tokens, stopped_at)."""
        job = _Job(sum(r.n for r in requests))
        per_request = []
        for request in requests:
            group = _Group(request, waiting=request.n)
            rows = [_Row(job, group, i, greedy=request.temperature <= 0 or (request.greedy_first and i == 0))
                    for i in range(request.n)]
            per_request.append(rows)
            job.rows.extend(rows)
        if not job.rows:
            return per_request
        with self._wake:
            self._pending.extend(job.rows)
            self._start()
            self._wake.notify()
        try:
            while not job.finished.wait(0.25):
                pass
        except BaseException:
            job.cancelled = True  # the loop drops its rows
            raise
        if job.error is not None:
            raise job.error
        return per_request

    def _start(self) -> None:  # called with the lock held
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._loop, name="hybrid-cpu-decoder", daemon=True)
            self._thread.start()

    # ---- the loop thread ---------------------------------------------------------------------------
    def _loop(self) -> None:
        import torch

        with torch.inference_mode():
            while True:
                with self._wake:
                    idle_since = time.monotonic()
                    while not self._pending and not self._active and not self._closing:
                        if time.monotonic() - idle_since > IDLE_S:
                            break
                        self._wake.wait(timeout=IDLE_S)
                    if self._closing or (not self._pending and not self._active):
                        for row in list(self._pending) + self._active:
                            self._fail(row.job, RuntimeError("the CPU decoder was closed"))
                        self._pending.clear()
                        self._active = []
                        self._thread = None
                        return
                    admitted = []
                    while self._pending and len(self._active) + len(admitted) < self.max_batch:
                        admitted.append(self._pending.popleft())
                for row in admitted:
                    self._guard(self._admit, row)
                live = [r for r in self._active if not r.done and not r.job.cancelled]
                self._active = live
                if live:
                    self._guard_step(live)
                self._active = [r for r in self._active if not r.done and not r.job.cancelled]

    def _guard(self, action, row: _Row) -> None:
        try:
            action(row)
        except Exception as exc:  # the call fails with it; the loop goes on
            self._fail(row.job, exc)

    def _guard_step(self, rows: list[_Row]) -> None:
        try:
            self._step(rows)
        except Exception as exc:
            for job in {id(r.job): r.job for r in rows}.values():
                self._fail(job, exc)

    def _fail(self, job: _Job, exc: BaseException) -> None:
        job.error = job.error or exc
        job.cancelled = True
        job.finished.set()

    def _admit(self, row: _Row) -> None:
        if row.job.cancelled:
            return
        group = row.group
        if group.cache is None:
            began = time.perf_counter()
            group.cache, group.logits = self._prefill(group.request.prompt)
            self.stats["prefill_s"] += time.perf_counter() - began
            self.stats["prefill_tokens"] += len(group.request.prompt)
        group.waiting -= 1
        row.cache = group.cache if group.waiting == 0 else group.cache.copy()
        if group.waiting == 0:
            group.cache = None  # the last row owns it
        if not row.greedy:
            import torch

            seed = zlib.crc32(repr((group.request.seed, row.index, group.request.prompt)).encode())
            row.generator = torch.Generator().manual_seed(seed)
        self._take(row, group.logits)
        if not row.done:
            self._active.append(row)

    def _prefill(self, prompt: list[int]):
        """A new cache holding `prompt`, and the logits after its last token. Chunks end at multiples of
        `chunk` (the last one holds at least one token), so the work depends on the prompt alone."""
        decoder, size = self.decoder, self.chunk
        shape = decoder.shape
        cache = SeqCache(shape.layers, shape.kv_heads, shape.head_dim, len(prompt) + 64)
        last_start = ((len(prompt) - 1) // size) * size
        for start in range(0, last_start, size):
            key = chunk_key(prompt[:start + size])
            hit = self.chunks.get(key)
            if hit is not None:
                cache.k[:, :, start:start + size] = hit[0]
                cache.v[:, :, start:start + size] = hit[1]
                cache.length = start + size
            else:
                decoder.prefill_chunk(cache, prompt[start:start + size], logits=False)
                self.chunks.put(key, cache.k[:, :, start:start + size], cache.v[:, :, start:start + size])
        return cache, decoder.prefill_chunk(cache, prompt[last_start:], logits=True)

    def _step(self, rows: list[_Row]) -> None:
        began = time.perf_counter()
        logits = self.decoder.decode([r.cache for r in rows], [r.tokens[-1] for r in rows])
        self.stats["decode_s"] += time.perf_counter() - began
        self.stats["steps"] += 1
        self.stats["rows_decoded"] += len(rows)
        for row, row_logits in zip(rows, logits):
            self._take(row, row_logits)

    def _take(self, row: _Row, logits) -> None:
        """Pick the row's next token from its logits and decide whether the row is done."""
        request = row.group.request
        token = int(logits.argmax()) if row.greedy else self._sample(row, logits)
        row.tokens.append(token)
        if token in self.eos or len(row.tokens) >= request.max_new_tokens:
            self._finish(row)
        elif request.stop:
            tail = max(len(s) for s in request.stop) + 3
            text = self.decode_text(row.tokens[-tail:])
            if any(s and s in text for s in request.stop):
                row.stopped_at = len(row.tokens)
                self._finish(row)

    def _sample(self, row: _Row, logits) -> int:
        import torch

        request = row.group.request
        scores = logits.float() / request.temperature
        if request.top_p < 1.0:
            ordered, order = torch.sort(scores, descending=True)
            cumulative = torch.softmax(ordered, dim=-1).cumsum(-1)
            drop = cumulative - torch.softmax(ordered, dim=-1) > request.top_p
            scores = scores.scatter(0, order[drop], float("-inf"))
        probs = torch.softmax(scores, dim=-1)
        return int(torch.multinomial(probs, 1, generator=row.generator))

    def _finish(self, row: _Row) -> None:
        row.done = True
        row.cache = None  # free its memory now
        job = row.job
        job.left -= 1
        if job.left == 0:
            job.finished.set()
