"""Operators and their number semantics: exact arithmetic on ints and Fractions with size limits checked
before the work (powers, products, shifts), strings with `%` widths bounded, comparisons and truth.

A result computed from a value read out of a z3 model keeps a shadow term (`_tag_result`), so the answer
it becomes can be checked for uniqueness; where no shadow can be built (a comparison, a mix of models),
the tracker records what the result depended on (`tracking.Tracker.condition` / `use`).
"""
from __future__ import annotations

import ast
import operator
import re
from fractions import Fraction

import sympy as sp
import z3

from solvers.errors import ProgramError
from solvers.interpreter.numbers import bits, exact_root, is_rational, plain
from solvers.interpreter.tags import is_z3_value, mark_derived, tag_of, tagged, to_z3
from solvers.language import clip

BINOPS = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow,
    ast.BitAnd: operator.and_, ast.BitOr: operator.or_, ast.BitXor: operator.xor,
    ast.LShift: operator.lshift, ast.RShift: operator.rshift,
}
OP_TEXT = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
           ast.Pow: "**", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^", ast.LShift: "<<",
           ast.RShift: ">>"}
CMPOPS = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Is: operator.is_, ast.IsNot: operator.is_not,
    ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
}
PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d*)(?:\.(\*|\d*))?[hlL]?[diouxXeEfFgGcrsa%]")


