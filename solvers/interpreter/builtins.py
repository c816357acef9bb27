"""The built-in functions as step-language programs see them.

`Library` is mixed into the interpreter: each built-in is a small method that keeps numbers exact
(round/int/float/sum on Fractions) and checks sizes and arguments, failing with a message a model can act
on. A callable a program hands to a built-in (`sorted(key=...)`, `map`, `filter`, `list.sort(key=...)`)
is always called through the interpreter's `call()`, never directly, so its arguments meet the value gate.
`Builtin` and `Wrapped` mark the callables a program may call. Runs in the worker only.
"""
from __future__ import annotations

import ast
import math
from fractions import Fraction

import sympy as sp
import z3

from solvers.interpreter.numbers import NUMERAL, numeral, plain
from solvers.interpreter.ordering import OrderingMixin
from solvers.interpreter.tags import tag_of, tagged
from solvers.language import clip
from solvers.normalize import display


class FStr(str):
    """A string built by an f-string; remembers the last value formatted into it (the likely answer)."""

    last_value = None


class Builtin:
    """A built-in function as the program sees it."""

    def __init__(self, name, fn, type_=None):
        self.name, self.fn, self.type_ = name, fn, type_

    def __call__(self, *args, **kwargs):
        return self.fn(*args, **kwargs)

    def __repr__(self):
        return f"<built-in {self.name}>"


class Wrapped:
    """An allowed library callable (sympy/z3/math function or a bound method) and how to convert args."""

    def __init__(self, fn, name: str, kind: str):
        self.fn, self.name, self.kind = fn, name, kind

    def __call__(self, *args, **kwargs):
        return self.fn(*args, **kwargs)

    def __repr__(self):
        return f"<{self.kind} {self.name}>"


