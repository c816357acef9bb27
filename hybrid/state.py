"""The typed state that flows through the graph for one question.

Nodes return partial updates of this dict. Fields that accumulate over a run (the trace, the solvers
visited, token counts) carry an `operator.add` reducer so a node appends rather than overwrites.
Run settings that routers need (`max_repairs`) live in the state too, so routers stay pure functions
of the state.
"""
from __future__ import annotations

import operator
from typing import Annotated, Literal, Optional, TypedDict

from hybrid.kinds import Kind
from hybrid.result import TraceStep

Verdict = Literal["accept", "retry"]


class State(TypedDict, total=False):
    # the question
    question: str
    context: Optional[str]
    options: Optional[list[str]]
    kind: Kind
    # settings read by routers
    max_repairs: int
    # the current attempt
    raw: str                        # the model's latest text
    program: Optional[str]          # the program extracted from it (None: no runnable program)
    solver_result: Optional[dict]   # SolverResult.to_dict() of the latest run
    verdict: Verdict                # set by verify
    feedback: str                   # what verify found wrong (goes back to the model on repair)
    repairs: int                    # repair rounds used so far
    # the outcome
    answer: Optional[str]           # the answer (the flexible-extract reading of a fallback's text)
    answer_strict: Optional[str]    # the strict-match reading (a solver's answer reads the same under both)
    reasoning: Optional[str]        # the fallback's text, when plain reasoning answered
    status: Literal["ok", "fallback", "failed"]
    # accumulated
    solvers: Annotated[list[str], operator.add]      # solvers visited, in order
    trace: Annotated[list[TraceStep], operator.add]  # one step per node visit
    prompt_tokens: Annotated[int, operator.add]
    completion_tokens: Annotated[int, operator.add]


def initial_state(
    question: str,
    *,
    kind: Kind,
    context: str | None = None,
    options: list[str] | None = None,
    max_repairs: int = 2,
) -> State:
    """A fresh state for one question."""
    return State(
        question=question, context=context, options=list(options) if options else None, kind=kind,
        max_repairs=max_repairs, raw="", program=None, solver_result=None, verdict="retry", feedback="",
        repairs=0, answer=None, answer_strict=None, reasoning=None, status="failed", solvers=[], trace=[],
        prompt_tokens=0, completion_tokens=0,
    )