class OperatorsMixin:
    def ev_BinOp(self, node, chain):
        spine = []
        cur = node
        while isinstance(cur, ast.BinOp):
            spine.append(cur)
            cur = cur.left
        acc = self.ev(cur, chain)
        for op_node in reversed(spine):
            right = self.ev(op_node.right, chain)
            acc = self.binop(op_node.op, acc, right, op_node)
        return acc

    def binop(self, op, a, b, node):
        if getattr(node, "lineno", None):
            self.line = node.lineno
        kind = type(op)
        tag = self._combined_tag(a, b)
        try:
            result = self._binop(kind, a, b, node)
        except ProgramError:
            raise
        except ZeroDivisionError:
            self.fail("division by zero", node)
        except (TypeError, ValueError, ArithmeticError, z3.Z3Exception, sp.SympifyError) as exc:
            text = str(exc) or type(exc).__name__
            self.fail(f"cannot compute {self.type_name(a)} {OP_TEXT.get(kind, '?')} "
                      f"{self.type_name(b)}: {text}", node)
        except MemoryError:
            raise
        except RecursionError:
            self.fail("expression too deep to compute", node)
        result = self.check_value(plain(result))
        if tag is not None:
            result = self._tag_result(kind, a, b, result, tag)
        return result

    def _combined_tag(self, a, b):
        ta, tb = tag_of(a), tag_of(b)
        if ta is None and tb is None:
            return None
        return ta or tb

    def _tag_result(self, kind, a, b, result, tag):
        """Shadow the computation on z3 terms so an answer derived from a model keeps its meaning. Where no
        shadow exists: a symbolic result is marked as built from a model (a pin, not a fact); a concrete
        one records that it depended on the operands' exact values."""
        record = tag[1]

        def term(v):
            t = tag_of(v)
            if t is not None:
                if t[1] is not record:
                    raise ValueError
                return t[0]
            if isinstance(v, (int, Fraction)) and not isinstance(v, bool):
                return to_z3(v)
            raise ValueError
        shadow = None
        try:
            if kind in (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow):
                ta, tb = term(a), term(b)
                if kind is ast.Div:
                    if not isinstance(ta, z3.ExprRef):
                        ta = z3.RealVal(ta) if isinstance(ta, int) else ta
                    shadow = z3.ToReal(ta) / tb if isinstance(ta, z3.ArithRef) and ta.is_int() else ta / tb
                elif kind is ast.FloorDiv:
                    shadow = ta / tb
                else:
                    shadow = BINOPS[kind](ta, tb)
        except Exception:  # noqa: BLE001 - no shadow term
            shadow = None
        if isinstance(shadow, z3.ExprRef):
            return tagged(result, (shadow, record))
        if isinstance(result, z3.ExprRef) and not is_z3_value(z3.simplify(result)):
            mark_derived(result)
        else:
            self.tracker.use(a)
            self.tracker.use(b)
        return result

    def _binop(self, kind, a, b, node):
        limits = self.limits
        a_z3, b_z3 = isinstance(a, z3.ExprRef), isinstance(b, z3.ExprRef)
        if a_z3 or b_z3:
            a, b = self.to_z3_arg(a), self.to_z3_arg(b)
            if kind in (ast.BitAnd, ast.BitOr, ast.BitXor) and (isinstance(a, z3.BoolRef) or
                                                               isinstance(b, z3.BoolRef)):
                fn = {ast.BitAnd: z3.And, ast.BitOr: z3.Or, ast.BitXor: z3.Xor}[kind]
                return fn(a, b)
            if kind is ast.Pow:
                self._check_exponent(b, node)
            return BINOPS[kind](a, b)
        if isinstance(a, str) or isinstance(b, str):
            return self._str_binop(kind, a, b, node)
        if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
            if kind is ast.Mult:
                seq, n = (a, b) if isinstance(a, (list, tuple)) else (b, a)
                n = self.index_key(n)
                if len(seq) * max(n, 0) > limits.max_collection_len:
                    self.fail(f"list too large (limit {limits.max_collection_len} items)", node)
            return BINOPS[kind](a, b)
        if kind in (ast.Mult, ast.Pow):  # matrix products cost the cube of the size
            for m in (a, b):
                self.bound_matrix_method(m, "__mul__" if kind is ast.Mult else "__pow__")
        if kind is ast.Pow:
            return self._pow(a, b, node)
        if kind is ast.Div and is_rational(a) and is_rational(b):
            return Fraction(a) / Fraction(b)
        if kind is ast.LShift:
            shift = self.index_key(b)
            if isinstance(shift, int) and shift > limits.max_int_bits:
                self.fail(f"shift too large (limit {limits.max_int_bits} bits)", node)
        if kind is ast.Mult and is_rational(a) and is_rational(b):
            if bits(a) + bits(b) > 2 * limits.max_int_bits + 64:
                self.fail(f"number too large (more than {limits.max_int_bits} bits)", node)
        return BINOPS[kind](a, b)

    def _str_binop(self, kind, a, b, node):
        limits = self.limits
        if kind is ast.Add:
            if not (isinstance(a, str) and isinstance(b, str)):
                self.fail(f"cannot add {self.type_name(a)} and {self.type_name(b)} "
                          "(use str(...) or an f-string)", node)
            if len(a) + len(b) > limits.max_string_len:
                self.fail(f"string too long (limit {limits.max_string_len} characters)", node)
            return a + b
        if kind is ast.Mult:
            text, n = (a, b) if isinstance(a, str) else (b, a)
            if not isinstance(n, int):
                self.fail(f"cannot multiply a string by {self.type_name(n)}", node)
            if len(text) * max(n, 0) > limits.max_string_len:
                self.fail(f"string too long (limit {limits.max_string_len} characters)", node)
            return text * n
        if kind is ast.Mod and isinstance(a, str):
            for width, precision in PERCENT_SPEC.findall(a):
                if "*" in (width, precision):
                    self.fail("'*' widths are not allowed in %-formatting", node)
                if len(width) > 3 or len(precision) > 3:
                    self.fail(f"format width or precision too large in {clip(repr(a), 30)}", node)
            args = b if isinstance(b, tuple) else (b,)
            for x in args:
                self.tracker.use(x)
                self.check_shown(x)
            args = tuple(float(x) if isinstance(x, (Fraction, sp.Basic)) else x for x in args)
            if not all(isinstance(x, (int, float, str, bool)) for x in args):
                self.fail("%-formatting supports only numbers and strings", node)
            return a % args
        self.fail(f"unsupported operation {OP_TEXT.get(kind, '?')} on strings", node)

    def _check_exponent(self, exponent, node):
        try:
            if isinstance(exponent, z3.ExprRef):
                exponent = exponent.as_long() if z3.is_int_value(exponent) else 0
            if isinstance(exponent, (int, Fraction, float, sp.Number)) and not isinstance(exponent, bool):
                if abs(exponent) > self.limits.max_exponent:
                    self.fail(f"exponent too large (limit {self.limits.max_exponent})", node)
        except (TypeError, ValueError):
            return

    def _pow(self, a, b, node):
        limits = self.limits
        self._check_exponent(b, node)
        numeric_a = is_rational(a) or isinstance(a, float)
        if isinstance(b, sp.Integer):
            b = int(b)
        if is_rational(b) and (numeric_a or isinstance(a, sp.Rational)):
            if Fraction(b).denominator == 1:
                e = int(b)
                if e and bits(a) * abs(e) > limits.max_int_bits + 64:
                    self.fail(f"number too large: result of ** would exceed {limits.max_int_bits} bits", node)
        if is_rational(a) and is_rational(b):
            qa, qb = Fraction(a), Fraction(b)
            if qb.denominator == 1:
                return qa ** int(qb)
            if qa < 0:
                self.fail("a negative number to a fractional power is not a real number", node)
            if qb.denominator <= 12:
                root = exact_root(qa, qb.denominator)
                if root is not None:
                    if qb.numerator < 0 and root == 0:
                        raise ZeroDivisionError
                    return root ** qb.numerator
            return float(qa) ** float(qb)
        if isinstance(a, float) or isinstance(b, float):
            if (isinstance(a, float) or is_rational(a)) and a < 0 and not float(b).is_integer():
                self.fail("a negative number to a fractional power is not a real number", node)
            result = float(a) ** float(b) if not isinstance(a, sp.Basic) else a ** b
            return result
        return a ** b

    def ev_UnaryOp(self, node, chain):
        value = self.ev(node.operand, chain)
        self.line = node.lineno
        kind = type(node.op)
        if kind is ast.Not:
            if isinstance(value, z3.BoolRef):
                return z3.Not(value)
            if isinstance(value, sp.logic.boolalg.Boolean) and isinstance(value, sp.Basic) and \
                    not isinstance(value, sp.Expr) and value not in (sp.true, sp.false):
                return sp.Not(value)
            return not self.truth(value, node)
        try:
            if kind is ast.Invert and isinstance(value, z3.BoolRef):
                return z3.Not(value)
            if kind is ast.USub:
                return tagged(-value, self._neg_tag(value))
            if kind is ast.UAdd:
                return +value
            if kind is ast.Invert:
                return ~value
        except (TypeError, z3.Z3Exception) as exc:
            self.fail(f"bad operand for unary operator: {self.type_name(value)} ({exc})", node)
        self.fail("unsupported unary operator", node)

    def _neg_tag(self, value):
        t = tag_of(value)
        if t is None:
            return None
        try:
            return (-t[0], t[1])
        except Exception:  # noqa: BLE001
            return None
