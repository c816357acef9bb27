"""Exact plain numbers for the step language: numerals, rational checks, exact roots, sizes.

Float literals and numeric strings become Fractions; whole Fractions become ints. Worker side (the
model-tag helpers come from `solvers.interpreter.tracking`).
"""
from __future__ import annotations

import re
from fractions import Fraction

from solvers.interpreter.tags import tag_of, tagged

NUMERAL = re.compile(r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d{1,3})?(\s*/\s*\d+)?\s*$")


def is_rational(x) -> bool:
    return isinstance(x, (int, Fraction))


def numeral(text: str) -> Fraction:
    """A Fraction from a numeral like "2.5", "1e3" or "3/4" (caller checks NUMERAL first)."""
    text = text.replace(" ", "")
    if "/" in text:
        num, den = text.split("/")
        return Fraction(Fraction(num), Fraction(den))
    return Fraction(text)


def plain(value):
    """Fractions that are whole numbers become ints (model tags kept)."""
    if isinstance(value, Fraction) and value.denominator == 1:
        return tagged(int(value.numerator), tag_of(value))
    return value


def bits(value) -> int:
    """Bit size of an exact number (0 for anything else)."""
    import sympy as sp
    if isinstance(value, bool):
        return 1
    if isinstance(value, int):
        return value.bit_length()
    if isinstance(value, Fraction):
        return max(value.numerator.bit_length(), value.denominator.bit_length())
    if isinstance(value, sp.Rational):
        return max(int(value.p).bit_length(), int(value.q).bit_length())
    return 0


def exact_root(q: Fraction, n: int) -> Fraction | None:
    """The exact n-th root of a non-negative rational, or None when it is irrational."""
    def iroot(k: int) -> int | None:
        if k < 0:
            return None
        if k.bit_length() < 1000:
            r = round(k ** (1.0 / n))
        else:
            import sympy as sp
            r = int(sp.integer_nthroot(k, n)[0])
        for c in (r - 1, r, r + 1):
            if c >= 0 and c ** n == k:
                return c
        return None
    a, b = iroot(q.numerator), iroot(q.denominator)
    if a is None or b is None:
        return None
    return Fraction(a, b)
