"""Is the answer fixed by the constraints? The checks that follow a z3 program's run (worker side).

- `check_unique`: the answer's term can take no other value under the program's constraints (the optimum
  kept for an Optimize, soft constraints included; pins and blocks built from model values left out).
- `check_path`: every decision the program took on model values where their tags were lost
  (`int(str(m[x]))`, `[i for i in range(9) if m[x] == i]`, a model value as an index) is fixed too.
Plus the clock and the solver helpers that `solvers.z3_checks` shares.
"""
from __future__ import annotations

import time

import z3

from solvers.base import Limits
from solvers.errors import ProgramError
from solvers.interpreter import Interpreter
from solvers.interpreter.tags import is_z3_value, z3_text
from solvers.normalize import render, z3_value


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


def _numeral(value, term=None):
    """`value` as a z3 value of `term`'s sort (None when it has no such form)."""
    if isinstance(value, z3.ExprRef):
        return value if is_z3_value(value) else None
    if isinstance(term, z3.BitVecRef) and isinstance(value, int) and not isinstance(value, bool):
        return z3.BitVecVal(value, term.size())
    if isinstance(value, bool):
        return z3.BoolVal(value)
    if isinstance(value, int):
        return z3.IntVal(value)
    try:
        from fractions import Fraction
        if isinstance(value, Fraction):
            return z3.RealVal(f"{value.numerator}/{value.denominator}")
    except ImportError:  # pragma: no cover
        pass
    return None


def _problem(record, clock: _Clock) -> z3.Solver | None:
    """A solver holding what the program's solver `record` says (optima fixed for an Optimize), or None
    when that cannot be restated (no model of an Optimize)."""
    if record is None:
        return None
    facts = [(c, line) for c, line in record.constraints if id(c) not in record.derived]  # no pins or blocks
    s = _solver(facts + [(a, None) for a in record.assumptions], clock)
    if record.kind == "optimize" and (record.objectives or record.soft):
        try:
            model = record.obj.model()
        except z3.Z3Exception:
            return None
        optima = [expr for _sense, expr in record.objectives]
        if record.soft:  # the optimum of the soft constraints: the same total weight of those broken
            optima.append(z3.Sum([z3.If(c, 0, weight) for c, weight in record.soft]))
        for expr in optima:
            s.add(expr == model.eval(expr, model_completion=True))
    return s


def check_unique(interp: Interpreter, tag, plain, clock: _Clock) -> tuple[str, str]:
    """('unique' | 'ambiguous' | 'unknown' | 'unchecked', message)."""
    term, record = tag
    numeral = _numeral(plain, term)
    s = _problem(record, clock) if numeral is not None else None
    if s is None:
        return "unchecked", ""
    try:
        s.add(term != numeral)
    except z3.Z3Exception:
        return "unchecked", ""
    r = s.check()
    if r == z3.unsat:
        return "unique", ""
    if r == z3.unknown:
        return "unknown", ""
    other = render(z3_value(s.model().eval(term, model_completion=True)))[0]
    here = render(plain)[0]
    return "ambiguous", (f"answer not unique: {z3_text(term, 40)} = {here} here, but {other} also satisfies "
                         "the constraints (add the missing constraints)")


def check_path(interp: Interpreter, value, clock: _Clock) -> str:
    """'' when every decision the program took on model values is fixed by the constraints; otherwise
    a message naming one that is not (the answer could differ in another model)."""
    for part in _parts(value) if value is not None else ():
        interp.tracker.use(part)
    by_record: dict[int, tuple] = {}
    for shadow, outcome, record in interp.tracker.conditions.values():
        if id(record) not in by_record:
            by_record[id(record)] = (record, _problem(record, clock), [])
        by_record[id(record)][2].append((shadow, outcome))
    for record, s, decisions in by_record.values():
        if s is None:
            continue
        for shadow, outcome in decisions:
            s.push()
            s.add(z3.Not(shadow) if outcome else shadow)
            r = _check(s, clock)
            s.pop()
            if r == z3.sat:
                return (f"answer not unique: it depends on {z3_text(shadow, 40)} being {outcome}, which the "
                        "constraints do not fix (add the missing constraints)")
    return ""


def _decided_here(interp: Interpreter, conditions) -> bool:
    """Options whose truth the program computed from a model (True/False already), not formulas that
    the constraints must entail."""
    for cond in conditions:
        cond = interp.to_z3_arg(cond) if not isinstance(cond, bool) else cond
        if isinstance(cond, bool) or isinstance(cond, z3.BoolRef) and is_z3_value(z3.simplify(cond)):
            return True
    return False


def _parts(value) -> list:
    """The elements of an answer that is a container (one level), else the answer itself."""
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value)[:100]
    if isinstance(value, dict):
        return (list(value.keys()) + list(value.values()))[:100]
    return [value]
