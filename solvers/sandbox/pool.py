"""The caller's side: a thread-safe pool of confined workers, and the one place that talks to them.

`WorkerPool.run(kind, source, limits)` always returns a validated result dict, on the caller's clock:
`limits.timeout_s` covers the wait for a free worker as well as the run (a busy pool answers `timeout`);
only the start of a new worker has its own bound (`START_TIMEOUT_S`). What a worker sends is read as
length-capped frames of JSON (`solvers.sandbox.channel`, `solvers.sandbox.replies`), never unpickled.
A worker whose reply fails validation, that misses the deadline or dies is killed and replaced; one that
answers properly is reused (it never runs programs itself: each job runs in a process of its own).
"""
from __future__ import annotations

import atexit
import logging
import os
import secrets
import threading
import time
from dataclasses import asdict, replace

from solvers.base import Limits
from solvers.sandbox import channel
from solvers.sandbox.confine import LAYERS, all_on, summary
from solvers.sandbox.connection import Broken, NotDelivered, WorkerConnection
from solvers.sandbox.start import context
from solvers.sandbox.replies import InvalidReply
from solvers.sandbox.worker import GRACE_S, worker_main

START_TIMEOUT_S = 120.0  # a worker must be ready (imports, confinement, warm-up) within this
CALLER_SLACK_S = 2 * GRACE_S + 0.5  # past the job's deadline: the worker itself reports timeouts sooner
log = logging.getLogger("solvers.sandbox")
_LOGGED = threading.Event()


def _run_job(job: dict) -> dict:
    from solvers.jobs import run_job
    return run_job(job)


def _error(message: str, status: str = "error", **extra) -> dict:
    return {"status": status, "value": None, "message": message, **extra}


class WorkerPool:
    """Up to `size` workers. `runner` is what a job process calls with each job (the step-language
    interpreter by default; tests pass probes); `layers` are the OS layers to apply (all by default)."""

    def __init__(self, size: int = 2, *, start_method: str | None = None, runner=None,
                 layers: tuple[str, ...] = LAYERS, target=None, read_modules: tuple[str, ...] = (),
                 preload: tuple[str, ...] = ()):
        self.size = max(1, int(size))
        self._ctx, self._process_class = context(start_method)
        self._target = target or worker_main
        self._config = {"runner": runner or _run_job, "layers": tuple(layers), "read_modules": read_modules,
                        "preload": tuple(preload)}
        self._idle: list[WorkerConnection] = []
        self._all: set = set()
        self._cond = threading.Condition()
        self._closed = False
        self._filling = False
        self.layers: dict[str, str] = {}

    # ---- workers
    def _acquire(self, deadline: float) -> WorkerConnection | None:
        """An idle or new worker; None when none became free before `deadline`."""
        with self._cond:
            while True:
                if self._closed:
                    raise Broken("solver pool is closed")
                while self._idle:
                    worker = self._idle.pop(0)  # oldest first: its next job process is forked already
                    if worker.alive:
                        self._fill_in_background()
                        return worker
                    self._all.discard(worker)
                if len(self._all) < self.size:
                    placeholder = object()
                    self._all.add(placeholder)  # reserve a slot while starting outside the lock
                    break
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._cond.wait(left)
        try:
            worker = WorkerConnection(self._ctx, self._process_class, self._target, self._config)
        except BaseException:
            with self._cond:
                self._all.discard(placeholder)
                self._cond.notify()
            raise
        with self._cond:
            self._all.discard(placeholder)
            self._all.add(worker)
        return worker

    def _fill_in_background(self) -> None:
        """Start one more worker (up to `size`) while the caller works: calls then take turns between
        workers, and each worker forks its next job process while the other one runs a job. Holds the lock."""
        if self._filling or len(self._all) >= self.size or self._closed:
            return
        self._filling = True
        placeholder = object()
        self._all.add(placeholder)

        def start():
            worker = None
            try:
                worker = WorkerConnection(self._ctx, self._process_class, self._target, self._config)
                self._start(worker)
            except BaseException:  # noqa: BLE001 - a failed spare start costs nothing but speed
                if worker is not None:
                    worker.kill()
                worker = None
            with self._cond:
                self._all.discard(placeholder)
                self._filling = False
                if worker is not None:
                    if self._closed:
                        worker.kill()
                    else:
                        self._all.add(worker)
                        self._idle.append(worker)
                self._cond.notify()

        threading.Thread(target=start, name="solver-pool-fill", daemon=True).start()

    def _release(self, worker: WorkerConnection, healthy: bool) -> None:
        if not healthy:
            worker.kill()
        with self._cond:
            if not healthy or self._closed:
                self._all.discard(worker)
                if healthy:
                    worker.close()
            else:
                self._idle.append(worker)
            self._cond.notify()

    def _start(self, worker: WorkerConnection) -> None:
        worker.wait_ready(START_TIMEOUT_S)
        self.layers = worker.layers
        if not _LOGGED.is_set():
            _LOGGED.set()
            line = "solver sandbox: " + summary(worker.layers)
            (log.info if all_on(worker.layers) else log.warning)(line)

    def warm(self, timeout: float = START_TIMEOUT_S) -> None:
        """Start one worker now (so the first call does not pay for it)."""
        worker = self._acquire(time.monotonic() + timeout)
        if worker is None:
            return
        healthy = True
        try:
            if not worker.ready:
                self._start(worker)
        except Broken:
            healthy = False
        self._release(worker, healthy)

    def pids(self) -> list[int]:
        with self._cond:
            return [w.pid for w in self._all if isinstance(w, WorkerConnection)]

    # ---- calls
    def run(self, kind: str, source: str, limits: Limits) -> dict:
        """Run one job; always returns a validated result dict (with run_s). A worker found gone before
        the job reached it (killed while idle, e.g. by the kernel's OOM killer) costs the program
        nothing: the job goes to another worker, once, within the same deadline."""
        start = time.monotonic()
        deadline = start + limits.timeout_s
        out = self._run_once(kind, source, limits, start, deadline)
        if out is _UNDELIVERED:
            out = self._run_once(kind, source, limits, start, deadline)
        if out is _UNDELIVERED:
            return _error("solver workers died before the job reached them", run_s=time.monotonic() - start)
        return out

    def _run_once(self, kind: str, source: str, limits: Limits, start: float, deadline: float):
        try:
            worker = self._acquire(deadline)
        except Broken as exc:
            return _error(str(exc))
        if worker is None:
            return _error(f"timed out after {limits.timeout_s:g}s waiting for a free solver worker "
                          "(the pool is busy)", "timeout", run_s=time.monotonic() - start)
        healthy = False
        try:
            if not worker.ready:  # a worker started for this call: its start is not the program's time
                self._start(worker)
                deadline += time.monotonic() - start
            left = max(0.05, deadline - time.monotonic())
            job = {"job": secrets.token_hex(8), "kind": kind, "source": source,
                   "limits": asdict(replace(limits, timeout_s=left))}
            try:
                out = worker.call(job, time.monotonic() + left + CALLER_SLACK_S)
            except channel.Timeout:
                return _error(f"timed out after {limits.timeout_s:g}s (worker stopped)", "timeout",
                              run_s=time.monotonic() - start)
            except InvalidReply as exc:
                return _error(f"the solver worker sent an invalid reply ({exc}); it was replaced",
                              run_s=time.monotonic() - start)
            healthy = True
            return out
        except NotDelivered:
            return _UNDELIVERED
        except Broken as exc:
            code = worker.proc.exitcode
            return _error(f"solver worker died ({exc}); the program may use too much memory",
                          run_s=time.monotonic() - start, details={"exitcode": code})
        finally:
            self._release(worker, healthy)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            workers = [w for w in self._all if isinstance(w, WorkerConnection)]
            self._all.clear()
            self._idle.clear()
            self._cond.notify_all()
        for worker in workers:
            worker.kill()


