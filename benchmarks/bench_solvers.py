"""Benchmark: per-call latency of `solvers.run_program` (p50/p95), pooled worker versus a cold worker.

Programs: a trivial arithmetic program, a sympy equation system and a z3 ordering puzzle. "pooled" is the
default warm pool that `run_program` uses (every job in a process of its own, forked from a confined
worker); "pooled, shared" is the same pool with the fork per job switched off (jobs run in the worker
itself, as before the sandbox issue: what the fork costs); "pooled, unconfined" has no OS layers at all;
"cold (forkserver)" starts a fresh worker per call from the preloaded forkserver; "cold (spawn)" starts a
fresh interpreter per call that imports sympy and z3.
With --distinct, each call's program differs by one constant (`{k}` in the programs below), so no call
is answered from SymPy's cache of an earlier identical one, as a worker that serves many jobs would be;
`--gap-ms` sleeps between calls (an engine calls the solvers between model generations, never in a loop).
Not a test: it prints figures. Usage: python benchmarks/bench_solvers.py [--n 50] [--cold-n 5] [--distinct]
[--gap-ms 0]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PROGRAMS = {
    "arithmetic": "eggs = {k}\nsold = eggs - 3 - 4\nanswer = sold * 2",
    "sympy system": (
        "from sympy import symbols, Eq, solve\n"
        "x, y = symbols('x y')\n"
        "sol = solve([Eq(x + y, {k}), Eq(2*x - y, 2)], [x, y])\n"
        "answer = sol[x] * sol[y]\n"),
    "z3 puzzle": (
        "from z3 import *\n"
        "a, b, c, d = Ints('a b c d')\n"
        "s = Solver()\n"
        "for v in (a, b, c, d):\n"
        "    s.add(v >= 1, v <= 4)\n"
        "s.add(Distinct(a, b, c, d), a < b, c == 1, d > b, a + b + c + d < {k})\n"
        "options = {'A': a == 2, 'B': b == 2, 'C': d == 2}\n"),
}


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    if len(values) == 1:
        return values[0]
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def measure(call, source: str, n: int, distinct: bool, gap_s: float) -> tuple[list[float], str]:
    times = []
    last = ""
    for i in range(n):
        program = source.replace("{k}", str(16 + i if distinct else 16))
        started = time.perf_counter()
        result = call(program)
        times.append(time.perf_counter() - started)
        last = f"{result.status}:{result.value}"
        if gap_s:
            time.sleep(gap_s)
    return times, last


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50, help="pooled calls per program")
    parser.add_argument("--cold-n", type=int, default=5, help="cold calls per program")
    parser.add_argument("--distinct", action="store_true", help="a different constant in every call's program")
    parser.add_argument("--gap-ms", type=float, default=0.0, help="pause between calls, in milliseconds")
    parser.add_argument("--modes", default="", help="comma-separated subset of the modes to run")
    args = parser.parse_args(argv)
    if args.n < 1 or args.cold_n < 1:
        print("error: --n and --cold-n must be positive", file=sys.stderr)
        return 2

    from solvers import detect_solver, run_program
    from solvers.base import Limits
    from solvers.sandbox.confine import LAYERS
    from solvers.sandbox.pool import WorkerPool, default_pool
    from solvers.solver import to_result

    default_pool().warm()
    run_program("answer = 1")  # first call after warm-up

    def solver_of(source: str) -> str:
        return "z3" if detect_solver(source) == "z3" else "sympy"

    def pooled(**options):
        pool = WorkerPool(size=2, **options)
        pool.warm()

        def call(source: str):
            return to_result(pool.run(solver_of(source), source, Limits()), solver_of(source))
        return call

    def cold(method: str):
        def call(source: str):
            pool = WorkerPool(size=1, start_method=method)
            try:
                return to_result(pool.run(solver_of(source), source, Limits()), solver_of(source))
            finally:
                pool.close()
        return call

    shared = tuple(layer for layer in LAYERS if layer != "process_per_job")
    modes = [("pooled", run_program, args.n), ("pooled, shared", pooled(layers=shared), args.n),
             ("pooled, unconfined", pooled(layers=()), args.n),
             ("cold (forkserver)", cold("forkserver"), args.cold_n),
             ("cold (spawn)", cold("spawn"), max(1, min(args.cold_n, 3)))]
    if args.modes:
        wanted = {m.strip() for m in args.modes.split(",")}
        modes = [m for m in modes if m[0] in wanted]
    print(f"{'program':<14} {'mode':<20} {'n':>4} {'p50 ms':>9} {'p95 ms':>9} {'mean ms':>9}  result")
    for name, source in PROGRAMS.items():
        for mode, call, n in modes:
            times, last = measure(call, source, n, args.distinct, args.gap_ms / 1000)
            ms = [t * 1000 for t in times]
            print(f"{name:<14} {mode:<20} {n:>4} {percentile(ms, 0.5):>9.1f} {percentile(ms, 0.95):>9.1f} "
                  f"{statistics.fmean(ms):>9.1f}  {last}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
