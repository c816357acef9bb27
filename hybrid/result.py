"""The public result of solving one question, and the trace steps it is made of.

Plain frozen dataclasses so that the CLI, the eval harness and embedding programs read the same fields and
can turn them into JSON with `to_dict()`.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

ResultStatus = Literal["ok", "fallback", "failed"]
Route = Literal["sympy", "z3", "sympy+z3", "fallback", "none"]


@dataclass(frozen=True)
class TraceStep:
    """One visit to one graph node."""

    node: str                      # "propose", "stated_facts", "sympy", "z3", "verify", "repair", "fallback", "answer"
    input: str = ""                # what the node was given (prompt summary, program text, ...)
    output: str = ""               # what it produced (model text, verdict, ...)
    solver: dict | None = None     # SolverResult.to_dict() for solver nodes
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    note: str = ""                 # what the node changed or noticed (e.g. facts dropped from a formalization)


@dataclass(frozen=True)
class Result:
    """The answer to one question and how it was reached.

    status: "ok" (a solver answered and the answer was verified), "fallback" (plain reasoning answered
    after the symbolic route was exhausted), "failed" (no answer at all).
    route: which solver(s) produced the answer; "fallback" when plain reasoning did.
    answers: the answer under each reader of `hybrid.answers`, {"strict-match": ..., "flexible-extract": ...};
        `answer` is the flexible-extract one. A solver's answer reads the same under both.
    reasoning: the plain-reasoning text the fallback wrote (what `answers` were read from), else None.
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
    extra: dict = field(default_factory=dict)

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def to_dict(self) -> dict:
        return asdict(self)