class Library(OrderingMixin):
    """Built-ins and math for the interpreter (uses its fail/binop/call/to_list/truth/index_key)."""

    # ------------------------------------------------------------------ builtins
    def _make_builtins(self) -> dict:
        b = {}

        def reg(name, fn, type_=None):
            b[name] = Builtin(name, fn, type_)

        reg("print", self._print)
        reg("range", self._range)
        reg("len", self._len)
        reg("abs", self._abs)
        reg("min", lambda *a, **k: self._minmax(min, a, k))
        reg("max", lambda *a, **k: self._minmax(max, a, k))
        reg("sum", self._sum)
        reg("round", self._round)
        reg("int", self._int, int)
        reg("float", self._float, float)
        reg("str", lambda x="": display(self.check_shown(x)), str)
        reg("bool", lambda x=False: self.truth(x), bool)
        reg("list", lambda x=(): self.to_list(x), list)
        reg("tuple", lambda x=(): tuple(self.to_list(x)), tuple)
        reg("set", lambda x=(): set(self.to_list(x)), set)
        reg("dict", self._dict, dict)
        reg("sorted", self._sorted)
        reg("reversed", lambda x: list(reversed(self.to_list(x))))
        reg("enumerate", lambda x, start=0: list(enumerate(self.to_list(x), start)))
        reg("zip", lambda *xs: list(zip(*[self.to_list(x) for x in xs])))
        reg("map", lambda f, *xs: [self.call(f, list(t), {}, None) for t in zip(*[self.to_list(x) for x in xs])])
        reg("filter", lambda f, x: [v for v in self.to_list(x) if self.truth(
            v if f is None else self.call(f, [v], {}, None))])
        reg("all", lambda x: all(self.truth(v) for v in self.to_list(x)))
        reg("any", lambda x: any(self.truth(v) for v in self.to_list(x)))
        reg("divmod", lambda a, c: (self.binop(ast.FloorDiv(), a, c, None), self.binop(ast.Mod(), a, c, None)))
        reg("pow", self._pow_builtin)
        reg("isinstance", self._isinstance)
        return b

    def _len(self, x):
        sized = (list, tuple, str, dict, set, frozenset, range, type({}.keys()), type({}.values()),
                 type({}.items()))
        if isinstance(x, sized) or isinstance(x, (sp.Basic, sp.MatrixBase)) and not isinstance(x, type):
            try:
                return len(x)
            except TypeError:
                pass
        self.fail(f"len() of {self.type_name(x)}")

    def _print(self, *args, sep=" ", end="\n"):
        text = str(sep).join(display(self.check_shown(a)) for a in args)
        self.print_count += 1
        if self.printed_chars < self.limits.max_string_len:
            self.printed.append(text[:2000])
            self.printed_chars += len(text)
            if len(self.printed) > 200:
                del self.printed[0]
        self.has_print = True
        candidates = [a.last_value if isinstance(a, FStr) and a.last_value is not None else a for a in args]
        numeric = [c for c in candidates if not isinstance(c, str)]
        if len(args) == 1:
            self.last_print = candidates[0] if not isinstance(args[0], FStr) or numeric else text
        elif numeric:
            self.last_print = numeric[-1]
        else:
            self.last_print = text
        return None

    def _range(self, *args):
        if not 1 <= len(args) <= 3:
            self.fail("range() takes 1 to 3 arguments")
        ints = []
        for a in args:
            a = self.index_key(a)
            if not isinstance(a, int):
                self.fail(f"range() needs whole numbers, got {display(a)}")
            ints.append(a)
        return range(*ints)

    def _abs(self, x):
        result = abs(x)
        t = tag_of(x)
        if t is not None:
            try:
                return tagged(result, (z3.If(t[0] >= 0, t[0], -t[0]), t[1]))
            except Exception:  # noqa: BLE001
                return result
        return result

    def _sum(self, items, start=0):
        total = start
        for v in self.to_list(items):
            total = self.binop(ast.Add(), total, v, None)
        return total

    def _round(self, x, ndigits=None):
        if isinstance(x, Fraction) or isinstance(x, int):
            if ndigits is None:
                return round(Fraction(x))
            return plain(round(Fraction(x), int(self.index_key(ndigits))))
        if isinstance(x, float):
            return round(x, ndigits) if ndigits is not None else round(x)
        if isinstance(x, sp.Basic):
            try:
                if x.is_Rational:
                    return self._round(Fraction(int(x.p), int(x.q)), ndigits)
                value = x.evalf(30)
                if ndigits is None:
                    return int(round(value))
                return round(float(value), int(ndigits))
            except TypeError:
                self.fail(f"cannot round {clip(str(x), 40)} (it is symbolic)")
        if isinstance(x, z3.ExprRef):
            self.fail("round() of a z3 value: use .as_long() or evaluate it in a model first")
        self.fail(f"cannot round {self.type_name(x)}")

    def _int(self, x=0, base=None):
        t = tag_of(x)
        if isinstance(x, z3.ExprRef):
            if z3.is_int_value(x):
                return tagged(x.as_long(), t)
            if z3.is_rational_value(x):
                q = x.as_fraction()
                return int(Fraction(q.numerator, q.denominator))
            self.fail("int() of a symbolic z3 expression; evaluate it in a model first")
        if isinstance(x, str):
            try:
                if base is not None:
                    return int(x, int(base))
                text = x.strip().replace(",", "").replace("_", "")
                if NUMERAL.match(text):
                    return int(numeral(text))
                return int(text)
            except ValueError:
                self.fail(f"int() cannot read {clip(repr(x), 40)}")
        if isinstance(x, float) and not math.isfinite(x):
            self.fail("int() of an infinite or NaN number")
        out = int(x)
        if t is not None and out == x:
            return tagged(out, t)
        return out

    def _float(self, x=0):
        if isinstance(x, (int, Fraction)) and not isinstance(x, bool):
            return x
        if isinstance(x, bool):
            return int(x)
        if isinstance(x, str):
            text = x.strip().replace(",", "")
            if NUMERAL.match(text):
                return plain(numeral(text))
            if text.lower() in ("inf", "-inf", "nan", "infinity", "-infinity"):
                return float(text)
            self.fail(f"float() cannot read {clip(repr(x), 40)}")
        if isinstance(x, sp.Rational):
            return plain(Fraction(int(x.p), int(x.q)))
        if isinstance(x, z3.ExprRef):
            if z3.is_int_value(x):
                return tagged(x.as_long(), tag_of(x))
            if z3.is_rational_value(x):
                q = x.as_fraction()
                return tagged(plain(Fraction(q.numerator, q.denominator)), tag_of(x))
            self.fail("float() of a symbolic z3 expression; evaluate it in a model first")
        try:
            return float(x)
        except TypeError:
            self.fail(f"float() of {clip(str(x), 40)} (it is symbolic)")

    def _dict(self, *args, **kwargs):
        out = dict(self.to_list(args[0])) if args and not isinstance(args[0], dict) else dict(*args)
        out.update(kwargs)
        return out

    def _pow_builtin(self, a, b, mod=None):
        if mod is None:
            return self.binop(ast.Pow(), a, b, None)
        a, b, mod = (self.index_key(v) for v in (a, b, mod))
        if not all(isinstance(v, int) for v in (a, b, mod)):
            self.fail("pow(a, b, m) needs whole numbers")
        if b.bit_length() > self.limits.max_int_bits:
            self.fail("exponent too large")
        return pow(a, b, mod)

    def _isinstance(self, value, kinds):
        kinds = kinds if isinstance(kinds, tuple) else (kinds,)
        types = []
        for k in kinds:
            if not isinstance(k, Builtin) or k.type_ is None:
                self.fail("isinstance() accepts only int, float, str, bool, list, tuple, dict, set")
            types.append(k.type_)
            if k.type_ is float:
                types.append(Fraction)
        return isinstance(value, tuple(types))
