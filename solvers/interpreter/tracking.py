"""Bookkeeping of what a program does with z3, so results can be checked after it runs.

Every Solver/Optimize a program creates gets a `SolverRecord`; every constraint it adds is kept with the
source line it came from (for unsat cores), and every value read out of a model is tagged with the z3
term it is the value of (for the uniqueness check). Where a tag is lost (the value turned into text, used
as an index, compared and branched on), the decision is kept as a condition on the terms (`condition`,
`use`), so that `solvers.z3_checks` can tell whether the constraints fix the answer's whole path.
`check()` runs under z3's own timeout; a `model()` after an unsat check raises `ProgramUnsat` naming the
conflicting lines. Runs in the worker only (the tags themselves: `solvers.interpreter.tags`).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction

import z3

from solvers.errors import ProgramError, ProgramTimeout, ProgramUnsat
from solvers.interpreter.tags import (flatten, is_derived, is_z3_value, tag_of, tagged,
                                      unsat_core, unsat_message, z3_text)

MAX_CONDITIONS = 200


@dataclass
class SolverRecord:
    obj: object
    kind: str  # "solver" | "optimize"
    constraints: list = field(default_factory=list)  # (expr, line)
    scopes: list = field(default_factory=list)
    objectives: list = field(default_factory=list)  # ("min"|"max", expr)
    soft: list = field(default_factory=list)  # (condition, weight) of add_soft, one group only
    last: object = None
    assumptions: list = field(default_factory=list)  # of the last check(), part of what its model means
    derived: set = field(default_factory=set)  # ids of constraints built from model values (pins, blocks)
    checks: int = 0  # check() calls so far
    read_check: int = 0  # the check whose model the program first read (0: none)
    reads: dict = field(default_factory=dict)  # check number -> {term text: (term, value)} read out of its model
    unbounded: bool = False  # an Optimize whose objective has no attained optimum in its model
    optima: list = field(default_factory=list)  # (expr, value) of an Optimize's objectives in that model
    handles: list = field(default_factory=list)  # the OptimizeObjective handles


def _not_attained(handle) -> bool:
    """An objective whose optimum is infinite or only approached (z3 reports oo or epsilon)."""
    try:
        text = str(handle.value())
    except z3.Z3Exception:
        return True
    return "oo" in text or "epsilon" in text


class Tracker:
    """Owns the program's solvers and answers the interpreter's questions about z3 values."""

    def __init__(self, interp):
        self.interp = interp
        self.records: list[SolverRecord] = []
        self.by_id: dict[int, SolverRecord] = {}
        self.models: dict[int, tuple] = {}  # id(model) -> (model, record, the check it came from)
        self.origin: dict[int, tuple] = {}  # id(bool expr) -> (expr, line)
        self.conditions: dict[str, tuple] = {}  # text -> (condition, outcome, record): decisions on models
        self.inject: dict[tuple[int, int], object] = {}  # (solver index, check number) -> an extra assumption
        self.injected: list[object] = []  # results of the checks that carried one (a rerun's evidence)

    # ---- what the program's path depended on
    def condition(self, shadow, outcome: bool, record) -> None:
        """The program decided `shadow` (a condition on model terms) was `outcome` in its model. The
        answer is only determined by the constraints if every such decision is (see z3_checks)."""
        if record is None or len(self.conditions) >= MAX_CONDITIONS:
            return
        key = f"{shadow.sexpr()}={outcome}"
        self.conditions.setdefault(key, (shadow, outcome, record))

    def use(self, value) -> None:
        """`value`, read out of a model, was used where its tag is lost (an index, text, a library call):
        the program depended on the term having exactly this value."""
        tag = tag_of(value)
        if tag is None or tag[1] is None:
            return
        plain = value
        if isinstance(value, z3.ExprRef):
            plain = z3.simplify(value)
            if not is_z3_value(plain):
                return
        elif isinstance(value, bool):
            plain = z3.BoolVal(value)
        elif isinstance(value, int):
            plain = z3.IntVal(int(value))
        elif isinstance(value, Fraction):
            plain = z3.RealVal(f"{value.numerator}/{value.denominator}")
        else:
            return
        term = tag[0]
        if isinstance(term, z3.BitVecRef) and isinstance(value, int):
            plain = z3.BitVecVal(int(value), term.size())
        try:
            self.condition(term == plain, True, tag[1])
        except z3.Z3Exception:
            return

    # ---- creation
    def new_solver(self, kind: str, *args, **kwargs):
        if args or kwargs:
            raise ProgramError(f"{'Solver' if kind == 'solver' else 'Optimize'}() takes no arguments here",
                               self.interp.line)
        obj = z3.Solver() if kind == "solver" else z3.Optimize()
        record = SolverRecord(obj, kind)
        self.records.append(record)
        self.by_id[id(obj)] = record
        return obj

    def note_origin(self, value, line: int) -> None:
        if isinstance(value, z3.BoolRef) and id(value) not in self.origin:
            self.origin[id(value)] = (value, line)

    def line_of(self, expr, default: int) -> int:
        hit = self.origin.get(id(expr))
        return hit[1] if hit and hit[0] is expr else default

    def remaining_ms(self) -> int:
        left = self.interp.deadline - time.monotonic()
        if left <= 0:
            raise ProgramTimeout(f"timed out after {self.interp.limits.timeout_s:g}s")
        return max(1, int(left * 1000))

    # ---- methods
    def method(self, obj, name: str):
        """The callable for `obj.name` on a Solver/Optimize, or None when not allowed."""
        record = self.by_id.get(id(obj))
        if record is None:
            return None
        line = self.interp.line

        def add(*args):
            for c in flatten(args):
                c = self.interp.to_z3_arg(c)
                if isinstance(c, bool):
                    c = z3.BoolVal(c)
                if not isinstance(c, z3.BoolRef):
                    raise ProgramError(f"{name}() needs conditions, got {type(c).__name__} "
                                       f"({z3_text(c, 40)})", self.interp.line)
                record.obj.add(c)
                record.constraints.append((c, self.line_of(c, self.interp.line)))
                if is_derived(c):
                    record.derived.add(id(c))

        def assert_and_track(c, p=None):
            add(c)

        def check(*assumptions):
            record.obj.set("timeout", self.remaining_ms())
            assumptions = [self.interp.to_z3_arg(a) for a in flatten(assumptions)]
            record.checks += 1
            extra = self.inject.get((self.records.index(record), record.checks))
            result = record.obj.check(*assumptions, *([extra] if extra is not None else []))
            if extra is not None:
                self.injected.append(result)
            record.last = result
            record.assumptions = [a for a in assumptions if isinstance(a, z3.BoolRef)]
            if result == z3.unknown:
                reason = record.obj.reason_unknown()
                if "timeout" in reason or "canceled" in reason or "resource" in reason:
                    raise ProgramTimeout(f"z3 gave up: {reason} (limit {self.interp.limits.timeout_s:g}s)",
                                         self.interp.line)
            return result

        def model():
            if record.last is None:
                check()
            if record.last == z3.unsat:
                core = unsat_core(record.constraints)
                raise ProgramUnsat(unsat_message(core), details={"core": [list(c) for c in core]})
            if record.last == z3.unknown:
                raise ProgramError(f"z3 could not decide the constraints ({record.obj.reason_unknown()})",
                                   self.interp.line)
            m = record.obj.model()
            self.models[id(m)] = (m, record, record.checks)
            if not record.read_check:
                record.read_check = record.checks or 1
                record.unbounded = any(_not_attained(h) for h in record.handles)
                record.optima = [(expr, m.eval(expr, model_completion=True)) for _s, expr in record.objectives]
                if record.soft:
                    penalty = z3.Sum([z3.If(c, 0, weight) for c, weight in record.soft])
                    record.optima.append((penalty, m.eval(penalty, model_completion=True)))
            return m

        def push():
            record.scopes.append(len(record.constraints))
            record.obj.push()

        def pop(n=1):
            n = self.interp.index_key(n)
            if not isinstance(n, int) or not 0 <= n <= len(record.scopes):
                raise ProgramError(f"pop({n}): only {len(record.scopes)} push() scopes are open", line)
            for _ in range(n):
                if record.scopes:
                    del record.constraints[record.scopes.pop():]
            record.obj.pop(int(n))

        def reset():
            record.constraints.clear()
            record.scopes.clear()
            record.obj.reset()

        def objective(sense):
            def run(expr):
                if record.kind != "optimize":
                    raise ProgramError(f"{name}() needs an Optimize(), not a Solver()", line)
                expr = self.interp.to_z3_arg(expr)
                record.objectives.append((sense, expr))
                handle = record.obj.minimize(expr) if sense == "min" else record.obj.maximize(expr)
                record.handles.append(handle)
                return handle
            return run

        def add_soft(c, weight=1, id=None):
            if record.kind != "optimize":
                raise ProgramError("add_soft() needs an Optimize()", line)
            if id is not None:
                raise ProgramError("add_soft(): several soft groups (id=) are not supported", line)
            c = self.interp.to_z3_arg(c)
            if not isinstance(c, z3.BoolRef):
                raise ProgramError("add_soft() needs a condition", line)
            weight = self.interp.index_key(weight)
            if not isinstance(weight, int) or weight < 0:
                raise ProgramError("add_soft() needs a whole, non-negative weight", line)
            record.soft.append((c, weight))
            return record.obj.add_soft(c, weight)

        table = {
            "add": add, "append": add, "assert_exprs": add, "insert": add, "assert_and_track": assert_and_track,
            "check": check, "model": model, "push": push, "pop": pop, "reset": reset,
            "minimize": objective("min"), "maximize": objective("max"), "add_soft": add_soft,
            "assertions": lambda: list(record.obj.assertions()),
            "unsat_core": lambda: list(record.obj.unsat_core()) if record.kind == "solver" else [],
            "num_scopes": lambda: len(record.scopes),
            "reason_unknown": lambda: record.obj.reason_unknown(),
        }
        return table.get(name)

    def model_lookup(self, model, key, completion: bool = True):
        """m[x] / m.eval(x): the value, tagged with the term it came from."""
        key = self.interp.to_z3_arg(key)
        owner = self.models.get(id(model))
        record = owner[1] if owner and owner[0] is model else None
        check_no = owner[2] if owner is not None and record is not None else 0
        if isinstance(key, z3.FuncDeclRef) and key.arity() == 0:
            key = key()  # m[x.decl()], or a declaration from m.decls(): the constant it declares
        if not isinstance(key, z3.ExprRef):
            raise ProgramError("a model is indexed by a z3 variable, as in m[x]", self.interp.line)
        value = model.eval(key, model_completion=completion)
        if check_no and is_z3_value(value):
            reads = record.reads.setdefault(check_no, {})
            if len(reads) < MAX_CONDITIONS:
                reads.setdefault(key.sexpr(), (key, value))
        return tagged(value, (key, record, check_no))

    def record_for_answer(self) -> SolverRecord | None:
        """The solver whose constraints define the problem: the last one that has constraints."""
        with_constraints = [r for r in self.records if r.constraints]
        if with_constraints:
            return with_constraints[-1]
        return self.records[-1] if self.records else None
