"""Isolation: programs run in worker processes that can be killed, reused across calls.

A `WorkerPool` keeps up to `size` warm workers (sympy and z3 imported once per worker, via a forkserver
that preloads them). A call takes an idle worker, sends the job over a pipe and waits at most the wall
time limit plus a small grace; a worker that runs over, crashes or hits its memory limit is killed and
replaced, and the caller gets a `timeout` or `error` result, never an exception or a hang. Inside the
worker, RLIMIT_AS caps memory (its baseline plus `Limits.memory_mb`), the interpreter stops itself at
the deadline, and z3 gets its own timeout. Thread-safe: any number of caller threads share one pool.
"""
from __future__ import annotations

import atexit
import multiprocessing
from multiprocessing import context as mp_context
import os
import sys
import threading
import time
from dataclasses import asdict

from solvers.base import Limits

GRACE_S = 0.5  # extra wall time before a worker that does not answer is killed
START_TIMEOUT_S = 120.0  # a worker must be ready (imports done) within this
MAX_JOBS_PER_WORKER = 500  # recycle workers now and then (sympy caches, z3 context growth)
STACK_BYTES = 256 * 1024 * 1024


# --------------------------------------------------------------------------- worker side


def _vm_size_bytes() -> int:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _set_memory(limit_bytes: int | None) -> None:
    try:
        import resource
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        soft = resource.RLIM_INFINITY if limit_bytes is None else limit_bytes
        if hard != resource.RLIM_INFINITY and (soft == resource.RLIM_INFINITY or soft > hard):
            soft = hard
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    except (ImportError, ValueError, OSError):
        pass


def run_job(job: dict) -> dict:
    """Run one job in this process (the worker calls this; tests may too)."""
    import z3

    from solvers.program import result, run_plain
    from solvers.z3_checks import run_z3

    limits = Limits(**job["limits"])
    start = time.monotonic()
    deadline = start + limits.timeout_s
    z3.set_param("timeout", max(1, int(limits.timeout_s * 1000)))
    try:
        if job["kind"] == "math_verify":
            out = _math_verify(job["source"])
        elif job["kind"] == "z3":
            out = run_z3(job["source"], limits, deadline)
        else:
            out = run_plain(job["source"], limits, deadline)
    except MemoryError:
        out = result("error", message=f"memory limit exceeded ({limits.memory_mb} MB)")
        out["restart"] = True
    except RecursionError:
        out = result("error", message="recursion too deep")
        out["restart"] = True
    out["run_s"] = time.monotonic() - start
    return out


def _math_verify(source: str) -> dict:
    """Math-Verify's verdict on {"gold", "prediction"} (JSON). Its signal-based timeouts are off (this runs in
    a worker thread); the pool's wall-time limit bounds it. value: True / False, or None when undecided."""
    import json
    import logging

    from math_verify import parse, verify

    from solvers.program import result

    logging.getLogger("math_verify").setLevel(logging.ERROR)  # its "timeout is disabled" warning: we bound it
    texts = json.loads(source)
    try:
        gold = parse(texts["gold"], parsing_timeout=None)
        if not gold:
            return result("error", message="math_verify: the gold answer does not parse")
        prediction = parse(texts["prediction"], parsing_timeout=None)
        verdict = bool(prediction) and verify(gold, prediction, timeout_seconds=None)
    except Exception as exc:  # noqa: BLE001 - undecided, not a crash
        return result("error", message=f"math_verify: {type(exc).__name__}: {exc}")
    return result("ok", value=bool(verdict))


def _serve(conn) -> None:
    sys.setrecursionlimit(30_000)
    # warm up: import and touch sympy and z3 once, so the first real job is fast
    import sympy  # noqa: F401
    import z3  # noqa: F401

    import solvers.program  # noqa: F401
    import solvers.z3_checks  # noqa: F401
    run_job({"kind": "z3", "source": "from z3 import *\nx = Int('x')\ns = Solver()\ns.add(x > 1, x < 3)\n"
                                     "s.check()\nanswer = s.model()[x]",
             "limits": asdict(Limits())})
    run_job({"kind": "sympy", "source": "from sympy import *\nx = symbols('x')\nanswer = solve(Eq(2*x, 4), x)[0]",
             "limits": asdict(Limits())})
    baseline = _vm_size_bytes()
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        memory_mb = job["limits"].get("memory_mb") or 0
        if baseline and memory_mb:
            _set_memory(baseline + memory_mb * 1024 * 1024)
        try:
            out = run_job(job)
        except MemoryError:
            out = {"status": "error", "value": None, "message": "memory limit exceeded", "restart": True}
        except BaseException as exc:  # noqa: BLE001 - report, never die silently
            out = {"status": "error", "value": None, "message": f"internal error: {type(exc).__name__}: {exc}"[:200],
                   "restart": True}
        finally:
            _set_memory(None)
        try:
            conn.send(out)
        except Exception:  # noqa: BLE001 - e.g. an unpicklable detail: send the essentials
            conn.send({"status": out.get("status", "error"), "value": out.get("value"),
                       "message": out.get("message", ""), "restart": True})
        if out.get("restart"):
            return


