"""Is the answer fixed by the constraints? The checks that follow a z3 program's run (worker side).

A program that reads a model (`m = s.model()`) computes its answer from one solution among possibly many.
The answer is trusted only if another solution would not change it, and that is tested the direct way:
the program is run again, with the check whose model it read made to return a different model, and
the two answers are compared (`check_by_reruns`). The other models asked for are, in order:
- one where the answer's own term differs (`m[x]` read as the answer: x != its value);
- one where any value the program read differs (x != 3 or y != 5 ...);
- ones where a decision the program took on model values goes the other way (`if m[x] > 2`, `int(str(m[x]))`,
  a model value used as an index: recorded by `solvers.interpreter.tracking`).
For an Optimize the optimum stays fixed. Only a different answer (or a failure) is evidence; so a
program whose other models give the same answer (counting solutions, sorting a symmetric pair) is not
flagged, and one whose facts only conflict after the read (a pin, `s.add(False)`) is rerun from the read.
`check_unique` is the exact check for an answer that is a term our own solver evaluated.
"""
from __future__ import annotations

import time

import z3

from solvers.base import Limits
from solvers.errors import ProgramError, ProgramTimeout
from solvers.guards import GuardRefusal
from solvers.interpreter import Interpreter
from solvers.interpreter.tags import is_z3_value, tag_of, z3_text
from solvers.language import check_program
from solvers.normalize import render, z3_value

MAX_RERUNS = 6


class _Clock:
    def __init__(self, deadline: float, limits: Limits):
        self.deadline, self.limits = deadline, limits

    def ms(self) -> int:
        left = self.deadline - time.monotonic()
        if left <= 0.01:
            raise TimeoutError
        return max(10, int(left * 1000))


def _solver(constraints, clock: _Clock) -> z3.Solver:
    s = z3.Solver()
    s.set("timeout", clock.ms())
    for expr, _line in constraints:
        s.add(expr)
    return s


def _check(s: z3.Solver, clock: _Clock, *extra):
    s.set("timeout", clock.ms())
    r = s.check(*extra)
    if r == z3.unknown:
        reason = s.reason_unknown()
        if "timeout" in reason or "canceled" in reason or "resource" in reason:
            raise TimeoutError
        raise ProgramError(f"z3 could not decide the constraints ({reason}); simplify the quantifiers "
                           "or use finite variables")
    return r


def numeral(value, term=None):
    """`value` as a z3 value of `term`'s sort (None when it has no such form)."""
    from fractions import Fraction

    if isinstance(value, z3.ExprRef):
        return value if is_z3_value(value) else None
    if isinstance(term, z3.BitVecRef) and isinstance(value, int) and not isinstance(value, bool):
        return z3.BitVecVal(value, term.size())
    if isinstance(value, bool):
        return z3.BoolVal(value)
    if isinstance(value, int):
        return z3.IntVal(value)
    if isinstance(value, Fraction):
        return z3.RealVal(f"{value.numerator}/{value.denominator}")
    return None


def check_unique(term, plain, constraints, clock: _Clock) -> tuple[str, str]:
    """('unique' | 'ambiguous' | 'unknown' | 'unchecked', message) for a term our own solver evaluated
    under `constraints` [(expr, line)]."""
    value = numeral(plain, term)
    if value is None:
        return "unchecked", ""
    s = _solver(constraints, clock)
    try:
        s.add(term != value)
    except z3.Z3Exception:
        return "unchecked", ""
    r = s.check()
    if r == z3.unsat:
        return "unique", ""
    if r == z3.unknown:
        return "unknown", ""
    other = render(z3_value(s.model().eval(term, model_completion=True)))[0]
    return "ambiguous", (f"answer not unique: {z3_text(term, 40)} = {render(plain)[0]} here, but {other} also "
                         "satisfies the constraints (add the missing constraints)")


