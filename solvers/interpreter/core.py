"""The `Interpreter`: one per program run; limits, the dispatch of nodes, names, and the program's functions.

The class is assembled from one mixin per wall (statements, expressions, operators, calls, the value gate,
built-ins, math); this file holds what they all share: failing with a line number, the clock and the
iteration budget, size checks on every new value, name lookup, iteration, and calling a `def`/`lambda`.
"""
from __future__ import annotations

import ast
import time
from fractions import Fraction

import sympy as sp

from solvers.base import Limits
from solvers.errors import BreakSignal, ContinueSignal, ProgramError, ProgramTimeout, ReturnSignal
from solvers.interpreter.allowlists import Namespace, sympy_namespace, z3_namespace
from solvers.interpreter.builtins import Builtin, Library, Wrapped
from solvers.interpreter.calls import CallsMixin
from solvers.interpreter.comparisons import ComparisonsMixin
from solvers.interpreter.expressions import ExpressionsMixin
from solvers.interpreter.gate import GateMixin
from solvers.interpreter.mathlib import MathMixin
from solvers.interpreter.numbers import bits
from solvers.interpreter.operators import OperatorsMixin
from solvers.interpreter.statements import StatementsMixin
from solvers.interpreter.tracking import Tracker
from solvers.normalize import exceeds

ITERABLE = (list, tuple, str, dict, set, frozenset, range, enumerate, zip, reversed, type({}.keys()),
            type({}.values()), type({}.items()), map, filter)


class UserFunction:
    """A def or lambda from the program, closed over the scopes it was defined in."""

    def __init__(self, interp, node, defaults, chain):
        self.interp, self.node, self.defaults, self.chain = interp, node, defaults, chain
        self.name = getattr(node, "name", "<lambda>")

    def __call__(self, *args, **kwargs):
        return self.interp.call_user(self, args, kwargs)

    def __repr__(self):
        return f"<function {self.name}>"


