"""The `math` module as step-language programs see it: exact where the result is rational (`sqrt`, `log`,
`floor`, `comb`, ...), floats otherwise, with sizes bounded before the work. Mixed into the interpreter.
"""
from __future__ import annotations

import ast
import math
from fractions import Fraction

import sympy as sp
import z3

from solvers.interpreter.allowlists import MATH_CONSTANTS, MATH_EXACT_FUNCS, MATH_FLOAT_FUNCS, Namespace
from solvers.interpreter.builtins import Wrapped
from solvers.interpreter.numbers import exact_root, is_rational, plain
from solvers.normalize import display


class MathMixin:
    def _make_math(self) -> Namespace:
        members: dict = dict(MATH_CONSTANTS)
        for name in MATH_FLOAT_FUNCS:
            fn = getattr(math, name, None)
            if fn is not None:
                members[name] = Wrapped(self._float_math(fn, name), f"math.{name}", "math")
        exact = {
            "sqrt": self._sqrt, "floor": lambda x: self._floor_ceil(x, math.floor),
            "ceil": lambda x: self._floor_ceil(x, math.ceil), "trunc": lambda x: math.trunc(self._num(x)),
            "gcd": lambda *a: math.gcd(*[self._int_arg(v) for v in a]),
            "lcm": lambda *a: math.lcm(*[self._int_arg(v) for v in a]),
            "factorial": lambda n: math.factorial(self._bounded(n, 2000, "factorial")),
            "comb": lambda n, k: math.comb(self._bounded(n, 100000, "comb"), self._int_arg(k)),
            "perm": lambda n, k=None: math.perm(self._bounded(n, 100000, "perm"),
                                                None if k is None else self._int_arg(k)),
            "isqrt": lambda n: math.isqrt(self._int_arg(n)),
            "prod": lambda items, start=1: self._prod(items, start),
            "fsum": lambda items: self._sum(items),
            "fabs": lambda x: abs(self._num(x)),
            "isclose": lambda a, b, rel_tol=1e-9, abs_tol=0.0: math.isclose(float(a), float(b),
                                                                         rel_tol=float(rel_tol),
                                                                         abs_tol=float(abs_tol)),
            "isfinite": lambda x: math.isfinite(float(x)), "isinf": lambda x: math.isinf(float(x)),
            "isnan": lambda x: math.isnan(float(x)),
            "copysign": lambda a, b: math.copysign(float(a), float(b)),
            "fmod": lambda a, b: math.fmod(float(a), float(b)),
            "modf": lambda x: math.modf(float(x)),
            "dist": lambda p, q: math.dist([float(v) for v in p], [float(v) for v in q]),
            "cbrt": lambda x: self.binop(ast.Pow(), self._num(x), Fraction(1, 3), None)
            if self._num(x) >= 0 else -self.binop(ast.Pow(), -self._num(x), Fraction(1, 3), None),
        }
        for name in MATH_EXACT_FUNCS:
            if name in exact:
                members[name] = Wrapped(self._math_checked(exact[name], name), f"math.{name}", "math")
        return Namespace("math", members)

    def _math_checked(self, fn, name):
        def call(*args, **kwargs):
            try:
                return self.check_value(plain(fn(*args, **kwargs)))
            except ValueError as exc:
                self.fail(f"math.{name}(): {exc}")
        return call

    def _float_math(self, fn, name):
        def call(*args):
            try:
                floats = [float(self._num(a)) for a in args]
                if name == "pow" and len(args) == 2:
                    return float(self.binop(ast.Pow(), self._num(args[0]), self._num(args[1]), None))
                if name == "log" and len(args) == 2:
                    exact = self._exact_log(self._num(args[0]), self._num(args[1]))
                    if exact is not None:
                        return exact
                if name in ("log2", "log10"):
                    exact = self._exact_log(self._num(args[0]), 2 if name == "log2" else 10)
                    if exact is not None:
                        return exact
                return fn(*floats)
            except (ValueError, OverflowError) as exc:
                self.fail(f"math.{name}(): {exc}")
        return call

    def _exact_log(self, x, base):
        if not (is_rational(x) and is_rational(base)) or x <= 0 or base <= 1:
            return None
        x, base = Fraction(x), Fraction(base)
        k, power = 0, Fraction(1)
        if x >= 1:
            while power < x and k < 4096:
                power *= base
                k += 1
            return k if power == x else None
        while power > x and k < 4096:
            power /= base
            k += 1
        return -k if power == x else None

    def _num(self, x):
        if isinstance(x, (int, Fraction, float)) and not isinstance(x, bool):
            return x
        if isinstance(x, bool):
            return int(x)
        if isinstance(x, sp.Rational):
            return plain(Fraction(int(x.p), int(x.q)))
        if isinstance(x, sp.Basic) and x.is_number:
            return float(x)
        if isinstance(x, z3.ExprRef):
            return self._float(x)
        self.fail(f"math functions need numbers, got {self.type_name(x)}")

    def _int_arg(self, x) -> int:
        x = self.index_key(self._num(x))
        if not isinstance(x, int):
            self.fail(f"expected a whole number, got {display(x)}")
        return x

    def _bounded(self, x, limit, name) -> int:
        x = self._int_arg(x)
        if x > limit:
            self.fail(f"math.{name}() argument too large (limit {limit})")
        return x

    def _sqrt(self, x):
        x = self._num(x)
        if x < 0:
            self.fail("math.sqrt() of a negative number")
        if is_rational(x):
            root = exact_root(Fraction(x), 2)
            if root is not None:
                return root
        return math.sqrt(float(x))

    def _floor_ceil(self, x, fn):
        if isinstance(x, sp.Basic) and not x.is_number:
            self.fail("math.floor/ceil of a symbolic value; use sympy floor/ceiling")
        return fn(self._num(x))

    def _prod(self, items, start=1):
        total = start
        for v in self.to_list(items):
            total = self.binop(ast.Mult(), total, v, None)
        return total
