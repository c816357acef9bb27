"""Routers: pure functions of the state that pick the next node. None of them asks the model anything.

- `route_program` follows the program the model wrote: k sampled programs -> "samples" (each runs with
  its own solver, then they vote); z3 constructs -> "z3"; sympy or plain arithmetic (or anything else that
  is a program: its solver message drives the repair) -> "sympy"; no program at all -> "fallback" (plain
  reasoning). The solver node runs the program with the solver named here, so the route is decided once.
- `route_verdict` follows the verifier: accepted -> "answer"; rejected with repair rounds left ->
  "repair"; rejected with none left -> "fallback", or "unsure" where the caller asked to abstain.
- `route_vote` follows the vote: a winner holding at least `min_confidence` of the programs -> "answer";
  no verified answer but a program to repair and rounds left -> "repair"; otherwise "fallback", or
  "unsure" where the caller asked to abstain.
- `route_fallback`: after plain reasoning, "reconcile" where a vote had a winner below the bar (plain
  reasoning then picks among the programs' answers), else the end ("__end__").
Steps mode (`hybrid.step_nodes`):
- `route_mode` (at the start): "propose" (one program) or "propose_step" (the step loop), from the state's mode.
- `route_step` follows the pending step's own code (not the earlier values put in front of it): z3
  constructs -> "z3"; anything else that is code -> "sympy"; no code (a last line) -> "observe".
- `route_solved`: after a solver, "verify" in program mode, "observe" in steps mode.
- `route_observe`: the final step -> "verify"; a kept step with steps left -> "propose_step"; a failed
  step with repair rounds left -> "repair_step" (that step alone); otherwise, the step limit reached or
  the rounds spent, -> "fallback", or "unsure" where the caller asked to abstain.
What kind of question it is (math or logic, and the logic prompt family) is decided before the graph
runs, by `hybrid.kinds`.
"""
from __future__ import annotations

from typing import Literal

from hybrid.state import State

ProgramRoute = Literal["sympy", "z3", "samples", "fallback"]
VoteRoute = Literal["answer", "repair", "fallback", "unsure"]
FallbackRoute = Literal["reconcile", "__end__"]  # "__end__" is LangGraph's END
VerdictRoute = Literal["answer", "repair", "repair_step", "fallback", "unsure"]
ModeRoute = Literal["propose", "propose_step"]
StepRoute = Literal["sympy", "z3", "observe"]
SolvedRoute = Literal["verify", "observe"]
ObserveRoute = Literal["propose_step", "repair_step", "verify", "fallback", "unsure"]


def _detect(program: str) -> str:
    from solvers import detect_solver  # lazy: keeps the CLI start-up path light

    try:
        return detect_solver(program)
    except Exception:  # a detector bug must not crash the graph; the solver reports the problem
        return "none"


def route_program(state: State) -> ProgramRoute:
    """Where the latest program goes: a pure function of the program text."""
    candidates = state.get("candidates") or []
    if len(candidates) > 1 and not state.get("sampled") and any(c.get("program") for c in candidates):
        return "samples"
    program = state.get("program")
    if not program or not program.strip():
        return "fallback"
    return "z3" if _detect(program) == "z3" else "sympy"


def _give_up(state: State) -> Literal["fallback", "unsure"]:
    return "unsure" if state.get("abstain") else "fallback"


def route_verdict(state: State) -> VerdictRoute:
    """What follows verification: answer, another repair round, or plain reasoning (or abstention)."""
    if state.get("verdict") == "accept":
        return "answer"
    if state.get("repairs", 0) < state.get("max_repairs", 2):
        return "repair_step" if state.get("mode") == "steps" else "repair"
    return _give_up(state)


def route_mode(state: State) -> ModeRoute:
    """Where a question starts: the step loop in steps mode, else one program."""
    return "propose_step" if state.get("mode") == "steps" else "propose"


def route_step(state: State) -> StepRoute:
    """Where the pending step goes: a pure function of the step's own code."""
    code = (state.get("pending") or {}).get("code")
    if not code or not code.strip():
        return "observe"
    return "z3" if _detect(code) == "z3" else "sympy"


def route_solved(state: State) -> SolvedRoute:
    """After a solver: the verifier (one program) or observe (a step)."""
    return "observe" if state.get("mode") == "steps" else "verify"


def route_observe(state: State) -> ObserveRoute:
    """After a step: the verifier, the next step, this step again, or plain reasoning (or abstention)."""
    outcome = state.get("outcome")
    if outcome == "done":
        return "verify"
    if outcome == "next":
        return "propose_step"
    if outcome == "retry" and state.get("repairs", 0) < state.get("max_repairs", 2):
        return "repair_step"
    return _give_up(state)


def route_vote(state: State) -> VoteRoute:
    """What follows the vote: its answer, a repair of a failed sample, or plain reasoning (or abstention)."""
    vote = state.get("vote") or {}
    confidence = vote.get("confidence")
    if confidence is not None:
        return "answer" if confidence >= state.get("min_confidence", 0.5) else _give_up(state)
    if state.get("program") and state.get("repairs", 0) < state.get("max_repairs", 2):
        return "repair"
    return _give_up(state)


def route_fallback(state: State) -> FallbackRoute:
    """After plain reasoning: reconcile it with a vote that had a winner (below the bar), else the end."""
    vote = state.get("vote") or {}
    return "reconcile" if vote.get("winner") is not None and state.get("mode") != "steps" else "__end__"
