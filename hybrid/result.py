"""The public result of solving one question, and the trace steps it is made of.

Plain frozen dataclasses so that the CLI, the eval harness and embedding programs read the same fields and
can turn them into JSON with `to_dict()`.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

ResultStatus = Literal["ok", "fallback", "unsure", "failed"]
Route = Literal["sympy", "z3", "sympy+z3", "fallback", "none"]


@dataclass(frozen=True)
class TraceStep:
    """One visit to one graph node."""

    node: str                      # "propose", "stated_facts", "sympy", "z3", "samples", "vote", "verify", "repair",
    #                                "fallback", "reconcile", "answer", "unsure"; steps mode: "propose_step", "repair_step",
    #                                "observe"
    input: str = ""                # what the node was given (prompt summary, program text, ...)
    output: str = ""               # what it produced (model text, verdict, ...)
    solver: dict | None = None     # SolverResult.to_dict() for solver nodes
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    note: str = ""                 # what the node changed or noticed (e.g. facts dropped from a formalization)
    provenance: dict | None = None  # steps mode: observe, the step ({"step", "attempt", "code", "solver",
    #                                 "status", "values", "uses", "final"}); answer, {"step", "solver", "name"}


@dataclass(frozen=True)
class Result:
    """The answer to one question and how it was reached.

    status: "ok" (a solver answered and the answer was verified), "fallback" (plain reasoning answered
    after the symbolic route was exhausted), "unsure" (asked to abstain, the engine would not guess: no
    verified answer, or a vote below min_confidence), "failed" (no answer at all).
    confidence: the answer's share of the programs written for the question (k samples plus repairs):
        1.0 for one program accepted at once, 3/5 for a vote of 3 in 5; for "unsure", the best share
        there was (None when nothing was verified); None for plain reasoning.
    route: which solver(s) produced the answer; "fallback" when plain reasoning did.
    answers: the answer under each reader of `hybrid.answers`, {"strict-match": ..., "flexible-extract": ...};
        `answer` is the flexible-extract one. A solver's answer reads the same under both.
    fallback_used: plain reasoning gave the answer (the symbolic route had no verified answer). After a vote
        below min_confidence, plain reasoning only picks among the programs' answers (`extra["reconciled"]`:
        "agreed" or "vote"): the answer is a program's, status "ok", and fallback_used False.
    reasoning: the plain-reasoning text the fallback wrote (what `answers` were read from, unless the
        answer was reconciled with a vote), else None.
    """

    question: str
    answer: str | None
    status: ResultStatus
    route: Route
    fallback_used: bool
    repairs: int = 0
    program: str | None = None
    trace: tuple[TraceStep, ...] = ()
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    id: str | None = None
    answers: dict = field(default_factory=dict)
    reasoning: str | None = None
    confidence: float | None = None
    extra: dict = field(default_factory=dict)

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def to_dict(self) -> dict:
        return asdict(self)
