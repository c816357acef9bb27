"""THE value gate: every value a program hands to SymPy or Z3 crosses here, and nothing else crosses.

Rules (one place to audit them):
- Strings never reach a parser. Into SymPy a string is a plain numeral (becomes a Rational) or a bare
  identifier (becomes a Symbol); the first argument of a name-taking constructor (`symbols`, `Symbol`,
  `Function`, ...) must be identifiers, with sympy's range syntax counted (`x(:30)(:30)` is 900 names).
  Into Z3 a string is only ever a name; z3 never parses it.
- Containers are rebuilt, element by element, through the same gate: lists, tuples, sets, dicts, and
  the views and iterators that are not containers (`d.keys()`, `d.items()`, `range`, `zip`, `map`, ...)
  become lists. Nothing is handed over for the library to iterate or stringify by itself.
- Callables are never handed over raw. A function of the program, a built-in, or a library function
  passed as an argument becomes a gated callback: when the library calls it, the call goes through
  the interpreter (so its arguments are checked like any call) and what it returns crosses this gate
  again before the library sees it. The only raw callables allowed through are SymPy classes from the
  allow-list (`atoms(Symbol)`, `rewrite(cos)`, `symbols(..., cls=Function)`), which parse nothing.
- Keyword values are checked exactly like positional ones; a few keywords are refused outright
  (`ctx=` for z3: a bogus context crashes the process; `cls=` other than Symbol/Dummy/Wild/Function);
  the name-taking constructors take only truth values as keywords (assumptions); a few option keywords
  take fixed words (`dir='+'`, `method='bareiss'`). A function's name is never one of Python's.
- Anything else (modules, models, solvers, unknown objects) is refused with a message.
- Costly arguments are bounded before the call: `N`/`evalf`/`Float`/`nsolve` precision, z3
  `as_decimal`/`approx` digits, series orders and derivative counts, matrix sizes, counting functions'
  sizes (SymPy's own evaluations are bounded in the worker too, whatever path reaches them:
  `solvers.guards`).
"""
from __future__ import annotations

import builtins
import keyword
import re
from fractions import Fraction

import mpmath
import sympy as sp
import z3

from solvers.interpreter.allowlists import Namespace
from solvers.interpreter.builtins import Builtin, Wrapped
from solvers.interpreter.numbers import NUMERAL, numeral
from solvers.interpreter.tags import ZFrac, ZInt, to_z3
from solvers.language import clip

NAME_TAKING = {"symbols", "Symbol", "Dummy", "Function", "Wild"}
IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,30}$")
_NAME_TOKEN = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,30}((\(\d*:\d+\))|(\([A-Za-z]?:[A-Za-z]\))|(\d*:\d+$))*$")
_RANGE = re.compile(r"(\d*):(\d+)|([A-Za-z]?):([A-Za-z])")
MAX_SYMBOLS = 1000
MAX_DIGITS = 100  # N/evalf/Float precision a program may ask for
MAX_Z3_DIGITS = 100  # z3 as_decimal/approx precision
MAX_Z3_ITEMS = 10_000  # IntVector/BoolVector sizes, EnumSort values
MAX_ORDER = 1000  # series orders and derivative counts
MATRIX_BUILDERS = ("zeros", "ones", "eye", "Matrix")
MATRIX_HEAVY = ("det", "inv", "eigenvals", "eigenvects", "rref", "nullspace", "LUsolve", "rank")
MAX_ITERATIONS = 1000  # nsolve/nroots steps
MAX_NUMERIC_MATRIX, MAX_SYMBOLIC_MATRIX = 60, 6  # rows for det/inv/eigenvals/... (numbers / with symbols)
COUNTED = {"factorial": 5000, "factorial2": 5000, "fibonacci": 5000, "lucas": 5000, "prime": 5000,
           "binomial": 5000, "harmonic": 2000, "primepi": 10 ** 9, "bell": 2000, "bernoulli": 2000,
           "catalan": 20_000, "primerange": 10 ** 7, "divisors": 10 ** 12, "divisor_count": 10 ** 18,
           "factorint": 10 ** 30, "totient": 10 ** 30}
