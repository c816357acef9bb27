"""Exact, trustworthy machinery for model-written programs: parse, allow-list, interpret in a confined worker.

Public API:
- `run_program(source, *, timeout_s=5.0, limits=None, solver=None) -> SolverResult`: run a step-language
  program (PAL-style Python with sympy or z3py) and return its normalised answer; never raises.
- `detect_solver(source) -> "sympy" | "z3" | "none"`: which solver a program needs (no execution).
- `extract_program(text) -> str | None`: the program inside a model's reply.
- `math_verify(gold, prediction, *, timeout_s=5.0) -> bool | None`: Math-Verify's verdict on a prediction,
  computed in a confined job process (Math-Verify hands model text to SymPy's parser); None when undecided.
- `warm_up()`: start a worker now, so the first call does not wait for it.
- `sandbox_layers() -> dict`: which operating-system layers confine the workers on this machine.
Importing this package imports neither sympy nor z3; the worker processes do.
"""
from __future__ import annotations

import dataclasses
import json
import time

from solvers.base import Limits, Solver, SolverName, SolverResult, Status
from solvers.extraction import extract_program
from solvers.language import check_program, detect_solver
from solvers.solver import SOLVERS, get_solver

__all__ = ["run_program", "detect_solver", "extract_program", "math_verify", "warm_up", "sandbox_layers",
           "Limits", "SolverResult", "Solver", "Status", "SolverName", "get_solver", "SOLVERS"]

_DEFAULT_TIMEOUT_S = 5.0
MAX_REPLY_CHARS = 100_000  # a model reply longer than this is refused before anything reads it


def warm_up() -> None:
    """Start a worker of the default pool now (sympy and z3 imported, confined), so the first
    `run_program` call is fast."""
    from solvers.sandbox.pool import default_pool

    default_pool().warm()


def sandbox_layers() -> dict[str, str]:
    """{layer: "on" | "off: why"} as reported by a worker of the default pool (starting one if needed)."""
    from solvers.sandbox.pool import default_pool

    pool = default_pool()
    if not pool.layers:
        pool.warm()
    return dict(pool.layers)


def _error(message: str, started: float, parse_s: float = 0.0) -> SolverResult:
    from solvers.sandbox.replies import clip_message

    return SolverResult("error", None, clip_message(message), "none", parse_s=parse_s,
                        total_s=time.monotonic() - started)


def run_program(source: str, *, timeout_s: float = _DEFAULT_TIMEOUT_S, limits: Limits | None = None,
                solver: SolverName | None = None) -> SolverResult:
    """Run one program under limits and return its result. Never raises.

    A reply with ``` fences is reduced to its program first (after a length check, so a huge reply costs
    nothing). `solver` ("sympy" or "z3") names the solver a router already chose; None decides it here
    from the program's imports (`detect_solver`). Static errors (syntax, refused constructs) come back
    without a worker. `timeout_s` bounds the whole call, the wait for a free worker included; when
    `limits` is given and `timeout_s` is left at its default, `limits.timeout_s` applies.
    """
    started = time.monotonic()
    try:
        if isinstance(timeout_s, bool) or not isinstance(timeout_s, (int, float)) or not 0 < timeout_s < 3600:
            return _error("timeout_s must be a number of seconds between 0 and 3600", started)
        if limits is None:
            limits = Limits(timeout_s=float(timeout_s))
        elif timeout_s != _DEFAULT_TIMEOUT_S and timeout_s != limits.timeout_s:
            limits = dataclasses.replace(limits, timeout_s=float(timeout_s))
        if not isinstance(source, str):
            return _error("the program must be text", started)
        if len(source) > max(MAX_REPLY_CHARS, limits.max_source_chars):
            return _error(f"reply too long ({len(source)} characters; limit {MAX_REPLY_CHARS})", started)
        if "```" in source:
            source = extract_program(source) or source
        checked = check_program(source, limits)
        parse_s = time.monotonic() - started
        if not checked.ok:
            return _error(checked.error, started, parse_s)
        name = solver if solver in SOLVERS else ("z3" if detect_solver(source) == "z3" else "sympy")
        left = limits.timeout_s - (time.monotonic() - started)  # extraction and parsing are on the clock too
        if left <= 0:
            return SolverResult("timeout", None, f"timed out after {limits.timeout_s:g}s reading the reply",
                                "none", parse_s=parse_s, total_s=time.monotonic() - started)
        limits = dataclasses.replace(limits, timeout_s=left)
        return get_solver(name).run(source, limits, parse_s=parse_s, started=started)
    except Exception as exc:  # noqa: BLE001 - the public entry point never raises
        return _error(f"internal error: {type(exc).__name__}: {exc}", started)


def math_verify(gold: str, prediction: str, *, timeout_s: float = 5.0) -> bool | None:
    """Does Math-Verify find `prediction` (model text or an answer) equal to `gold`? Runs in a confined job
    process under the usual limits, never in the caller. None when it could not decide (error, timeout)."""
    try:
        if not isinstance(gold, str) or not isinstance(prediction, str) or not 0 < timeout_s < 3600:
            return None
        if len(gold) + len(prediction) > MAX_REPLY_CHARS:
            return None
        from solvers.sandbox.pool import checking_pool

        job = json.dumps({"gold": gold, "prediction": prediction})
        out = checking_pool().run("math_verify", job, Limits(timeout_s=float(timeout_s)))
    except Exception:  # noqa: BLE001 - a verdict, never an exception
        return None
    if out.get("status") != "ok":
        return None
    return {"True": True, "False": False}.get(out.get("value"))
