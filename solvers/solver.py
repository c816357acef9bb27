"""The solvers by name: each runs step-language programs in the confined worker pool and wraps the
worker's validated reply in a `SolverResult`. "sympy" runs computed answers (arithmetic, algebra);
"z3" also decides options, claims and uniqueness after the program (`solvers.z3_checks`, in the worker).
Importing this module imports neither sympy nor z3.
"""
from __future__ import annotations

import time

from solvers.base import Limits, SolverName, SolverResult


def to_result(out: dict, solver: SolverName, parse_s: float = 0.0, started: float | None = None) -> SolverResult:
    total = time.monotonic() - started if started is not None else out.get("run_s", 0.0)
    return SolverResult(
        status=out.get("status", "error"),
        value=out.get("value"),
        message=out.get("message", ""),
        solver=solver,
        number=out.get("number"),
        printed=tuple(out.get("printed", ())),
        parse_s=parse_s,
        run_s=float(out.get("run_s", 0.0)),
        total_s=total,
        details=dict(out.get("details") or {}),
        values={k: list(v) for k, v in (out.get("values") or {}).items()},
    )


class WorkerSolver:
    """A solver of the `Solver` protocol whose programs run in a worker pool under its name."""

    def __init__(self, name: SolverName, pool=None):
        self.name = name
        self._pool = pool

    @property
    def pool(self):
        """The pool given at construction, else the process-wide default pool (looked up each time, so a
        forked child gets its own)."""
        if self._pool is not None:
            return self._pool
        from solvers.sandbox.pool import default_pool
        return default_pool()

    def run(self, source: str, limits: Limits | None = None, *, parse_s: float = 0.0,
            started: float | None = None) -> SolverResult:
        started = time.monotonic() if started is None else started
        out = self.pool.run(self.name, source, limits or Limits())
        return to_result(out, self.name, parse_s=parse_s, started=started)


SOLVERS: dict[str, WorkerSolver] = {"sympy": WorkerSolver("sympy"), "z3": WorkerSolver("z3")}


def get_solver(name: str) -> WorkerSolver:
    """The registered solver called `name` ("sympy" or "z3"); KeyError for any other name."""
    return SOLVERS[name]
