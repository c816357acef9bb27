"""Routers: pure functions of the state that pick the next node. None of them asks the model anything.

- `route_program` follows the program the model wrote: z3 constructs -> "z3"; sympy or plain arithmetic
  (or anything else that is a program: its solver message drives the repair) -> "sympy"; no program at
  all -> "fallback" (plain reasoning). The solver node runs the program with the solver named here, so
  the route is decided once.
- `route_verdict` follows the verifier: accepted -> "answer"; rejected with repair rounds left ->
  "repair"; rejected with none left -> "fallback".
What kind of question it is (math or logic, and the logic prompt family) is decided before the graph
runs, by `hybrid.kinds`.
"""
from __future__ import annotations

from typing import Literal

from hybrid.state import State

ProgramRoute = Literal["sympy", "z3", "fallback"]
VerdictRoute = Literal["answer", "repair", "fallback"]


def _detect(program: str) -> str:
    from solvers import detect_solver  # lazy: keeps the CLI start-up path light

    try:
        return detect_solver(program)
    except Exception:  # a detector bug must not crash the graph; the solver reports the problem
        return "none"


def route_program(state: State) -> ProgramRoute:
    """Where the latest program goes: a pure function of the program text."""
    program = state.get("program")
    if not program or not program.strip():
        return "fallback"
    return "z3" if _detect(program) == "z3" else "sympy"


def route_verdict(state: State) -> VerdictRoute:
    """What follows verification: answer, another repair round, or plain reasoning."""
    if state.get("verdict") == "accept":
        return "answer"
    if state.get("repairs", 0) < state.get("max_repairs", 2):
        return "repair"
    return "fallback"
