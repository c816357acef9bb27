"""Run one program in the worker and find its answer; shared by the SymPy and Z3 solvers.

The answer is, in order: the value assigned to `answer`, the return value of `solution()` (PAL style,
called with no arguments if the program did not assign `answer`), the last printed value, (notebook style)
the value of a bare expression that ends the program, or else the value of the module-level name assigned
last (`total = ...`, the ending small models often write). `details["answer_from"]` says which. An ok result
carries the program's named scalars in `values` (`solvers.named_values`), for later reasoning steps. Results are
plain dicts (the worker sends them over a pipe); `solvers.base.SolverResult` is built in the caller.
"""
from __future__ import annotations

from solvers.base import Limits
from solvers.guards import GuardRefusal
from solvers.errors import ProgramError
from solvers.interpreter import Builtin, Interpreter, UserFunction, Wrapped
from solvers.language import check_program, clip
from solvers.interpreter.allowlists import Namespace
from solvers.normalize import exceeds, render

MAX_ANSWER_ELEMENTS = 10_000

NO_ANSWER = ("no answer: assign the final value to `answer`, return it from solution(), or print it")


def result(status: str, value=None, message: str = "", number=None, printed=(), details=None,
           values=None) -> dict:
    return {"status": status, "value": value, "message": clip(message) if message else "",
            "number": number, "printed": tuple(printed), "details": details or {}, "values": values or {}}


def failure(exc: ProgramError, interp: Interpreter | None = None) -> dict:
    return result(exc.status, message=exc.message, printed=interp.printed if interp else (),
                  details=exc.details)


def interpret(source: str, limits: Limits, deadline: float) -> tuple[Interpreter | None, dict | None]:
    """Check and run a program. Returns the interpreter, and an error result if it failed."""
    checked = check_program(source, limits)
    if not checked.ok:
        return None, result("error", message=checked.error)
    interp = Interpreter(source, limits, deadline)
    try:
        interp.run(checked.tree)
    except ProgramError as exc:
        return interp, failure(exc, interp)
    except GuardRefusal as exc:  # SymPy, hardened for the worker, refused an operation deep in a call
        return interp, result("error", message=f"line {interp.line}: refused: {exc}", printed=interp.printed)
    except RecursionError:
        return interp, result("error", message=f"line {interp.line}: recursion too deep", printed=interp.printed)
    return interp, None


def find_answer(interp: Interpreter, last_assignment: bool = True) -> tuple[bool, object, str]:
    """(found, value, where). May raise ProgramError while calling solution(). A z3 formalization passes
    last_assignment=False: its last assignments are declarations and check results, not answers."""
    g = interp.globals
    if "answer" in g:
        value = g["answer"]
        if isinstance(value, UserFunction):
            value = interp.call(value, [], {}, None)
        return True, value, "answer"
    solution = g.get("solution")
    if isinstance(solution, UserFunction):
        return True, interp.call(solution, [], {}, None), "solution()"
    if interp.has_print:
        return True, interp.last_print, "print"
    final = interp.final_value
    if final is not None and final[0] is interp.final_node and _answer_like(final[1]):
        return True, final[1], "last expression"
    for name in reversed(interp.assigned if last_assignment else {}):
        value = g.get(name)
        if _value_like(value):
            return True, value, f"last assignment ({name})"
    return False, None, ""


def _value_like(value) -> bool:
    """A value a last assignment may contribute: a number, text, a sympy number or a value read out of a
    z3 model; not a truth value, a container, a declaration (x = Int('x')) or a symbolic expression."""
    import sympy
    from fractions import Fraction

    from solvers.interpreter.tags import is_z3_value

    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float, Fraction, str)):
        return True
    if isinstance(value, sympy.Basic) and not isinstance(value, type):
        return bool(getattr(value, "is_number", False))
    return is_z3_value(value)


def _answer_like(value) -> bool:
    """Values a bare final expression may contribute (not None, solvers, models, sat results, ...)."""
    import sympy
    import z3
    from fractions import Fraction
    if isinstance(value, (int, float, Fraction, str, list, tuple, dict, set)):
        return True
    return isinstance(value, (sympy.Basic, z3.ExprRef)) and not isinstance(value, type)


def bad_answer(value) -> str:
    """A message when the answer value cannot be an answer, else ''."""
    if value is None:
        return "the answer is None (did solution() return a value?)"
    if isinstance(value, (UserFunction, Builtin, Wrapped, Namespace)):
        return "the answer is a function or module, not a value (did you forget to call it?)"
    if exceeds(value, MAX_ANSWER_ELEMENTS):
        return f"the answer is too large to report (more than {MAX_ANSWER_ELEMENTS} elements)"
    return ""


def ok(interp: Interpreter, value, details: dict | None = None) -> dict:
    from solvers.named_values import collect

    text, number = render(value)
    if len(text) > 2000:
        text = text[:1997] + "..."
    return result("ok", value=text, number=number, printed=interp.printed, details=details, values=collect(interp, value))


def run_plain(source: str, limits: Limits, deadline: float) -> dict:
    """The SymPy solver's run: interpret, then report the answer."""
    interp, error = interpret(source, limits, deadline)
    if error is not None:
        return error
    try:
        found, value, where = find_answer(interp)
    except ProgramError as exc:
        return failure(exc, interp)
    if not found:
        return result("error", message=NO_ANSWER, printed=interp.printed)
    problem = bad_answer(value)
    if problem:
        return result("error", message=problem, printed=interp.printed)
    try:
        return ok(interp, value, {"answer_from": where})
    except GuardRefusal as exc:  # rendering the answer evaluates it
        return result("error", message=f"refused while reporting the answer: {exc}", printed=interp.printed)