class Interpreter(StatementsMixin, ExpressionsMixin, OperatorsMixin, ComparisonsMixin, CallsMixin, GateMixin, Library,
                  MathMixin):
    """Runs one checked program. Create one per run."""

    final_node = None
    final_value = None

    def __init__(self, source: str, limits: Limits, deadline: float | None = None):
        self.source = source
        self.limits = limits
        self.deadline = deadline if deadline is not None else time.monotonic() + limits.timeout_s
        self.globals: dict = {}
        self.assigned: dict[str, bool] = {}  # module-level names, in the order of their last assignment
        self.printed: list[str] = []
        self.printed_chars = 0
        self.print_count = 0
        self.last_print = None
        self.has_print = False
        self.iterations = 0
        self.depth = 0
        self.line = 0
        self.tracker = Tracker(self)
        self.builtins = self._make_builtins()
        self._math = self._make_math()
        self._dispatch = self.expression_handlers()
        self._statements = self.statement_handlers()

    # ------------------------------------------------------------------ errors and limits
    def fail(self, message: str, node=None):
        line = getattr(node, "lineno", None) or self.line or None
        raise ProgramError(message, line)

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise ProgramTimeout(f"timed out after {self.limits.timeout_s:g}s", self.line or None)

    def tick(self) -> None:
        self.iterations += 1
        if self.iterations > self.limits.max_loop_iterations:
            self.fail(f"loop iteration limit ({self.limits.max_loop_iterations}) exceeded")
        if not self.iterations & 63:
            self.check_time()

    def check_value(self, value):
        """Size limits on a freshly computed value."""
        if isinstance(value, (int, Fraction, sp.Rational)) and bits(value) > self.limits.max_int_bits:
            self.fail(f"number too large (more than {self.limits.max_int_bits} bits)")
        elif isinstance(value, str):
            if len(value) > self.limits.max_string_len:
                self.fail(f"string too long (limit {self.limits.max_string_len} characters)")
        elif isinstance(value, (list, tuple, dict, set)):
            if len(value) > self.limits.max_collection_len:
                self.fail(f"collection too large (limit {self.limits.max_collection_len} items)")
        elif isinstance(value, range) and len(value) > 10 ** 12:
            self.fail("range too large")
        elif isinstance(value, sp.MatrixBase):
            if value.rows * value.cols > self.limits.max_collection_len:
                self.fail(f"matrix too large (limit {self.limits.max_collection_len} entries)")
            if any(bits(v) > self.limits.max_int_bits for v in value if isinstance(v, sp.Rational)):
                self.fail(f"number too large (more than {self.limits.max_int_bits} bits) in a matrix")
        return value

    def check_shown(self, value):
        """A value about to become text (print, str, f-strings): refused when it holds more than the
        collection limit of elements, shared ones counted each time ([[0] * 10**5] * 10**5 is 10**10)."""
        if exceeds(value, self.limits.max_collection_len):
            self.fail(f"value too large to show (more than {self.limits.max_collection_len} elements)")
        return value

    # ------------------------------------------------------------------ running
    def run(self, tree: ast.Module) -> None:
        self.exec_block(tree.body, [self.globals])
        self.final_node = tree.body[-1] if tree.body else None

    def exec_block(self, body, chain) -> None:
        for stmt in body:
            self.line = stmt.lineno
            handler = self._statements.get(type(stmt))
            if handler is None:
                self.fail(f"{type(stmt).__name__} statements are not allowed", stmt)
            handler(stmt, chain)

    def ev(self, node, chain):
        handler = self._dispatch.get(type(node))
        if handler is None:
            self.fail(f"{type(node).__name__} expressions are not allowed", node)
        return handler(node, chain)

    # ------------------------------------------------------------------ functions
    def call_user(self, fn: UserFunction, args, kwargs):
        node = fn.node
        params = [a.arg for a in node.args.args]
        if len(args) > len(params):
            self.fail(f"{fn.name}() takes {len(params)} arguments but {len(args)} were given")
        kwargs = dict(kwargs)
        local: dict = {}
        first_default = len(params) - len(fn.defaults)
        for i, name in enumerate(params):
            if i < len(args):
                local[name] = args[i]
            elif name in kwargs:
                local[name] = kwargs.pop(name)
            elif i >= first_default:
                local[name] = fn.defaults[i - first_default]
            else:
                self.fail(f"{fn.name}() missing argument '{name}'")
        if kwargs:
            self.fail(f"{fn.name}() got an unexpected keyword argument '{next(iter(kwargs))}'")
        self.depth += 1
        if self.depth > self.limits.max_call_depth:
            self.depth = 0
            self.fail(f"recursion too deep (limit {self.limits.max_call_depth} nested calls)")
        self.check_time()
        saved_line = self.line
        try:
            chain = [local] + fn.chain
            if isinstance(node, ast.Lambda):
                return self.ev(node.body, chain)
            try:
                self.exec_block(node.body, chain)
            except ReturnSignal as ret:
                return ret.value
            except (BreakSignal, ContinueSignal):
                self.fail("'break' or 'continue' outside a loop")
            return None
        finally:
            self.depth = max(0, self.depth - 1)
            self.line = saved_line

    def ev_Lambda(self, node, chain):
        defaults = [self.ev(d, chain) for d in node.args.defaults]
        return UserFunction(self, node, defaults, chain)

    # ------------------------------------------------------------------ names
    def lookup(self, name: str, chain, node):
        for scope in chain:
            if name in scope:
                return scope[name]
        if name in self.builtins:
            return self.builtins[name]
        hint = ""
        if name in sympy_namespace().members:
            hint = f" (did you forget `from sympy import {name}`?)"
        elif name in z3_namespace().members:
            hint = f" (did you forget `from z3 import {name}`?)"
        elif name in self._math.members:
            hint = " (did you forget `import math`?)"
        self.fail(f"name '{name}' is not defined{hint}", node)

    def ev_Name(self, node, chain):
        return self.lookup(node.id, chain, node)

    # ------------------------------------------------------------------ iteration
    def iterate(self, value, node=None):
        if isinstance(value, ITERABLE):
            return iter(value)
        if isinstance(value, (sp.Basic, sp.MatrixBase)) and not isinstance(value, type):
            try:
                return iter(value)
            except TypeError:
                pass
        self.fail(f"cannot loop over {self.type_name(value)}", node)

    def to_list(self, value, node=None) -> list:
        if isinstance(value, range) and len(value) > self.limits.max_collection_len:
            self.fail(f"collection too large (limit {self.limits.max_collection_len} items)", node)
        out = []
        for item in self.iterate(value, node):
            out.append(item)
            if len(out) > self.limits.max_collection_len:
                self.fail(f"collection too large (limit {self.limits.max_collection_len} items)", node)
        return out

    @staticmethod
    def type_name(value) -> str:
        if isinstance(value, bool):
            return "bool"
        if isinstance(value, int):
            return "int"
        if isinstance(value, Fraction):
            return "number"
        if isinstance(value, UserFunction):
            return f"function {value.name}"
        if isinstance(value, (Builtin, Wrapped)):
            return f"function {value.name}"
        if isinstance(value, Namespace):
            return f"module {value.name}"
        return type(value).__name__