def worker_main(conn) -> None:
    """Entry point of a worker process: serve jobs in a thread with a large stack."""
    threading.stack_size(STACK_BYTES)
    thread = threading.Thread(target=_serve, args=(conn,), name="solver-worker")
    thread.start()
    thread.join()
    os._exit(0)


# --------------------------------------------------------------------------- caller side


class _Crashed(Exception):
    pass


class _Worker:
    def __init__(self, ctx, process_class):
        parent, child = ctx.Pipe()
        self.proc = process_class(target=worker_main, args=(child,), daemon=True, name="solver-worker")
        self.proc.start()
        child.close()
        self.conn = parent
        self.ready = False
        self.jobs = 0
        self.pid = self.proc.pid

    def wait_ready(self, timeout: float) -> None:
        if self.ready:
            return
        try:
            if not self.conn.poll(timeout):
                raise _Crashed("worker did not start in time")
            message = self.conn.recv()
        except (EOFError, OSError) as exc:
            raise _Crashed(f"worker failed to start ({exc or 'exited'})") from None
        if not (isinstance(message, tuple) and message[0] == "ready"):
            raise _Crashed("worker sent an unexpected start message")
        self.ready = True

    def call(self, job: dict, wait_s: float) -> dict | None:
        """The result dict, or None on timeout. Raises _Crashed if the worker died."""
        try:
            self.conn.send(job)
            if not self.conn.poll(wait_s):
                return None
            out = self.conn.recv()
        except (EOFError, OSError, BrokenPipeError) as exc:
            raise _Crashed(str(exc) or "connection closed") from None
        self.jobs += 1
        return out

    @property
    def alive(self) -> bool:
        return self.proc.is_alive()

    def kill(self) -> None:
        try:
            self.proc.kill()
            self.proc.join(2)
        except (OSError, ValueError, AssertionError):
            pass
        try:
            self.conn.close()
        except OSError:
            pass

    def close(self) -> None:
        try:
            self.conn.send(None)
            self.proc.join(1)
        except (OSError, ValueError, BrokenPipeError):
            pass
        if self.proc.is_alive():
            self.kill()


_PATCH_LOCK = threading.Lock()


def _popen_without_main(popen_cls, process_obj):
    """Start a process without re-running the caller's __main__ in it.

    spawn/forkserver children normally re-import the parent's main script (as __mp_main__): that fails for
    `python - < file` and would re-run an unguarded script, or import torch, in every worker. Workers need
    nothing from __main__, so the main-module entries are dropped from the preparation data.
    """
    from multiprocessing import spawn

    original = spawn.get_preparation_data
    me = threading.get_ident()

    def without_main(name):
        data = original(name)
        if threading.get_ident() == me:
            data.pop("init_main_from_path", None)
            data.pop("init_main_from_name", None)
        return data

    with _PATCH_LOCK:
        spawn.get_preparation_data = without_main
        try:
            return popen_cls(process_obj)
        finally:
            spawn.get_preparation_data = original


class _ForkServerProcess(mp_context.ForkServerProcess):
    @staticmethod
    def _Popen(process_obj):
        from multiprocessing.popen_forkserver import Popen
        return _popen_without_main(Popen, process_obj)


class _SpawnProcess(mp_context.SpawnProcess):
    @staticmethod
    def _Popen(process_obj):
        from multiprocessing.popen_spawn_posix import Popen
        return _popen_without_main(Popen, process_obj)


def _process_class(method: str):
    return _ForkServerProcess if method == "forkserver" else _SpawnProcess


