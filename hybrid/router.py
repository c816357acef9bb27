"""Routers: pure functions that pick the next node. None of them asks the model anything.

- `logic_style` picks the logic prompt family: "truth" for true/false statements, "order" otherwise.
- `classify` decides once, from the question's shape, whether it is a math or a logic question.
- `route_program` follows the program the model wrote: z3 constructs -> "z3"; sympy or plain arithmetic
  (or anything else that is a program: its solver message drives the repair) -> "sympy"; no program at
  all -> "fallback" (plain reasoning).
- `route_verdict` follows the verifier: accepted -> "answer"; rejected with repair rounds left ->
  "repair"; rejected with none left -> "fallback".
"""
from __future__ import annotations

import re
from typing import Literal

from hybrid.state import Kind, State

ProgramRoute = Literal["sympy", "z3", "fallback"]
LogicStyle = Literal["order", "truth"]
VerdictRoute = Literal["answer", "repair", "fallback"]

_LOGIC_WORDS = re.compile(
    r"\b(?:knights?|knaves?|true or false|which of the following|to the (?:left|right) of|"
    r"(?:second|third) from the (?:left|right)|leftmost|rightmost|who owns)\b",
    re.I,
)


def classify(question: str, context: str | None = None, options: list[str] | None = None) -> Kind:
    """"logic" for questions with options, or whose words are those of orderings, knights and knaves,
    ownership puzzles or true/false statements; "math" otherwise."""
    if options:
        return "logic"
    text = f"{context or ''}\n{question}"
    return "logic" if _LOGIC_WORDS.search(text) else "math"


_TRUE_FALSE = {"true", "false"}


def logic_style(question: str, options: list[str] | None = None) -> LogicStyle:
    """"truth" when the options read True/False (or, without options, the question asks "true or
    false"); "order" for every other logic question (orderings and other lettered-option puzzles)."""
    if options:
        texts = {re.sub(r"^\(?[A-Za-z]\)\s*|[.\s]+$", "", o).strip().lower() for o in options}
        return "truth" if texts and texts <= _TRUE_FALSE | {"unknown"} else "order"
    return "truth" if re.search(r"\btrue or false\b", question, re.I) else "order"


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
