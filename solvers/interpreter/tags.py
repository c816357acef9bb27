"""Model tags: a value read out of a z3 model carries the term it is the value of, so that an answer
computed from it can be checked for uniqueness. Plus the small z3 helpers the interpreter shares.

`ZInt`/`ZFrac` are ints and Fractions with a tag; z3 objects get it as an attribute. `mark_derived` marks
a symbolic expression built from a model value (it is not a fact of the problem). Worker side.
"""
from __future__ import annotations

from fractions import Fraction

import z3

TAG = "_hy_term"
DERIVED = "_hy_derived"  # on a symbolic z3 expression built from a model value


class ZInt(int):
    """An int read out of a z3 model; `hy` is (term, record) so the answer's uniqueness can be checked."""

    hy: tuple | None = None


class ZFrac(Fraction):
    hy: tuple | None = None


def tag_of(value):
    if isinstance(value, (ZInt, ZFrac)):
        return value.hy
    if isinstance(value, z3.ExprRef):
        return getattr(value, TAG, None)
    return None


def tagged(value, tag):
    """`value` carrying `tag` (ints and fractions are rewrapped; z3 objects get an attribute)."""
    if tag is None:
        return value
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        out = ZInt(value)
        out.hy = tag
        return out
    if isinstance(value, Fraction):
        out = ZFrac(value)
        out.hy = tag
        return out
    if isinstance(value, z3.ExprRef):
        try:
            setattr(value, TAG, tag)
        except AttributeError:
            pass
    return value


def mark_derived(value) -> None:
    if isinstance(value, z3.ExprRef):
        try:
            setattr(value, DERIVED, True)
        except AttributeError:
            pass


def is_derived(value) -> bool:
    """Built from a value read out of a model (so not a fact of the problem)."""
    if isinstance(value, (list, tuple)):
        return any(is_derived(v) for v in value)
    return tag_of(value) is not None or bool(getattr(value, DERIVED, False))


def is_z3_value(value) -> bool:
    """A z3 constant value: a numeral, a truth value, a bit-vector, an enumeration member."""
    if not isinstance(value, z3.ExprRef):
        return False
    if z3.is_int_value(value) or z3.is_rational_value(value) or z3.is_true(value) or z3.is_false(value) \
            or z3.is_bv_value(value) or z3.is_algebraic_value(value):
        return True
    if not z3.is_const(value):
        return False
    kind = value.decl().kind()
    # an enumeration member, or a value of a declared sort as a model names it (A!val!0)
    return kind == z3.Z3_OP_DT_CONSTRUCTOR or kind == z3.Z3_OP_UNINTERPRETED and "!val!" in value.decl().name()


def to_z3(value):
    """A plain number as a z3 numeral-friendly value (ints stay ints; fractions become RealVal)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return int(value.numerator)
        return z3.RealVal(f"{value.numerator}/{value.denominator}")
    return value


def z3_text(expr, limit: int = 70) -> str:
    text = " ".join(str(expr).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def flatten(args) -> list:
    out = []
    for a in args:
        if isinstance(a, (list, tuple)):
            out.extend(flatten(a))
        else:
            out.append(a)
    return out


def unsat_core(constraints, timeout_ms: int = 1000) -> list[tuple[int | None, str]]:
    """(line, text) of a small set of conflicting constraints, from z3's unsat core (minimised for small
    problems only: z3's minimisation does not heed the timeout).

    `constraints` is a list of (expr, line); line may be None when unknown."""
    solver = z3.Solver()
    solver.set("timeout", timeout_ms)
    solver.set("core.minimize", len(constraints) <= 40)
    for i, (expr, _line) in enumerate(constraints):
        solver.assert_and_track(expr, z3.Bool(f"hy!c{i}"))
    if solver.check() != z3.unsat:
        return []
    names = {str(m) for m in solver.unsat_core()}
    return [(line, z3_text(expr)) for i, (expr, line) in enumerate(constraints) if f"hy!c{i}" in names]


def unsat_message(core: list[tuple[int | None, str]]) -> str:
    """The message for an unsat core from `unsat_core`."""
    if not core:
        return "constraints conflict (no model exists)"
    parts = "; ".join(f"line {line}: {text}" if line else text for line, text in core[:6])
    return f"constraints conflict: {parts}"
