"""The SymPy solver: runs a step-language program (plain arithmetic, sympy algebra) in a worker.

The caller side is tiny: build the job, hand it to the worker pool, wrap the dict in a `SolverResult`.
The work itself (`solvers.program.run_plain`) happens in the worker, so importing this module does not
import sympy.
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
    )


class SympySolver:
    """Runs programs whose answer is computed (arithmetic, sympy): status ok/error/timeout."""

    name: SolverName = "sympy"

    def __init__(self, pool=None):
        self._pool = pool

    @property
    def pool(self):
        """The pool given at construction, else the process-wide default pool (looked up each time, so a
        forked child gets its own)."""
        if self._pool is not None:
            return self._pool
        from solvers.worker import default_pool
        return default_pool()

    def run(self, source: str, limits: Limits | None = None) -> SolverResult:
        started = time.monotonic()
        out = self.pool.run(self.name, source, limits or Limits())
        return to_result(out, self.name, started=started)
