"""Exceptions the interpreter raises inside a worker; each becomes a `SolverResult`, never reaches a caller.

`ProgramError` carries a finished message ("line 3: ...") and the status it maps to. Control flow
(`return`, `break`, `continue`) uses private exceptions that never leave the interpreter.
"""
from __future__ import annotations

from solvers.language import clip


class ProgramError(Exception):
    """A program failed in a way the model can fix; `status` is the result status it maps to."""

    status = "error"

    def __init__(self, message: str, line: int | None = None, details: dict | None = None):
        text = f"line {line}: {message}" if line else message
        super().__init__(clip(text))
        self.message = clip(text)
        self.line = line
        self.details = details or {}


class ProgramTimeout(ProgramError):
    status = "timeout"


class ProgramUnsat(ProgramError):
    status = "unsat"


class ReturnSignal(Exception):
    def __init__(self, value):
        super().__init__()
        self.value = value


class BreakSignal(Exception):
    pass


class ContinueSignal(Exception):
    pass
