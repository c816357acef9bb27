"""What the Z3 solver checks after a program has run (worker side).

- `options = {"A": cond, ...}`: the single letter whose condition is entailed by the constraints
  (constraints and not(option) is unsat), else `ambiguous` naming what is entailed and what is possible.
- `claim = cond`: "True" if entailed, "False" if its negation is entailed, else "Unknown".
- an `answer` read from a model: the program is run again on other models of its constraints (the
  answer's term different, any value read different, a decision on a model value the other way); an
  answer that changes means `ambiguous` (`solvers.z3_uniqueness`).
- contradictory constraints: `unsat`, naming the conflicting constraints by source line (unsat core).
Constraints are those added to the program's Solver, or else a list named `constraints`.
"""
from __future__ import annotations


import z3

from solvers.base import Limits
from solvers.errors import ProgramError
from solvers.interpreter import Interpreter
from solvers.guards import GuardRefusal
from solvers.normalize import render, z3_value
from solvers.program import NO_ANSWER, bad_answer, failure, find_answer, interpret, ok, result
from solvers.interpreter.tags import flatten, is_z3_value, unsat_core, unsat_message, z3_text
from solvers.z3_uniqueness import _check, _Clock, _solver, check_by_reruns, check_unique, decided_here


def _constraints(interp: Interpreter) -> tuple[list, object]:
    """(list of (expr, line), record or None) that define the problem: the facts the program stated, not
    the pins and blocks it built from model values (enumerating solutions leaves blocks behind)."""
    record = interp.tracker.record_for_answer()
    if record is not None and record.constraints:
        return [(c, line) for c, line in record.constraints if id(c) not in record.derived], record
    listed = interp.globals.get("constraints")
    if isinstance(listed, (list, tuple)):
        out = []
        for item in flatten(listed):
            item = interp.to_z3_arg(item)
            if isinstance(item, bool):
                item = z3.BoolVal(item)
            if isinstance(item, z3.BoolRef):
                out.append((item, interp.tracker.line_of(item, 0) or None))
        return out, record
    return [], record


def _as_condition(interp: Interpreter, value, label: str):
    value = interp.to_z3_arg(value)
    if isinstance(value, bool):
        return z3.BoolVal(value)
    if not isinstance(value, z3.BoolRef):
        raise ProgramError(f"{label} must be a z3 condition (like x > y), got {interp.type_name(value)}")
    return value


def _unsat(constraints, interp) -> dict:
    core = unsat_core(constraints)
    return result("unsat", message=unsat_message(core), printed=interp.printed,
                  details={"core": [[line, text] for line, text in core]})


def check_options(interp: Interpreter, options: dict, clock: _Clock) -> dict:
    conditions = {}
    for letter, cond in options.items():
        conditions[str(letter).strip()] = _as_condition(interp, cond, f"options[{letter!r}]")
    constraints, _ = _constraints(interp)
    s = _solver(constraints, clock)
    if _check(s, clock) == z3.unsat:
        return _unsat(constraints, interp)
    entailed, possible = [], []
    for letter, cond in conditions.items():
        s.push()
        s.add(z3.Not(cond))
        if _check(s, clock) == z3.unsat:
            entailed.append(letter)
        s.pop()
        s.push()
        s.add(cond)
        if _check(s, clock) == z3.sat:
            possible.append(letter)
        s.pop()
    details = {"entailed": entailed, "possible": possible, "constraints": len(constraints)}
    if len(entailed) == 1:
        return result("ok", value=entailed[0], printed=interp.printed, details=details)
    if not entailed:
        message = (f"no option is entailed by the constraints; possible: {', '.join(possible) or 'none'}"
                   " (add the missing facts as constraints)")
    else:
        message = f"several options are entailed: {', '.join(entailed)} (the options overlap)"
    return result("ambiguous", message=message, printed=interp.printed, details=details)


def check_claim(interp: Interpreter, claim, clock: _Clock) -> dict:
    cond = _as_condition(interp, claim, "claim")
    constraints, _ = _constraints(interp)
    s = _solver(constraints, clock)
    if _check(s, clock) == z3.unsat:
        return _unsat(constraints, interp)
    s.push()
    s.add(z3.Not(cond))
    entailed = _check(s, clock) == z3.unsat
    s.pop()
    s.push()
    s.add(cond)
    refuted = _check(s, clock) == z3.unsat
    s.pop()
    value = "True" if entailed else "False" if refuted else "Unknown"
    return result("ok", value=value, printed=interp.printed,
                  details={"entailed": entailed, "refuted": refuted, "constraints": len(constraints)})


def run_z3(source: str, limits: Limits, deadline: float) -> dict:
    """The Z3 solver's run: interpret, then options / claim / answer, each checked to be fixed by the
    constraints (`solvers.z3_uniqueness`)."""
    interp, error = interpret(source, limits, deadline)
    if error is not None:
        return error
    clock = _Clock(deadline, limits)
    g = interp.globals
    try:
        for kind, conditions, decide in (
                ("options", list(g["options"].values()) if isinstance(g.get("options"), dict) else [],
                 lambda: check_options(interp, g["options"], clock)),
                ("claim", [g["claim"]] if "claim" in g and "answer" not in g else [],
                 lambda: check_claim(interp, g["claim"], clock))):
            if not conditions:
                continue
            if decided_here(interp, conditions):  # the program judged them on a model: was it the only one?
                undecided = check_by_reruns(source, limits, deadline, interp, None, kind, clock)
                if undecided:
                    return result("ambiguous", message=undecided, printed=interp.printed)
            return decide()
        found, value, where = find_answer(interp, last_assignment=False)
        if not found:
            constraints, record = _constraints(interp)
            if constraints and _check(_solver(constraints, clock), clock) == z3.unsat:
                return _unsat(constraints, interp)
            return result("error", message=NO_ANSWER, printed=interp.printed)
        problem = bad_answer(value)
        if problem:
            return result("error", message=problem, printed=interp.printed)
        plain = z3_value(value)
        details = {"answer_from": where}
        if isinstance(plain, z3.ExprRef) and not is_z3_value(plain):  # a term: we evaluate it ourselves
            constraints, record = _constraints(interp)
            if record is None and not constraints:
                return result("error", message=(f"the answer {z3_text(plain, 40)} still has unknowns; add "
                                                "constraints to a Solver and read the value from its model"),
                              printed=interp.printed)
            s = _solver(constraints, clock)
            if _check(s, clock) == z3.unsat:
                return _unsat(constraints, interp)
            term, plain = value, z3_value(s.model().eval(value, model_completion=True))
            verdict, message = check_unique(term, plain, constraints, clock)
        else:
            message = check_by_reruns(source, limits, deadline, interp, value, "answer", clock)
            verdict = "ambiguous" if message else "unique"
        details["unique"] = verdict
        if verdict == "ambiguous":
            text, number = render(plain)
            return result("ambiguous", value=text, number=number, message=message, printed=interp.printed,
                          details=details)
        return ok(interp, plain, details)
    except ProgramError as exc:
        return failure(exc, interp)
    except TimeoutError:
        return result("timeout", message=f"timed out after {limits.timeout_s:g}s while checking with z3",
                      printed=interp.printed)
    except z3.Z3Exception as exc:
        return result("error", message=f"z3 error: {exc}", printed=interp.printed)
    except ValueError as exc:  # e.g. a numeral past Python's 4300-digit int/str limit, while rendering
        return result("error", message=f"cannot report the answer: {exc}", printed=interp.printed)
    except GuardRefusal as exc:
        return result("error", message=f"refused: {exc}", printed=interp.printed)
