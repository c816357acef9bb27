"""Allow-lists: the names a program may import from sympy, z3 and math, and the attributes it may read on
each kind of value. Runs in the worker only (imports sympy and z3).

A name or attribute missing from these tables is refused with a message naming it. Functions that turn
strings into code (sympify, parse_expr, lambdify, S("...")) are absent; strings passed to the sympy
functions that remain are refused by the interpreter unless they are plain numbers or symbol names.
"""
from __future__ import annotations

import math
from fractions import Fraction

import sympy as sp
import z3

SYMPY_NAMES = """
symbols Symbol Dummy Function Wild Eq Ne Lt Le Gt Ge solve solveset linsolve nonlinsolve nsolve roots
real_roots nroots Rational Integer Float Number simplify expand factor nsimplify collect cancel apart
together trigsimp powsimp radsimp ratsimp sqrt cbrt root floor ceiling frac Abs sign Min Max pi E I oo zoo
nan Mod gcd lcm igcd ilcm factorial factorial2 binomial exp log ln sin cos tan cot sec csc asin acos atan
atan2 acot sinh cosh tanh asinh acosh atanh diff integrate limit summation Sum product Product series N
Matrix Poly degree Piecewise And Or Not Xor Implies Interval Union Intersection FiniteSet EmptySet
S Reals Integers Naturals Naturals0 Complexes prime isprime primerange nextprime prevprime primepi divisors
divisor_count factorint totient fibonacci lucas catalan harmonic re im conjugate arg rad deg Tuple
true false Q ask refine expand_log logcombine Derivative Integral Limit Lambda
zeros ones eye diag numer denom fraction Subs
""".split()

Z3_NAMES = """
Int Ints Real Reals Bool Bools IntVal RealVal BoolVal Q Solver Optimize sat unsat unknown And Or Not
Implies If Xor Distinct Sum Product PbEq PbLe PbGe AtMost AtLeast ForAll Exists simplify is_true is_false
is_int_value is_rational_value IntSort RealSort BoolSort Function Const Consts ToReal ToInt IsInt
IntVector RealVector BoolVector EnumSort DeclareSort BitVec BitVecs BitVecVal UDiv URem ULT ULE UGT UGE LShR
substitute
""".split()

# Methods and properties readable on sympy values (Basic, matrices, polys).
SYMPY_ATTRS = frozenset("""
subs evalf n simplify expand factor doit rhs lhs args free_symbols is_integer is_rational is_real
is_positive is_negative is_zero is_nonnegative is_nonpositive is_number is_Integer is_Rational is_Float
is_Symbol is_finite is_even is_odd is_prime is_constant p q numerator denominator as_numer_denom coeff
as_coefficients_dict together cancel limit diff integrate series round name as_real_imag conjugate
as_poly all_coeffs coeffs degree has atoms xreplace is_polynomial collect trigsimp apart
det inv T rank solve LUsolve rref shape rows cols eigenvals eigenvects tolist transpose row col
nullspace norm dot cross start end left right inf sup contains is_empty lhs rhs reversed
as_ordered_terms as_expr gens rewrite floor ceiling
""".split())

SOLVER_METHODS = frozenset("""
add append assert_exprs insert assert_and_track check model push pop reset assertions unsat_core
minimize maximize add_soft num_scopes reason_unknown
""".split())
MODEL_METHODS = frozenset({"eval", "evaluate", "decls"})
Z3_EXPR_ATTRS = frozenset("""
as_long as_fraction as_decimal as_string numerator_as_long denominator_as_long numerator denominator
is_int is_real sexpr decl arg num_args children eq sort approx py_value name arity params
""".split())
OBJECTIVE_ATTRS = frozenset({"value", "lower", "upper"})
SINGLETON_ATTRS = frozenset("""
Half One Zero NegativeOne Infinity NegativeInfinity Reals Integers Naturals Naturals0 Complexes
EmptySet Pi Exp1 ImaginaryUnit true false
""".split())

# Methods on plain Python values (name -> allowed). Fractions stand in for floats, so they also offer
# the float methods.
PY_METHODS: dict[type, frozenset[str]] = {
    list: frozenset("append extend pop insert index count sort reverse copy remove clear".split()),
    dict: frozenset("get keys values items update setdefault pop copy clear".split()),
    set: frozenset("add update discard remove pop union intersection difference issubset issuperset "
                   "copy clear symmetric_difference".split()),
    tuple: frozenset({"index", "count"}),
    str: frozenset("split join strip lstrip rstrip lower upper replace startswith endswith count find "
                   "isdigit isalpha isnumeric title capitalize format zfill ljust rjust center splitlines "
                   "rsplit index isupper islower".split()),
    int: frozenset({"bit_length", "numerator", "denominator", "is_integer", "real", "conjugate"}),
    Fraction: frozenset({"numerator", "denominator", "is_integer", "limit_denominator",
                         "as_integer_ratio"}),
    float: frozenset({"is_integer", "as_integer_ratio", "real", "conjugate"}),
}


class Namespace:
    """An importable module as the program sees it: a fixed table of allowed names."""

    def __init__(self, name: str, members: dict):
        self.name = name
        self.members = members

    def __repr__(self) -> str:
        return f"<module {self.name}>"


def _sympy_members() -> dict:
    members = {}
    for name in SYMPY_NAMES:
        if hasattr(sp, name):
            members[name] = getattr(sp, name)
    members["ln"] = sp.log
    return members


def _z3_members() -> dict:
    return {name: getattr(z3, name) for name in Z3_NAMES if hasattr(z3, name)}


MATH_FLOAT_FUNCS = """
exp log log2 log10 log1p sin cos tan asin acos atan atan2 sinh cosh tanh degrees radians hypot pow
expm1 erf gamma lgamma
""".split()
MATH_EXACT_FUNCS = """
sqrt floor ceil trunc gcd lcm factorial comb perm isqrt prod fsum fabs isclose isfinite isinf isnan
copysign fmod modf dist cbrt
""".split()
MATH_CONSTANTS = {"pi": math.pi, "e": math.e, "tau": math.tau, "inf": math.inf}

_CACHE: dict[str, Namespace] = {}


def sympy_namespace() -> Namespace:
    if "sympy" not in _CACHE:
        _CACHE["sympy"] = Namespace("sympy", _sympy_members())
    return _CACHE["sympy"]


def z3_namespace() -> Namespace:
    if "z3" not in _CACHE:
        _CACHE["z3"] = Namespace("z3", _z3_members())
    return _CACHE["z3"]
