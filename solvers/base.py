"""The one solver protocol and its frozen result type.

Every solver (SymPy, Z3) takes a program written in the step language plus limits and returns a
`SolverResult`. Nothing here raises on bad programs: every failure is a result with a status and a short
message that a model can act on.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal, Protocol

Status = Literal["ok", "error", "timeout", "unsat", "ambiguous"]
SolverName = Literal["sympy", "z3", "none"]


@dataclass(frozen=True)
class Limits:
    """Bounds applied to one program run. Defaults suit word problems and small logic puzzles."""

    timeout_s: float = 5.0
    memory_mb: int = 512
    max_source_chars: int = 20_000
    max_ast_depth: int = 40
    max_loop_iterations: int = 100_000
    max_int_bits: int = 4_096
    max_exponent: int = 10_000
    max_collection_len: int = 100_000
    max_string_len: int = 100_000
    max_call_depth: int = 50


@dataclass(frozen=True)
class SolverResult:
    """What one run of a program produced.

    value: the normalised answer as text ("7", "2.5", "1/3", "True", "C"), or None.
    number: the same answer as a float when it is numeric, else None.
    message: empty when ok; otherwise short and specific ("line 3: name 'foo' is not allowed").
    values: when ok, the program's named scalars, {name: [kind, text, reported]} (`solvers.named_values`).
    """

    status: Status
    value: str | None
    message: str = ""
    solver: SolverName = "none"
    number: float | None = None
    printed: tuple[str, ...] = ()
    parse_s: float = 0.0
    run_s: float = 0.0
    total_s: float = 0.0
    details: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_dict(self) -> dict:
        return asdict(self)


class Solver(Protocol):
    """A solver runs one step-language program under limits and never raises."""

    name: SolverName

    def run(self, source: str, limits: Limits) -> SolverResult: ...