def _candidates(interp: Interpreter, answer) -> list[tuple[tuple[int, int], object, str]]:
    """((solver index, check number), other model's condition, what differs), most telling first: the
    answer's own terms at the check they were read from, then any read value different at each check
    (latest first), then the decisions on model values, latest first."""
    records = interp.tracker.records
    out: list[tuple[tuple[int, int], object, str]] = []

    def add(record, check_no, formula, why: str) -> None:
        if record is None or not check_no or not isinstance(formula, z3.BoolRef):
            return
        try:
            fixed = [expr == value for expr, value in record.optima]
            formula = z3.And(formula, *fixed) if fixed else formula
        except z3.Z3Exception:
            return
        out.append(((records.index(record), check_no), formula, why))

    def last_read(record) -> int:
        return max(record.reads) if record is not None and record.reads else 0

    for part in _parts(answer):
        tag = tag_of(part)
        value = numeral(z3_value(part), tag[0]) if tag else None
        if tag and value is not None:
            check_no = tag[2] if len(tag) > 2 and tag[2] else last_read(tag[1])
            try:
                add(tag[1], check_no, tag[0] != value,
                    f"{z3_text(tag[0], 30)} other than {render(z3_value(part))[0]}")
            except z3.Z3Exception:
                pass
    for record in records:
        for check_no in sorted(record.reads, reverse=True):
            differs = []
            for term, value in record.reads[check_no].values():
                try:
                    differs.append(term != value)
                except z3.Z3Exception:
                    continue
            if differs:
                add(record, check_no, z3.Or(differs), "any value read from the model other")
    for shadow, outcome, record in reversed(list(interp.tracker.conditions.values())):
        add(record, last_read(record), z3.Not(shadow) if outcome else shadow,
            f"{z3_text(shadow, 30)} not {outcome}")
    return out


UNDECIDED = "<undecided>"


def _answer_of(source: str, limits: Limits, deadline: float, inject: dict, kind: str):
    """The program's answer text when run with `inject`; "<error: ...>" when it fails on the other model;
    UNDECIDED when z3 could not decide whether such a model exists; None when none exists."""
    checked = check_program(source, limits)
    interp = Interpreter(source, limits, deadline)
    interp.tracker.inject = inject
    try:
        interp.run(checked.tree)
        failure = None
    except ProgramTimeout:
        raise TimeoutError from None  # out of time while checking: a timeout, not an ambiguity
    except (ProgramError, RecursionError, GuardRefusal) as exc:
        failure = f"<error: {getattr(exc, 'message', None) or exc}>"
    outcomes = interp.tracker.injected
    if any(r == z3.sat for r in outcomes):
        return failure or answer_text(interp, kind)
    if any(r == z3.unknown for r in outcomes) or (failure and not outcomes):
        return UNDECIDED
    return None


def answer_text(interp: Interpreter, kind: str) -> str:
    """What two runs of a program are compared on: its answer's text, or its options' or claim's truth."""
    from solvers.program import find_answer

    g = interp.globals
    if kind == "options":
        return repr(sorted((str(k), render(z3_value(interp.to_z3_arg(v)))[0]) for k, v in g["options"].items()))
    if kind == "claim":
        return render(z3_value(interp.to_z3_arg(g["claim"])))[0]
    found, value, _where = find_answer(interp, last_assignment=False)
    return render(z3_value(value))[0] if found else "<no answer>"


def check_by_reruns(source: str, limits: Limits, deadline: float, interp: Interpreter, answer, kind: str,
                    clock: _Clock) -> str:
    """'' when no other model the program's solver could have given changes its result; else a message."""
    if any(r.unbounded and r.read_check for r in interp.tracker.records):
        return ("the objective has no optimum (it is unbounded, or only approached): bound the variables, "
                "so that a best solution exists")
    here = answer_text(interp, kind)
    tried = set()
    for key, formula, why in _candidates(interp, answer):
        if len(tried) >= MAX_RERUNS:
            break
        text = formula.sexpr()
        if (key, text) in tried:
            continue
        tried.add((key, text))
        clock.ms()  # raises TimeoutError when no time is left
        other = _answer_of(source, limits, deadline, {key: formula}, kind)
        if other == UNDECIDED:
            return (f"answer not known to be unique: z3 could not decide whether a model with {why} exists "
                    "(add constraints that fix the answer)")
        if other is not None and other != here:
            return (f"answer not unique: with {why} (another model of the constraints) the program gives "
                    f"{other} instead of {here} (add the missing constraints)")
    return ""


def decided_here(interp: Interpreter, conditions) -> bool:
    """Options or a claim whose truth the program computed from a model (True/False already), not
    formulas that the constraints must entail."""
    for cond in conditions:
        cond = interp.to_z3_arg(cond) if not isinstance(cond, bool) else cond
        if isinstance(cond, bool) or isinstance(cond, z3.BoolRef) and is_z3_value(z3.simplify(cond)):
            return True
    return False


def _parts(value) -> list:
    """An answer's parts: the elements of containers, nested, else the answer itself (at most 100)."""
    out, stack = [], [value]
    while stack and len(out) < 100:
        item = stack.pop()
        if isinstance(item, (list, tuple, set, frozenset)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        else:
            out.append(item)
    return out
