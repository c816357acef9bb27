"""The typed state that flows through the graph for one question.

Nodes return partial updates of this dict. Fields that accumulate over a run (the trace, the solvers
visited, token counts) carry an `operator.add` reducer so a node appends rather than overwrites.
Run settings that routers need (`max_repairs`, `abstain`, `min_confidence`) live in the state too, so
routers stay pure functions of the state. With k sampled programs (`EngineSettings.samples`), propose
leaves them in `candidates`, the samples node their solver results in `sampled`, and the vote node its
tally in `vote`; below the bar, reconcile records in `reconciled` and `chosen` which group answered. In steps mode (`mode`), every attempt at a step is a record in `steps` (its code, solver,
values, the earlier values it used, whether it was kept), `pending` is the step being tried, `outcome`
what observe made of it, and `answer_from` names the step and solver the final answer came from.
"""
from __future__ import annotations

import operator
from typing import Annotated, Literal, Optional, TypedDict

from hybrid.kinds import Kind
from hybrid.result import TraceStep

Verdict = Literal["accept", "retry"]
Outcome = Literal["next", "done", "retry", "limit"]


class State(TypedDict, total=False):
    # the question
    question: str
    context: Optional[str]
    options: Optional[list[str]]
    kind: Kind
    # settings read by routers
    max_repairs: int
    abstain: bool                   # "unsure" instead of plain reasoning when the solvers cannot answer
    min_confidence: float           # the share of the k programs a vote's winner needs
    mode: Literal["program", "steps"]  # one program per question, or the step loop
    max_steps: int                  # steps mode: the steps allowed before the answer is due
    # the current attempt
    raw: str                        # the model's latest text
    program: Optional[str]          # the program extracted from it (None: no runnable program)
    solver_result: Optional[dict]   # SolverResult.to_dict() of the latest run
    verdict: Verdict                # set by verify
    feedback: str                   # what verify found wrong (goes back to the model on repair)
    repairs: int                    # repair rounds used so far
    # k sampled programs (samples > 1)
    candidates: list[dict]          # propose's k replies: {"raw", "program"}, sample 1 the greedy one
    sampled: list[dict]             # each candidate's run: {"program", "solver_result"}
    vote: Optional[dict]            # the vote: per sample its answer and vote, the groups, the winner
    confidence: Optional[float]     # the answer's share of the programs written for the question
    reconciled: Optional[Literal["agreed", "vote"]]  # below the bar: plain reasoning agreed with a group, or
    #                                 with none (the vote's winner answers); None otherwise
    chosen: Optional[str]           # the vote group that answered after reconcile
    # steps mode
    steps: list[dict]               # every attempt at a step, in order (hybrid.step_nodes)
    pending: Optional[dict]         # the step being tried: {"n", "attempt", "code", "raw", "used"}
    outcome: Outcome                # set by observe
    answer_from: Optional[dict]     # {"step", "solver", "name"}: where the final answer came from
    # the outcome
    answer: Optional[str]           # the answer (the flexible-extract reading of a fallback's text)
    answer_strict: Optional[str]    # the strict-match reading (a solver's answer reads the same under both)
    reasoning: Optional[str]        # the fallback's text, when plain reasoning answered
    status: Literal["ok", "fallback", "unsure", "failed"]
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
    abstain: bool = False,
    min_confidence: float = 0.5,
    mode: str = "program",
    max_steps: int = 4,
) -> State:
    """A fresh state for one question."""
    return State(
        question=question, context=context, options=list(options) if options else None, kind=kind,
        max_repairs=max_repairs, abstain=abstain, min_confidence=min_confidence, raw="", program=None,
        solver_result=None, verdict="retry", feedback="", repairs=0, candidates=[], sampled=[], vote=None,
        confidence=None, reconciled=None, chosen=None, mode=mode, max_steps=max_steps, steps=[], pending=None, outcome="next",
        answer_from=None, answer=None, answer_strict=None, reasoning=None, status="failed", solvers=[], trace=[],
        prompt_tokens=0, completion_tokens=0,
    )
