"""What a job process does with a job: run the program with the solver it was routed to.

`run_job(job)` is the worker's default runner (`solvers.sandbox.pool.WorkerPool(runner=...)`). A job is
`{"job": id, "kind": "sympy" | "z3" | "math_verify", "source": text, "limits": {...}}`; the result is a
plain dict that `solvers.sandbox.replies.fit` caps before it leaves the process. Runs only inside a
confined job process (one per job, so a job that switches SymPy's parser back on affects no other).
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
        elif kind == "math_verify":
            out = math_verify_job(job["source"])
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


def math_verify_job(source: str) -> dict:
    """Math-Verify's verdict on {"gold", "prediction"} (JSON): value "True" / "False"; an error when
    undecided. Math-Verify parses text with SymPy, so this job process (and only it) switches the parser
    back on. Its signal-based timeouts are off (this runs in a worker thread); the job's deadline bounds it."""
    import json
    import logging

    from solvers import guards
    from solvers.program import result

    guards.allow_parsing()
    from math_verify import parse, verify

    logging.getLogger("math_verify").setLevel(logging.ERROR)  # its "timeout is disabled" warning: we bound it
    try:
        texts = json.loads(source)
        gold = parse(texts["gold"], parsing_timeout=None)
        if not gold:
            return result("error", message="math_verify: the gold answer does not parse")
        prediction = parse(texts["prediction"], parsing_timeout=None)
        verdict = bool(prediction) and verify(gold, prediction, timeout_seconds=None)
    except Exception as exc:  # noqa: BLE001 - undecided, not a crash
        return result("error", message=f"math_verify: {type(exc).__name__}: {exc}")
    return result("ok", value=str(bool(verdict)))


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
