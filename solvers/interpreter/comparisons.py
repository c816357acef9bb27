"""Comparisons, `and`/`or`, and truth: where a program decides something, possibly on a z3 model value.

A comparison of model values that comes out concrete is a decision the program's path depends on, so it
is recorded as a condition on the model's terms (`tracking.Tracker.condition`); one that stays symbolic
is a constraint built from a model value, marked as such (a pin or a block, not a fact of the problem).
"""
from __future__ import annotations

import ast
from fractions import Fraction

import sympy as sp
import z3

from solvers.errors import ProgramError
from solvers.interpreter.operators import CMPOPS
from solvers.interpreter.tags import mark_derived, tag_of, to_z3
from solvers.language import clip

ORDERINGS = (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE)


class ComparisonsMixin:
    def ev_BoolOp(self, node, chain):
        is_and = isinstance(node.op, ast.And)
        symbolic: list = []
        result = None
        for i, expr in enumerate(node.values):
            value = self.ev(expr, chain)
            if isinstance(value, z3.BoolRef) and not (z3.is_true(value) or z3.is_false(value)):
                symbolic.append(value)
                continue
            if isinstance(value, sp.logic.boolalg.Boolean) and isinstance(value, sp.Basic) and \
                    value not in (sp.true, sp.false) and not isinstance(value, sp.Expr):
                symbolic.append(value)
                continue
            if symbolic:
                symbolic.append(value)
                continue
            result = value
            if is_and and not self.truth(value, expr):
                return value
            if not is_and and self.truth(value, expr):
                return value
        if symbolic:
            if any(isinstance(v, z3.ExprRef) for v in symbolic):
                parts = [z3.BoolVal(bool(v)) if isinstance(v, bool) else self.to_z3_arg(v) for v in symbolic]
                out = z3.And(*parts) if is_and else z3.Or(*parts)
            else:
                out = sp.And(*symbolic) if is_and else sp.Or(*symbolic)
            self.tracker.note_origin(out, node.lineno)
            return out
        return result

    def ev_Compare(self, node, chain):
        left = self.ev(node.left, chain)
        parts = []
        for op, right_node in zip(node.ops, node.comparators):
            right = self.ev(right_node, chain)
            self.line = node.lineno
            try:
                a, b = left, right
                if isinstance(a, z3.ExprRef) or isinstance(b, z3.ExprRef):
                    a, b = self.to_z3_arg(a), self.to_z3_arg(b)
                    if isinstance(op, (ast.In, ast.NotIn, ast.Is, ast.IsNot)):
                        self.fail("'in' and 'is' cannot be used with z3 expressions", node)
                result = CMPOPS[type(op)](a, b)
            except ProgramError:
                raise
            except (TypeError, z3.Z3Exception, sp.SympifyError) as exc:
                self.fail(f"cannot compare {self.type_name(left)} with {self.type_name(right)}: {exc}", node)
            symbolic = isinstance(result, z3.BoolRef) or (isinstance(result, sp.Basic) and
                                                            not isinstance(result, sp.logic.boolalg.BooleanAtom))
            if tag_of(left) is not None or tag_of(right) is not None:
                self._note_comparison(op, left, right, result)
            if len(node.ops) == 1:
                self.tracker.note_origin(result, node.lineno)
                return result
            if not symbolic and not parts:
                if not self.truth(result, node):
                    return False
            else:
                parts.append(result)
            left = right
        if not parts:
            return True
        if any(isinstance(p, z3.ExprRef) for p in parts):
            out = z3.And(*[z3.BoolVal(p) if isinstance(p, bool) else p for p in parts])
        else:
            out = sp.And(*parts)
        self.tracker.note_origin(out, node.lineno)
        return out

    def _note_comparison(self, op, left, right, result) -> None:
        """A comparison of model values decided here: record it as a condition on the model's terms (the
        program's path depends on it), or, where no term comparison exists, the values themselves."""
        outcome = result
        if isinstance(result, z3.BoolRef):
            simple = z3.simplify(result)
            outcome = True if z3.is_true(simple) else False if z3.is_false(simple) else None
        if not isinstance(outcome, bool):
            mark_derived(result)  # still symbolic: a constraint built from a model value (a pin or a block)
            return
        tl, tr = tag_of(left), tag_of(right)
        record = (tl or tr)[1]
        try:
            if type(op) not in ORDERINGS or (tl and tl[1] is not record) or (tr and tr[1] is not record):
                raise ValueError
            a = tl[0] if tl else to_z3(left)
            b = tr[0] if tr else to_z3(right)
            if not isinstance(a, (z3.ExprRef, int)) or not isinstance(b, (z3.ExprRef, int)):
                raise ValueError
            shadow = CMPOPS[type(op)](a, b)
            if not isinstance(shadow, z3.BoolRef):
                raise ValueError
            check_no = max((t[2] for t in (tl, tr) if t and len(t) > 2), default=0)
            self.tracker.condition(shadow, outcome, record, check_no)
        except Exception:  # noqa: BLE001 - no term comparison: depend on the exact values
            self.tracker.use(left)
            self.tracker.use(right)

    def truth(self, value, node=None) -> bool:
        self.tracker.use(value)
        if isinstance(value, z3.ExprRef):
            if isinstance(value, z3.BoolRef):
                simple = z3.simplify(value)
                if z3.is_true(simple):
                    return True
                if z3.is_false(simple):
                    return False
            self.fail("a z3 condition cannot be tested with if/while/and/or (it is symbolic); use "
                      "s.add(...), If(...), or evaluate it in a model", node)
        if isinstance(value, (list, tuple, dict, set, str, int, float, Fraction, range, type(None))):
            return bool(value)
        try:
            return bool(value)
        except TypeError:
            self.fail(f"cannot decide whether {clip(str(value), 60)} is true (it is symbolic)", node)
