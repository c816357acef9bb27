"""The named values a program left behind, as plain typed text: what a later reasoning step may use.

Worker side: `collect(interp)` walks the module-level names a program assigned (in the order of their last
assignment) and keeps the scalars: whole numbers, rationals, floats, text, truth values (sympy numbers and
values read out of a z3 model are turned into these first). Each becomes `[kind, text, reported]`:
kind one of `KINDS`, text its canonical spelling ("12", "3/4", "0.5", "True", any short string) and
reported whether the name holds the very value the run reported as its answer (or one element of it):
the one value a z3 run checks to be fixed by the constraints, where every other name may hold what one
model of them happened to give.
Containers, functions, solvers, models and symbolic expressions are left out, and so is any name that
starts with an underscore. At most `MAX_VALUES` names; the caps are shared with the reply schema
(`solvers.sandbox.replies`), which checks them again on the caller's side. Nothing here evaluates text.
"""
from __future__ import annotations

import keyword
import math
import re
from fractions import Fraction

KINDS = ("int", "rational", "float", "str", "bool")
MAX_VALUES = 64
MAX_NAME_CHARS = 64
MAX_TEXT_CHARS = 200
MAX_DIGITS = 200
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_INT = re.compile(r"-?[0-9]{1,%d}\Z" % MAX_DIGITS)
_RATIONAL = re.compile(r"-?[0-9]{1,%d}/[0-9]{1,%d}\Z" % (MAX_DIGITS, MAX_DIGITS))
_FLOAT = re.compile(r"-?[0-9]+(\.[0-9]+)?(e[-+]?[0-9]+)?\Z")


def good_name(name: object) -> bool:
    """An identifier a value may be carried under: ASCII, starts with a letter, not a keyword."""
    return (isinstance(name, str) and len(name) <= MAX_NAME_CHARS and bool(_NAME.match(name))
            and not keyword.iskeyword(name))


def good_entry(entry: object) -> bool:
    """Is `entry` a well-formed `[kind, text, reported]` (the caller's strict check)?"""
    if not isinstance(entry, list) or len(entry) != 3:
        return False
    kind, text, reported = entry
    if kind not in KINDS or not isinstance(text, str) or not isinstance(reported, bool):
        return False
    if kind == "int":
        return bool(_INT.match(text))
    if kind == "rational":
        if not _RATIONAL.match(text):
            return False
        return int(text.split("/")[1]) > 1
    if kind == "float":
        return len(text) <= 40 and bool(_FLOAT.match(text))
    if kind == "bool":
        return text in ("True", "False")
    try:
        text.encode("utf-8")  # a lone surrogate cannot be shown, written to JSON or carried
    except UnicodeEncodeError:
        return False
    return len(text) <= MAX_TEXT_CHARS


def _rational(q: Fraction) -> tuple[str, str] | None:
    if q.denominator == 1:
        return _whole(q.numerator)
    if len(str(q.numerator)) > MAX_DIGITS or len(str(q.denominator)) > MAX_DIGITS:
        return None
    return "rational", f"{q.numerator}/{q.denominator}"


def _whole(n: int) -> tuple[str, str] | None:
    if n.bit_length() > MAX_DIGITS * 3:  # well under MAX_DIGITS decimal digits; str() stays cheap
        return None
    return "int", str(int(n))


def typed(value) -> tuple[str, str] | None:
    """(kind, text) of a scalar value, or None for anything else. Never raises."""
    try:
        return _typed(value)
    except Exception:  # noqa: BLE001 - a value we cannot describe is simply not carried
        return None


def _typed(value) -> tuple[str, str] | None:
    import sys

    if isinstance(value, bool):
        return "bool", str(value)
    if isinstance(value, int):
        return _whole(value)
    if isinstance(value, Fraction):
        return _rational(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        if value.is_integer() and abs(value) < 1e15:
            return "int", str(int(value))
        return "float", repr(value)
    if isinstance(value, str):
        return ("str", value) if len(value) <= MAX_TEXT_CHARS else None
    sympy, z3 = sys.modules.get("sympy"), sys.modules.get("z3")
    if sympy is not None and isinstance(value, sympy.Basic) and not isinstance(value, type):
        if value is sympy.true or value is sympy.false:
            return "bool", str(bool(value))
        if isinstance(value, sympy.Integer):
            return _whole(int(value))
        if isinstance(value, sympy.Rational):
            return _rational(Fraction(int(value.p), int(value.q)))
        if isinstance(value, sympy.Float):
            return _typed(float(value))
        return None
    if z3 is not None and isinstance(value, z3.ExprRef):
        from solvers.interpreter.tags import is_z3_value
        from solvers.normalize import z3_value

        if not is_z3_value(value):
            return None
        plain = z3_value(value)
        return None if isinstance(plain, z3.ExprRef) else _typed(plain)
    return None


def collect(interp, answer=None) -> dict[str, list]:
    """{name: [kind, text, reported]} for the scalars a finished program left at module level; `answer`
    is the value the run reports (the same object, or a list or tuple holding it, marks a name reported)."""
    reported = {id(answer)} if answer is not None else set()
    if isinstance(answer, (list, tuple)):
        reported |= {id(part) for part in answer[:MAX_VALUES]}
    out: dict[str, list] = {}
    for name in list(interp.assigned):
        if len(out) >= MAX_VALUES:
            break
        if not good_name(name):
            continue
        value = interp.globals.get(name)
        found = typed(value)
        if found is None:
            continue
        out[name] = [found[0], found[1], id(value) in reported]
    return out
