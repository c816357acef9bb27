"""SymPy hardened for the solver worker: its string parser off, lambdify guarded, costly evaluations bounded.

`install()` runs once in each worker before the first job (never in the caller's process):
- `parse_expr`, `eval_expr` and `stringify_expr` refuse, so `sympify("...")`, `S("...")` and every other
  path from a string to SymPy's `eval` fails inside the worker, whoever calls it. Two exceptions: SymPy's
  own module-level code while it imports a submodule lazily (constant strings, no program value can
  reach it), and a job that must parse (Math-Verify's answer checking), which calls `allow_parsing()` in
  its own one-shot process.
- Functions whose evaluation grows without bound (`factorial`, `primepi`, `harmonic`, ...) refuse
  arguments past a limit however they are reached (a direct call, `subs`, `doit`, `evalf`), and so do
  `evalf`/`N` precisions, `Float` precisions and integer powers past `MAX_POWER_BITS`.
- `lambdify` (which `nsolve`, and `evalf` of an infinite `Sum`, call: it prints an expression as Python and
  executes the text) refuses any expression that holds an undefined function: those print as a call of
  the function's name, and a name like `eval` would be Python's own. Every module that bound the name at
  import gets the guarded function.
A refused parse is a `SympifyError`, so SymPy's own fallbacks still work (`nsimplify(0.75)` finds 3/4 by
another road). A refused evaluation is a `GuardRefusal`, a BaseException that no `except Exception` inside
SymPy can swallow into a wrong value; the interpreter turns it into an `error` result.
"""
from __future__ import annotations

MAX_DIGITS = 200  # evalf/N precision, in decimal digits, however reached (the gate allows programs 100)
MAX_POWER_BITS = 1_000_000  # an exact integer power larger than this is refused before it is computed
EVAL_LIMITS = {  # class name -> largest integer first argument its eval may take
    "factorial": 5000, "factorial2": 10000, "subfactorial": 5000, "binomial": 100_000,
    "fibonacci": 100_000, "lucas": 100_000, "tribonacci": 100_000, "catalan": 20_000, "bell": 2000,
    "bernoulli": 2000, "euler": 2000, "genocchi": 2000, "partition": 100_000, "motzkin": 5000,
    "harmonic": 2000, "primepi": 10 ** 9, "RisingFactorial": 10 ** 6, "FallingFactorial": 10 ** 6,
}
SECOND_ARG_LIMITS = {"RisingFactorial": 10000, "FallingFactorial": 10000, "binomial": 100_000}

_STATE = {"installed": False, "parsing": False}


class GuardRefusal(BaseException):
    """A guard refused an operation. A BaseException, so that no `except Exception` inside SymPy can
    swallow it (nsimplify would return its input unchanged); the interpreter turns it into an error."""


def allow_parsing() -> None:
    """Let this process parse strings again (only for a job that needs it, in its own process)."""
    _STATE["parsing"] = True


def _sympy_importing_itself() -> bool:
    """True while module-level code of a SymPy module runs (a lazy import such as sympy.physics.units,
    which sympifies its own constant names): such code sees no value of the program's."""
    import sys

    frame = sys._getframe(2)
    for _ in range(60):
        if frame is None:
            return False
        code = frame.f_code
        if code.co_name == "<module>" and code.co_filename.startswith(_STATE["sympy_dir"]):
            return True
        frame = frame.f_back
    return False


def _refusing(original, name: str):
    def refuse(*args, **kwargs):
        if _STATE["parsing"] or _sympy_importing_itself():
            return original(*args, **kwargs)
        from sympy import SympifyError  # SymPy falls back where a parse fails (nsimplify keeps the number)
        raise SympifyError(f"parsing text is switched off in the solver worker ({name})")
    return refuse


def _switch_off_parser() -> None:
    import os

    import sympy
    import sympy.parsing
    import sympy.physics.units  # noqa: F401 - imported lazily by simplify(); it parses its own names
    from sympy.parsing import sympy_parser

    _STATE["sympy_dir"] = os.path.dirname(sympy.__file__) + os.sep
    for name in ("parse_expr", "eval_expr", "stringify_expr"):
        setattr(sympy_parser, name, _refusing(getattr(sympy_parser, name), name))
    sympy.parse_expr = sympy_parser.parse_expr
    sympy.parsing.parse_expr = sympy_parser.parse_expr


def _too_big(value, limit: int) -> bool:
    if isinstance(value, bool):
        return False
    if getattr(value, "is_finite", True) is False:
        return False  # oo, zoo: SymPy evaluates these in closed form (harmonic(oo, 2) is pi**2/6)
    if isinstance(value, int):
        return abs(value) > limit
    if getattr(value, "is_Number", False):
        try:
            return abs(value) > limit
        except TypeError:
            return False
    return False


