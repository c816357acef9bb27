"""What a job process does with a job: run the program with the solver it was routed to.

`run_job(job)` is the worker's default runner (`solvers.sandbox.pool.WorkerPool(runner=...)`). A job is
`{"job": id, "kind": "sympy" | "z3", "source": text, "limits": {...}}`; the result is a plain dict that
`solvers.sandbox.replies.fit` caps before it leaves the process. Runs only inside a confined job process.
"""
from __future__ import annotations

import time

from solvers.base import Limits


def run_job(job: dict) -> dict:
    import z3

    from solvers.program import result, run_plain
    from solvers.z3_checks import run_z3

    limits = Limits(**(job.get("limits") or {}))
    start = time.monotonic()
    deadline = start + limits.timeout_s
    z3.set_param("timeout", max(1, int(limits.timeout_s * 1000)))
    kind = job.get("kind")
    try:
        if kind == "z3":
            out = run_z3(job["source"], limits, deadline)
        elif kind == "sympy":
            out = run_plain(job["source"], limits, deadline)
        else:
            out = result("error", message=f"unknown job kind {kind!r}")
    except MemoryError:
        out = result("error", message=f"memory limit exceeded ({limits.memory_mb} MB)")
    except RecursionError:
        out = result("error", message="recursion too deep")
    out["run_s"] = time.monotonic() - start
    return out


def warm_up() -> None:
    """Run the interpreter and z3 once on our own programs (in a worker, before any job), so the job
    processes forked from it start with warm caches. Starts no thread: z3's timers would (a solver with a
    timeout keeps a timer thread), and a process that forks per job must stay single-threaded."""
    import z3

    from solvers.program import run_plain

    try:
        run_plain("from sympy import *\nx = symbols('x')\nanswer = solve(Eq(2*x, 4), x)[0]", Limits(), 1e18)
        x = z3.Int("x")
        s = z3.Solver()
        s.add(x > 1, x < 3)
        s.check()
        s.model()[x]
    except Exception:  # noqa: BLE001 - a failed warm-up only costs speed
        pass


def touch() -> None:
    """Run a one-line program in a fresh job process before its job arrives: the pages every run writes
    (copied on write after the fork) are then copied while the process waits, not on the job's clock."""
    from solvers.program import run_plain

    try:
        run_plain("a = 16 - 3 - 4\nanswer = a * 2 / 3", Limits(), 1e18)
    except Exception:  # noqa: BLE001 - costs speed only
        pass