def _context(start_method: str | None):
    """(context, Process class) for the start method (forkserver by default; spawn as fallback)."""
    method = start_method or os.environ.get("HYBRID_SOLVER_START") or "forkserver"
    if method not in ("forkserver", "spawn") or method not in multiprocessing.get_all_start_methods():
        method = "spawn"
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        try:
            ctx.set_forkserver_preload(["solvers._preload"])
        except Exception:  # noqa: BLE001 - preload is an optimisation only
            pass
    return ctx, _process_class(method)


class WorkerPool:
    """Up to `size` reusable workers. `reuse=False` gives every call a fresh worker (cold)."""

    def __init__(self, size: int = 2, *, start_method: str | None = None, reuse: bool = True):
        self.size = max(1, int(size))
        self.reuse = reuse
        self._ctx, self._process_class = _context(start_method)
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._cond = threading.Condition()
        self._closed = False

    # ---- workers
    def _acquire(self) -> _Worker:
        with self._cond:
            while True:
                if self._closed:
                    raise _Crashed("solver pool is closed")
                while self._idle:
                    worker = self._idle.pop()
                    if worker.alive:
                        return worker
                    self._all.discard(worker)
                if len(self._all) < self.size:
                    placeholder = object()
                    self._all.add(placeholder)  # reserve a slot while starting outside the lock
                    break
                self._cond.wait()
        try:
            worker = _Worker(self._ctx, self._process_class)
        except BaseException:
            with self._cond:
                self._all.discard(placeholder)
                self._cond.notify()
            raise
        with self._cond:
            self._all.discard(placeholder)
            self._all.add(worker)
        return worker

    def _release(self, worker: _Worker, healthy: bool) -> None:
        recycle = not healthy or not self.reuse or worker.jobs >= MAX_JOBS_PER_WORKER
        if recycle:
            if healthy:
                worker.close()
            else:
                worker.kill()
        with self._cond:
            if recycle or self._closed:
                self._all.discard(worker)
                if not recycle:
                    worker.close()
            else:
                self._idle.append(worker)
            self._cond.notify()

    def warm(self, timeout: float = START_TIMEOUT_S) -> None:
        """Start one worker now (so the first call does not pay for it)."""
        worker = self._acquire()
        healthy = True
        try:
            worker.wait_ready(timeout)
        except _Crashed:
            healthy = False
        self._release(worker, healthy)

    def pids(self) -> list[int]:
        with self._cond:
            return [w.pid for w in self._all if isinstance(w, _Worker)]

    # ---- calls
    def run(self, kind: str, source: str, limits: Limits) -> dict:
        """Run one job; always returns a result dict (with run_s)."""
        start = time.monotonic()
        job = {"kind": kind, "source": source, "limits": asdict(limits)}
        try:
            worker = self._acquire()
        except _Crashed as exc:
            return {"status": "error", "value": None, "message": str(exc)}
        healthy = False
        try:
            worker.wait_ready(START_TIMEOUT_S)
            sent = time.monotonic()
            out = worker.call(job, limits.timeout_s + GRACE_S)
            if out is None:
                return {"status": "timeout", "value": None,
                        "message": f"timed out after {limits.timeout_s:g}s (worker stopped)",
                        "run_s": time.monotonic() - sent}
            healthy = not out.pop("restart", False)
            return out
        except _Crashed as exc:
            code = worker.proc.exitcode
            if code is None:
                worker.proc.join(0.2)
                code = worker.proc.exitcode
            why = "memory limit or a crash" if code in (None, -9, 137, -6, 134) else f"exit code {code}"
            return {"status": "error", "value": None,
                    "message": f"solver worker died ({why}); the program may use too much memory",
                    "run_s": time.monotonic() - start, "details": {"crash": str(exc), "exitcode": code}}
        finally:
            self._release(worker, healthy)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            workers = [w for w in self._all if isinstance(w, _Worker)]
            self._all.clear()
            self._idle.clear()
            self._cond.notify_all()
        for worker in workers:
            worker.kill()


_POOL: WorkerPool | None = None
_POOL_LOCK = threading.Lock()


def _forget_pool_in_child() -> None:
    """A forked copy of the caller must not share the parent's worker pipes; it starts its own pool."""
    global _POOL, _POOL_LOCK
    _POOL = None
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


def default_pool() -> WorkerPool:
    """The process-wide pool (size from HYBRID_SOLVER_WORKERS, default 2), created on first use."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            size = int(os.environ.get("HYBRID_SOLVER_WORKERS", "2") or 2)
            _POOL = WorkerPool(size)
            atexit.register(_POOL.close)
        return _POOL