def _bound(cls, first: int, second: int | None) -> None:
    original = cls.eval.__func__

    def bounded_eval(klass, *args):
        if args and _too_big(args[0], first):
            raise GuardRefusal(f"{cls.__name__}() argument too large (limit {first})")
        if second is not None and len(args) > 1 and _too_big(args[1], second):
            raise GuardRefusal(f"{cls.__name__}() second argument too large (limit {second})")
        return original(klass, *args)

    cls.eval = classmethod(bounded_eval)


def _bound_evaluations() -> None:
    import sympy
    from sympy.core.evalf import EvalfMixin
    from sympy.core.numbers import Float, Integer, Rational

    for name, limit in EVAL_LIMITS.items():
        cls = getattr(sympy, name, None)
        if cls is not None and hasattr(cls, "eval"):
            _bound(cls, limit, SECOND_ARG_LIMITS.get(name))

    evalf = EvalfMixin.evalf

    def bounded_evalf(self, n=15, subs=None, maxn=100, *args, **kwargs):
        for what, value in (("precision", n), ("maxn", maxn)):
            if _too_big(value, MAX_DIGITS):
                raise GuardRefusal(f"evalf {what} too large (limit {MAX_DIGITS} digits)")
        return evalf(self, n, subs, maxn, *args, **kwargs)

    EvalfMixin.evalf = bounded_evalf
    EvalfMixin.n = bounded_evalf

    float_new = Float.__new__

    def bounded_float(cls, num, dps=None, precision=None):
        if _too_big(dps, MAX_DIGITS) or _too_big(precision, MAX_DIGITS * 4):
            raise GuardRefusal(f"Float precision too large (limit {MAX_DIGITS} digits)")
        return float_new(cls, num, dps=dps, precision=precision)

    Float.__new__ = bounded_float

    for cls in (Integer, Rational):
        _bound_power(cls)


def _bound_power(cls) -> None:
    original = cls._eval_power

    def bounded_power(self, expt):
        if getattr(expt, "is_Integer", False) and abs(int(expt)) > 1:
            base_bits = max(int(self.p).bit_length(), int(self.q).bit_length())
            if base_bits > 1 and base_bits * abs(int(expt)) > MAX_POWER_BITS:
                raise GuardRefusal(f"number too large: a power of more than {MAX_POWER_BITS} bits")
        return original(self, expt)

    cls._eval_power = bounded_power


def _guard_lambdify() -> None:
    import importlib
    import sys

    from sympy import Basic, MatrixBase, preorder_traversal
    from sympy.core.function import AppliedUndef, Function, UndefinedFunction

    lambdify_module = importlib.import_module("sympy.utilities.lambdify")
    original = lambdify_module.lambdify

    def undefined(expr) -> bool:
        if isinstance(expr, UndefinedFunction):
            return True
        if isinstance(expr, (Basic, MatrixBase)):
            return bool(expr.atoms(AppliedUndef)) or any(
                isinstance(getattr(node, "func", None), UndefinedFunction) for node in preorder_traversal(expr))
        if isinstance(expr, (list, tuple, set, frozenset)):
            return any(undefined(e) for e in expr)
        if isinstance(expr, dict):
            return any(undefined(e) for e in list(expr.keys()) + list(expr.values()))
        return False

    def guarded_lambdify(args, expr, *rest, **options):
        if undefined(expr) or undefined(args):
            raise GuardRefusal("an undefined function cannot be evaluated numerically")
        return original(args, expr, *rest, **options)

    evalf_by_name = Function._eval_evalf

    def no_lookup_by_name(self, prec):  # an undefined function is looked up in mpmath by its name
        if isinstance(self.func, UndefinedFunction):
            return None
        return evalf_by_name(self, prec)

    Function._eval_evalf = no_lookup_by_name

    for module in list(sys.modules.values()):
        if getattr(module, "lambdify", None) is original:
            module.lambdify = guarded_lambdify
    lambdify_module.lambdify = guarded_lambdify  # what later imports of the name get


def build_lazy_tables() -> None:
    """Tables SymPy builds on first use from constant strings (S('3/2')): build them before the parser is
    switched off, or geometric series, Gaussian integrals and the like would fail."""
    import importlib

    hyperexpand = importlib.import_module("sympy.simplify.hyperexpand")  # the package re-exports a function
    meijerint = importlib.import_module("sympy.integrals.meijerint")

    if hyperexpand._collection is None:
        hyperexpand._collection = hyperexpand.FormulaCollection()
    if not meijerint._lookup_table:
        table: dict = {}
        meijerint._create_lookup_table(table)
        meijerint._lookup_table = table


def install() -> None:
    """Switch the parser off, guard lambdify and bound the evaluations (idempotent)."""
    if _STATE["installed"]:
        return
    _STATE["installed"] = True
    build_lazy_tables()
    _switch_off_parser()
    _guard_lambdify()
    _bound_evaluations()