_UNDELIVERED = object()  # `_run_once`'s answer when the job never reached a worker
_POOL: WorkerPool | None = None
_CHECKING: WorkerPool | None = None
_POOL_LOCK = threading.Lock()


def _forget_pool_in_child() -> None:
    """A forked copy of the caller must not share the parent's worker channels; it starts its own pool."""
    global _POOL, _POOL_LOCK, _CHECKING
    _POOL = None
    _CHECKING = None
    _POOL_LOCK = threading.Lock()
    # the parent's forkserver is not this process's child: let the child start its own on demand
    try:
        from multiprocessing import forkserver
        server = forkserver._forkserver
        if getattr(server, "_forkserver_pid", None) is not None:
            server._forkserver_pid = None
            server._forkserver_address = None
            server._forkserver_alive_fd = None
            server._lock = threading.Lock()
    except Exception:  # noqa: BLE001 - best effort (private multiprocessing state)
        pass


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool_in_child)


def checking_pool() -> WorkerPool:
    """A one-worker pool for Math-Verify jobs, created on first use: its worker imports math_verify before
    it is confined, so the program pool's workers stay lean (a smaller process forks faster)."""
    global _CHECKING
    with _POOL_LOCK:
        if _CHECKING is None:
            _CHECKING = WorkerPool(1, preload=("math_verify",), read_modules=("math_verify",
                                                                               "latex2sympy2_extended", "antlr4"))
            atexit.register(_CHECKING.close)
        return _CHECKING


def default_pool() -> WorkerPool:
    """The process-wide pool, created on first use: HYBRID_SOLVER_WORKERS workers, by default one per core
    (at least 2)."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            size = int(os.environ.get("HYBRID_SOLVER_WORKERS") or max(2, os.cpu_count() or 2))
            _POOL = WorkerPool(size)
            atexit.register(_POOL.close)
        return _POOL