SYMBOL_CLASSES = (sp.Symbol, sp.Dummy, sp.Wild, sp.Function)
PYTHON_NAMES = frozenset(dir(builtins))
MPMATH_NAMES = frozenset(dir(mpmath))  # evalf looks a function up in mpmath by its name
OPTION_WORDS = {  # keyword arguments whose value may be one of these words (SymPy parses none of them)
    "dir": ("+", "-", "+-"), "method": ("berkowitz", "bareiss", "LU", "lu", "GE", "gauss", "CH", "LDL", "QR",
                                        "bisect", "secant", "newton", "domain-ge", "ADJ"),
    "domain": ("ZZ", "QQ", "RR", "CC", "EX", "ZZ_I", "QQ_I"), "solver": ("bisect", "secant", "newton"),
    "rational": (), "order": ("lex", "grlex", "grevlex"),
}
_VIEWS = (type({}.keys()), type({}.values()), type({}.items()), range, enumerate, zip, map, filter, reversed)


class GateMixin:
    # ------------------------------------------------------------------ into SymPy
    def sympy_args(self, name: str, args, kwargs):
        """Positional and keyword arguments for the SymPy callable `name`, each through the gate."""
        base = name.split(".")[-1]
        self.bound_sympy_call(base, args, kwargs)
        if base in NAME_TAKING:  # exactly one name (Function(name, bases) would make classes of its own)
            if len(args) > 1 or (len(args) == 0 and base != "Dummy") or (args and not isinstance(args[0], str)):
                self.fail(f"{base}() takes one name, as text: {base}('x')")
        out = []
        for i, a in enumerate(args):
            if i == 0 and base in NAME_TAKING and isinstance(a, str):
                out.append(self.symbol_names(a, ranges=base == "symbols", function=base == "Function"
                                             or kwargs.get("cls") is sp.Function))
            else:
                out.append(self.to_sympy(a, name))
        new_kwargs = {}
        for k, v in kwargs.items():
            if k == "cls":
                if not any(v is c for c in SYMBOL_CLASSES):
                    self.fail("cls= must be Symbol, Dummy, Wild or Function")
                new_kwargs[k] = v
            elif base in NAME_TAKING:
                if not (isinstance(v, bool) or v is None or k == "seq" and isinstance(v, bool)):
                    self.fail(f"{base}(): {k}= takes True or False (an assumption such as positive=True)")
                new_kwargs[k] = v
            elif isinstance(v, str) and v in OPTION_WORDS.get(k, ()):
                new_kwargs[k] = v  # a fixed option word, as in limit(..., dir='+') or det(method='bareiss')
            else:
                new_kwargs[k] = self.to_sympy(v, name)
        return out, new_kwargs

    def to_sympy(self, value, name: str):
        """`value` as SymPy may receive it, or a refusal."""
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, str):
            if NUMERAL.match(value):
                return sp.Rational(numeral(value))
            if IDENTIFIER.match(value):
                return sp.Symbol(value)  # solve(eq, 'x'): a bare name is a symbol, nothing is parsed
            self.fail(f"string arguments to sympy are not allowed ({clip(repr(value), 40)} in {name}()); "
                      "build expressions from symbols instead")
        if isinstance(value, ZInt):
            return int(value)
        if isinstance(value, ZFrac):
            return sp.Rational(value.numerator, value.denominator)
        if isinstance(value, int):
            return value
        if isinstance(value, Fraction):
            return sp.Rational(value.numerator, value.denominator)
        if isinstance(value, float):
            return value
        if isinstance(value, (sp.Basic, sp.MatrixBase, sp.Poly)) and not isinstance(value, type):
            return value
        if isinstance(value, type) and issubclass(value, sp.Basic) and self.allowed_sympy_class(value):
            return value
        if isinstance(value, list):
            return [self.to_sympy(v, name) for v in value]
        if isinstance(value, tuple):
            return tuple(self.to_sympy(v, name) for v in value)
        if isinstance(value, (set, frozenset)):
            return type(value)(self.to_sympy(v, name) for v in value)
        if isinstance(value, dict):
            return {self.to_sympy(k, name): self.to_sympy(v, name) for k, v in value.items()}
        if isinstance(value, _VIEWS):
            return [self.to_sympy(v, name) for v in self.to_list(value)]
        if isinstance(value, z3.ExprRef):
            self.fail(f"z3 values cannot be passed to sympy ({name}()); use .as_long()")
        if self.is_program_callable(value):
            return self.callback(value, lambda out: self.to_sympy(out, name))
        self.fail(f"{self.type_name(value)} cannot be passed to sympy ({name}())")

    def allowed_sympy_class(self, cls) -> bool:
        """A SymPy class the allow-list names (or a function the program declared with Function)."""
        from solvers.interpreter.calls import sympy_callables
        return cls in sympy_callables() or isinstance(cls, sp.FunctionClass) and \
            isinstance(cls, sp.core.function.UndefinedFunction)

    def symbol_names(self, names: str, ranges: bool, function: bool = False) -> str:
        """`names` if it is identifiers (and, for symbols(), range syntax) making at most MAX_SYMBOLS. A
        function's name must not be one of Python's own: printed as a call by lambdify, `eval(...)` would
        be Python's eval."""
        tokens = [t for t in re.split(r"[\s,]+", names.strip()) if t]
        if not tokens or len(names) > 2000:
            self.fail("symbol names must be identifiers like 'x y z'")
        total = 0
        for token in tokens:
            if not (_NAME_TOKEN.match(token) if ranges else IDENTIFIER.match(token)):
                self.fail(f"symbol name {clip(repr(token), 40)} is not an identifier")
            if function and (token in PYTHON_NAMES or keyword.iskeyword(token) or token in MPMATH_NAMES):
                self.fail(f"{token!r} is a Python or mpmath name; call the function something else")
            count = 1
            for start, end, first, last in _RANGE.findall(token):
                if end:
                    count *= max(0, int(end) - int(start or 0))
                else:
                    count *= max(0, ord(last) - ord(first or "a") + 1)
            total += count
            if total > MAX_SYMBOLS:
                self.fail(f"too many symbols requested (limit {MAX_SYMBOLS})")
        return names

    def bound_sympy_call(self, base: str, args, kwargs) -> None:
        """Refuse arguments that would make a SymPy call run away before it starts."""
        if base in COUNTED and args:
            self.bounded_int(args[0], COUNTED[base], base)
        if base in ("N", "evalf", "n") and (len(args) > (1 if base == "N" else 0) or "n" in kwargs):
            digits = args[1 if base == "N" else 0] if len(args) > (1 if base == "N" else 0) else kwargs["n"]
            self.bounded_int(digits, MAX_DIGITS, f"{base}() precision")
        if base == "N" and "maxn" in kwargs or base in ("evalf", "n") and "maxn" in kwargs:
            self.bounded_int(kwargs["maxn"], MAX_DIGITS, f"{base}() maxn")
        if base == "Float" and (len(args) > 1 or "dps" in kwargs or "precision" in kwargs):
            digits = args[1] if len(args) > 1 else kwargs.get("dps", kwargs.get("precision"))
            self.bounded_int(digits, MAX_DIGITS, "Float() precision")
        if base == "round" and args:
            self.bounded_int(args[0], MAX_DIGITS, "round() digits")
        if base == "nsolve" and "prec" in kwargs:
            self.bounded_int(kwargs["prec"], MAX_DIGITS, "nsolve() prec")
        if base in ("series", "diff", "Derivative", "nseries", "integrate", "Integral"):  # orders, counts
            for value in list(args) + [kwargs.get("n")]:
                for item in value if isinstance(value, (tuple, list)) else (value,):
                    if isinstance(item, (int, sp.Integer)) and not isinstance(item, bool):
                        self.bounded_int(item, MAX_ORDER, f"{base}() order or count")
        for key in ("maxsteps", "n", "maxn", "prec", "degree"):
            if key in kwargs and base in ("nsolve", "nroots", "real_roots", "roots", "N", "evalf"):
                self.bounded_int(kwargs[key], MAX_ITERATIONS if key == "maxsteps" else MAX_DIGITS,
                                 f"{base}() {key}")
        if base in MATRIX_BUILDERS:
            dims = [int(a) for a in args[:2] if isinstance(a, int) and not isinstance(a, bool)]
            entries = dims[0] * (dims[1] if len(dims) > 1 else dims[0] if base in ("zeros", "ones", "eye")
                                 else 1) if dims else 0
            if entries > self.limits.max_collection_len:
                self.fail(f"{base}(): matrix too large (limit {self.limits.max_collection_len} entries)")

    def bound_matrix_method(self, matrix, name: str) -> None:
        """det/inv/eigenvals/... cost grows steeply with size, and explodes with symbols in the entries."""
        if name in MATRIX_HEAVY and isinstance(matrix, sp.MatrixBase):
            size = max(matrix.rows, matrix.cols)
            limit = MAX_SYMBOLIC_MATRIX if matrix.free_symbols else MAX_NUMERIC_MATRIX
            if size > limit:
                self.fail(f"{name}() of a {matrix.rows}x{matrix.cols} matrix is too costly (limit {limit} rows"
                          f"{' with symbols' if matrix.free_symbols else ''})")

    def bounded_int(self, value, limit: int, what: str) -> None:
        try:
            number = int(value)
        except (TypeError, ValueError):
            return  # symbolic: SymPy does not evaluate it (and solvers.guards bounds it if it does)
        if abs(number) > limit:
            self.fail(f"{what} argument too large (limit {limit})")

    # ------------------------------------------------------------------ into Z3
    def z3_args(self, name: str, args, kwargs):
        """Positional and keyword arguments for the z3 callable `name`, each through the gate."""
        if "ctx" in kwargs:
            self.fail(f"{name}(): the ctx= argument is not allowed")
        if name in ("as_decimal", "approx") and args:
            self.bounded_int(args[0], MAX_Z3_DIGITS, f"{name}()")
        if name in ("IntVector", "RealVector", "BoolVector") and len(args) > 1:
            self.bounded_int(args[1], MAX_Z3_ITEMS, f"{name}() size")
        if name == "EnumSort" and len(args) > 1 and isinstance(args[1], (list, tuple)) and \
                len(args[1]) > MAX_Z3_ITEMS:
            self.fail(f"EnumSort() with more than {MAX_Z3_ITEMS} values")
        if name in ("BitVec", "BitVecs", "BitVecVal", "BitVecSort") and len(args) > 1:
            self.bounded_int(args[-1], self.limits.max_int_bits, f"{name}() width")
        return [self.to_z3_arg(a) for a in args], {k: self.to_z3_arg(v) for k, v in kwargs.items()}

    def to_z3_arg(self, value):
        """`value` as z3 may receive it, or a refusal."""
        if value is None or isinstance(value, (bool, str)):
            return value
        if isinstance(value, (int, Fraction)):
            return to_z3(value)
        if isinstance(value, (z3.AstRef, z3.SortRef, z3.FuncDeclRef, z3.CheckSatResult)):
            return value
        if isinstance(value, float):
            return value
        if isinstance(value, sp.Basic):
            if isinstance(value, sp.Integer):
                return int(value)
            if isinstance(value, sp.Rational):
                return z3.RealVal(f"{value.p}/{value.q}")
            if value is sp.true or value is sp.false:
                return bool(value)
            self.fail(f"sympy value {clip(str(value), 30)} cannot be used in z3")
        if isinstance(value, list):
            return [self.to_z3_arg(v) for v in value]
        if isinstance(value, tuple):
            return tuple(self.to_z3_arg(v) for v in value)
        if isinstance(value, _VIEWS) or isinstance(value, (set, frozenset, dict)):
            return [self.to_z3_arg(v) for v in self.to_list(value)]
        if isinstance(value, (z3.Solver, z3.Optimize, z3.ModelRef)):
            self.fail(f"a {type(value).__name__} cannot be an argument here")
        self.fail(f"{self.type_name(value)} cannot be passed to z3")

    # ------------------------------------------------------------------ callables crossing over
    def is_program_callable(self, value) -> bool:
        from solvers.interpreter.core import UserFunction
        if isinstance(value, (UserFunction, Builtin, Wrapped)):
            return True
        return callable(value) and not isinstance(value, (type, Namespace))

    def callback(self, fn, back):
        """A plain function for a library to call: the call runs through the interpreter (arguments
        checked, limits counted) and `back` gates what it returns before the library sees it."""
        def gated(*args, **kwargs):
            return back(self.call(fn, list(args), dict(kwargs), None))
        return gated
