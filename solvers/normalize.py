"""Turn whatever a program computed into the answer text and number of a `SolverResult`.

Rules: an integral value prints as an integer ("7"); a terminating rational as an exact decimal ("2.5");
any other rational as "p/q" with `number` filled; floats to 12 significant digits, trailing zeros
stripped; sympy irrationals as their sympy text ("sqrt(2)") with `number`; booleans "True"/"False";
lists and tuples as "[1, 2]". Z3 values are evaluated and simplified first, so `m[x] + 4` gives "48".
`display` is the same idea for text shown inside prints and f-strings, where non-terminating rationals
are written as decimals. Runs in the worker (sympy and z3 are imported lazily, and only if a value
needs them).
"""
from __future__ import annotations

import math
import sys
from fractions import Fraction

Rendered = tuple[str, float | None]


def _sympy():
    return sys.modules.get("sympy")


def _z3():
    return sys.modules.get("z3")


def _terminating(q: Fraction) -> bool:
    d = q.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


def decimal_text(q: Fraction) -> str:
    """Exact decimal text of a terminating rational."""
    sign = "-" if q < 0 else ""
    q = abs(q)
    whole, rest = divmod(q.numerator, q.denominator)
    if rest == 0:
        return f"{sign}{whole}"
    digits = []
    while rest and len(digits) < 400:
        rest *= 10
        digit, rest = divmod(rest, q.denominator)
        digits.append(str(digit))
    return f"{sign}{whole}." + "".join(digits)


def float_text(x: float, digits: int = 12) -> str:
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    text = f"{x:.{digits}g}"
    if "e" not in text and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0",):
        text = "0"
    return text


def _safe_float(q) -> float | None:
    try:
        return float(q)
    except (OverflowError, ValueError, TypeError):
        return None


def render_rational(q: Fraction) -> Rendered:
    if q.denominator == 1:
        return str(q.numerator), _safe_float(q.numerator)
    if _terminating(q):
        return decimal_text(q), _safe_float(q)
    return f"{q.numerator}/{q.denominator}", _safe_float(q)


def render_float(x: float, digits: int = 12) -> Rendered:
    if x.is_integer() and abs(x) < 1e16:
        return str(int(x)), x
    text = float_text(x, digits)
    try:
        return text, float(text)
    except ValueError:
        return text, None


def z3_value(value, model=None):
    """A z3 expression evaluated (in `model` if given) and simplified; plain Python values pass through."""
    z3 = _z3()
    if z3 is None or not isinstance(value, z3.ExprRef):
        return value
    try:
        if model is not None:
            value = model.eval(value, model_completion=True)
        value = z3.simplify(value)
    except z3.Z3Exception:
        return value
    if z3.is_int_value(value):
        return value.as_long()
    if z3.is_rational_value(value):
        return Fraction(value.numerator_as_long(), value.denominator_as_long())
    if z3.is_algebraic_value(value):
        try:
            return float(Fraction(value.approx(20).as_fraction()))
        except Exception:  # noqa: BLE001
            return value
    if z3.is_true(value):
        return True
    if z3.is_false(value):
        return False
    return value


def exceeds(value, limit: int) -> bool:
    """True when `value` holds more than `limit` elements in all, counting a shared element each time it
    appears (what rendering it would cost). Stops counting as soon as it knows."""
    budget = [limit]
    stack = [value]
    while stack:
        item = stack.pop()
        budget[0] -= 1
        if budget[0] < 0:
            return True
        if isinstance(item, (list, tuple, set, frozenset)):
            if len(item) > budget[0]:
                return True
            stack.extend(item)
        elif isinstance(item, dict):
            if 2 * len(item) > budget[0]:
                return True
            stack.extend(item.keys())
            stack.extend(item.values())
        else:
            sp = _sympy()
            if sp is not None and isinstance(item, sp.MatrixBase):
                if item.rows * item.cols > budget[0]:
                    return True
    return False


def render(value) -> Rendered:
    """(text, number) for an answer value. Never raises."""
    try:
        return _render(value)
    except Exception:  # noqa: BLE001 - rendering must never fail a run
        try:
            return str(value)[:2000], None
        except Exception:  # noqa: BLE001
            return "<unprintable>", None


def _render(value) -> Rendered:
    if value is None:
        return "None", None
    if isinstance(value, bool):
        return str(value), None
    if isinstance(value, int):
        return str(value), _safe_float(value)
    if isinstance(value, Fraction):
        return render_rational(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value)), value
        return render_float(value)
    if isinstance(value, str):
        return value.strip(), None
    if isinstance(value, (list, tuple)):
        parts = [_render(v)[0] for v in value]
        return "[" + ", ".join(parts) + "]", None
    if isinstance(value, dict):
        parts = [f"{_render(k)[0]}: {_render(v)[0]}" for k, v in value.items()]
        return "{" + ", ".join(parts) + "}", None
    if isinstance(value, (set, frozenset)):
        parts = sorted(_render(v)[0] for v in value)
        return "{" + ", ".join(parts) + "}", None
    z3 = _z3()
    if z3 is not None and isinstance(value, z3.AstRef):
        if isinstance(value, z3.ExprRef):
            plain = z3_value(value)
            if not isinstance(plain, z3.ExprRef):
                return _render(plain)
        return str(value), None
    sp = _sympy()
    if sp is not None and isinstance(value, (sp.Basic, sp.MatrixBase)):
        return _render_sympy(sp, value)
    return str(value)[:2000], None


def _render_sympy(sp, value) -> Rendered:
    if isinstance(value, sp.MatrixBase):
        return _render(value.tolist())
    if value is sp.true or value is sp.false:
        return str(bool(value)), None
    if isinstance(value, sp.Integer):
        return _render(int(value))
    if isinstance(value, sp.Rational):
        return render_rational(Fraction(int(value.p), int(value.q)))
    if isinstance(value, sp.Float):
        from mpmath.libmp import prec_to_dps
        digits = max(1, min(12, prec_to_dps(value._prec)))
        return render_float(float(value), digits)
    if isinstance(value, (sp.Tuple, sp.FiniteSet)) and not isinstance(value, sp.Expr):
        return _render(list(value))
    if isinstance(value, sp.Expr) and value.is_number:
        try:
            number = complex(value.evalf(30))
        except (TypeError, ValueError):
            return str(value), None
        if abs(number.imag) > 1e-12 * max(1.0, abs(number.real)):
            return str(value), None
        text = str(value)
        approx = float(float_text(number.real))
        return text, approx
    return str(value), None


def display(value) -> str:
    """Text for a value inside printed output and f-strings (decimals rather than p/q)."""
    if isinstance(value, Fraction) and not isinstance(value, bool):
        if value.denominator == 1 or _terminating(value):
            return render_rational(value)[0]
        return float_text(float(value))
    if isinstance(value, float):
        text, _ = render(value)
        return text
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(display_item(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{display_item(k)}: {display_item(v)}" for k, v in value.items()) + "}"
    if isinstance(value, str):
        return value
    return render(value)[0]


def display_item(value) -> str:
    if isinstance(value, str):
        return repr(value)
    return display(value)
