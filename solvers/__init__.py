"""Exact, trustworthy machinery for model-written programs: parse, allow-list, interpret in a worker.

Public API:
- `run_program(source, *, timeout_s=5.0, limits=None) -> SolverResult`: run a step-language program
  (PAL-style Python with sympy or z3py) and return its normalised answer; never raises.
- `detect_solver(source) -> "sympy" | "z3" | "none"`: which solver a program needs (no execution).
- `extract_program(text) -> str | None`: the program inside a model's reply.
- `math_verify(gold, prediction, *, timeout_s=5.0) -> bool | None`: Math-Verify's verdict on a prediction,
  computed in the worker process (Math-Verify hands model text to SymPy's parser); None when undecided.
Importing this package imports neither sympy nor z3; the worker processes do.
"""
from __future__ import annotations

import dataclasses
import json
import time

from solvers.base import Limits, Solver, SolverName, SolverResult, Status
from solvers.language import check_program, detect_solver, extract_program
from solvers.sympy_solver import SympySolver, to_result
from solvers.z3_solver import Z3Solver

__all__ = ["run_program", "detect_solver", "extract_program", "Limits", "SolverResult", "Solver",
           "SympySolver", "Z3Solver", "Status", "SolverName", "get_solver", "warm_up", "math_verify"]

_SOLVERS: dict[str, SympySolver] = {}
_DEFAULT_TIMEOUT_S = 5.0


def get_solver(name: SolverName) -> SympySolver:
    """The shared solver instance for "sympy" or "z3"."""
    if name not in _SOLVERS:
        _SOLVERS[name] = Z3Solver() if name == "z3" else SympySolver()
    return _SOLVERS[name]


def warm_up() -> None:
    """Start a solver worker now (sympy and z3 imported), so the first `run_program` call is fast."""
    from solvers.worker import default_pool
    default_pool().warm()


def run_program(source: str, *, timeout_s: float = _DEFAULT_TIMEOUT_S,
                limits: Limits | None = None, solver: SolverName | None = None) -> SolverResult:
    """Run one program under limits and return its result. Never raises.

    A reply with ``` fences is reduced to its program first. The solver is chosen from the program
    itself (`detect_solver`); static errors (syntax, refused constructs) come back without a worker.
    `timeout_s` is the wall-time limit; when `limits` is given and `timeout_s` is left at its default,
    `limits.timeout_s` applies. `solver` ("sympy" or "z3") runs the program with that solver, for a
    caller that has already routed it; None detects it here.
    """
    started = time.monotonic()
    try:
        if not isinstance(timeout_s, (int, float)) or not 0 < timeout_s < 3600:
            return SolverResult("error", None, "timeout_s must be a number of seconds between 0 and 3600",
                                "none", total_s=time.monotonic() - started)
        if limits is None:
            limits = Limits(timeout_s=float(timeout_s))
        elif timeout_s != _DEFAULT_TIMEOUT_S and timeout_s != limits.timeout_s:
            limits = dataclasses.replace(limits, timeout_s=float(timeout_s))
        if isinstance(source, str) and "```" in source:
            source = extract_program(source) or source
        checked = check_program(source, limits)
        parse_s = time.monotonic() - started
        if not checked.ok:
            return SolverResult("error", None, checked.error, "none", parse_s=parse_s,
                                total_s=time.monotonic() - started)
        kind = solver if solver in ("sympy", "z3") else detect_solver(source)
        chosen = get_solver("z3" if kind == "z3" else "sympy")
        out = chosen.pool.run(chosen.name, source, limits)
        return to_result(out, chosen.name, parse_s=parse_s, started=started)
    except Exception as exc:  # noqa: BLE001 - the public entry point never raises
        return SolverResult("error", None, f"internal error: {type(exc).__name__}: {exc}"[:200], "none",
                            total_s=time.monotonic() - started)


def math_verify(gold: str, prediction: str, *, timeout_s: float = 5.0) -> bool | None:
    """Does Math-Verify find `prediction` (model text or an answer) equal to `gold`? Runs in a worker
    process under the usual limits, never in the caller. None when it could not decide (error, timeout)."""
    try:
        if not isinstance(gold, str) or not isinstance(prediction, str) or not 0 < timeout_s < 3600:
            return None
        from solvers.worker import default_pool
        job = json.dumps({"gold": gold, "prediction": prediction})
        out = default_pool().run("math_verify", job, Limits(timeout_s=float(timeout_s)))
    except Exception:  # noqa: BLE001 - a verdict, never an exception
        return None
    value = out.get("value")
    return value if out.get("status") == "ok" and isinstance(value, bool) else None
