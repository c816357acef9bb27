"""Calls and attributes: which callable a program may call and which attribute it may read, on which value.

Every call goes through `call()`, which sorts the callable into one of a few kinds and sends its arguments
through the value gate (`gate.py`) for that kind: the program's own functions; our built-ins and `math`;
SymPy callables from the allow-list (and functions the program declared with `Function`); z3 callables
from the allow-list; bound methods read through `attribute()`. A value read out of a z3 model that goes
into a call and comes out untagged is recorded as a dependency (`tracking.Tracker.use`). Any library
exception becomes a `ProgramError` with the callable's name; nothing else is callable.
"""
from __future__ import annotations

import ast
from fractions import Fraction

import sympy as sp
import z3

from solvers.errors import BreakSignal, ContinueSignal, ProgramError, ReturnSignal
from solvers.interpreter.allowlists import (MODEL_METHODS, OBJECTIVE_ATTRS, PY_METHODS, SINGLETON_ATTRS,
                                            SOLVER_METHODS, SYMPY_ATTRS, Z3_EXPR_ATTRS, Namespace,
                                            sympy_namespace, z3_namespace)
from solvers.interpreter.builtins import Builtin, Wrapped
from solvers.interpreter.numbers import plain
from solvers.interpreter.tags import flatten, is_derived, is_z3_value, mark_derived, tag_of, tagged

STR_WIDTH_METHODS = ("zfill", "ljust", "rjust", "center")
VALUE_READS = ("as_string", "as_decimal", "sexpr", "numerator_as_long", "denominator_as_long", "numerator",
               "denominator", "approx", "children", "arg", "eq")


class CallsMixin:
    def ev_Attribute(self, node, chain):
        obj = self.ev(node.value, chain)
        self.line = node.lineno
        return self.attribute(obj, node.attr, node)

    def attribute(self, obj, name: str, node=None):
        if name.startswith("_"):
            self.fail(f"attribute '{name}' is not allowed", node)
        if isinstance(obj, Namespace):
            if name in obj.members:
                return obj.members[name]
            if obj.name == "math":
                self.fail(f"math.{name} is not allowed", node)
            self.fail(f"{obj.name}.{name} is not allowed (not in the allow-list)", node)
        if isinstance(obj, (z3.Solver, z3.Optimize)):
            fn = self.tracker.method(obj, name) if name in SOLVER_METHODS else None
            if fn is None:
                self.fail(f"solver method '{name}' is not allowed", node)
            return Wrapped(fn, name, "z3")
        if isinstance(obj, z3.ModelRef):
            if name not in MODEL_METHODS:
                self.fail(f"model method '{name}' is not allowed (use m[x] or m.eval(x))", node)
            if name in ("eval", "evaluate"):
                return Wrapped(lambda e, model_completion=True: self.tracker.model_lookup(
                    obj, e, bool(model_completion)), name, "z3")
            return Wrapped(getattr(obj, name), name, "z3")
        if isinstance(obj, (z3.AstRef, z3.FuncDeclRef)):
            if name not in Z3_EXPR_ATTRS:
                self.fail(f"z3 attribute '{name}' is not allowed", node)
            return self._z3_value_method(obj, name, node)
        if isinstance(obj, z3.OptimizeObjective):
            if name not in OBJECTIVE_ATTRS:
                self.fail(f"objective attribute '{name}' is not allowed", node)
            return Wrapped(getattr(obj, name), name, "z3")
        if obj is sp.S:
            if name not in SINGLETON_ATTRS:
                self.fail(f"S.{name} is not allowed", node)
            return getattr(sp.S, name)
        if isinstance(obj, (sp.Basic, sp.MatrixBase, sp.Poly)) and not isinstance(obj, type):
            if name not in SYMPY_ATTRS:
                self.fail(f"sympy attribute '{name}' is not allowed", node)
            self.bound_matrix_method(obj, name)
            try:
                value = getattr(obj, name)
            except AttributeError:
                self.fail(f"{self.type_name(obj)} has no attribute '{name}'", node)
            if callable(value) and not isinstance(value, (sp.Basic, sp.MatrixBase)):
                return Wrapped(value, name, "sympy")
            return value
        return self._python_attribute(obj, name, node)

    def _z3_value_method(self, obj, name, node):
        try:
            value = getattr(obj, name)
        except AttributeError:
            self.fail(f"{self.type_name(obj)} has no attribute '{name}'", node)
        if not callable(value):
            return value
        tag = tag_of(obj)

        def call(*args, **kwargs):
            if name in ("as_decimal", "approx") and args:
                self.bounded_int(args[0], 100, f"{name}()")
            if name == "as_fraction":
                out = value(*args, **kwargs)
                out = Fraction(out.numerator, out.denominator)
            else:
                out = value(*args, **kwargs)
            if name in ("as_long", "as_fraction", "py_value") and tag is not None:
                return tagged(plain(out) if isinstance(out, Fraction) else out, tag)
            if name in VALUE_READS:
                self.tracker.use(obj)  # text or parts of a model value: its tag does not survive
            return out
        return Wrapped(call, name, "z3")

    def _python_attribute(self, obj, name, node):
        for kind, allowed in PY_METHODS.items():
            if isinstance(obj, kind) and not (kind is int and isinstance(obj, bool) and name != "real"):
                if name not in allowed:
                    break
                if name == "is_integer" and isinstance(obj, (int, Fraction)):
                    self.tracker.use(obj)
                    return Builtin("is_integer", lambda: isinstance(obj, int) or obj.denominator == 1)
                if kind is str and name == "format":
                    return Builtin("format", lambda *a, **k: self.str_format(obj, a, k))
                if kind is str and name == "join":
                    return Builtin("join", lambda items: self.check_value(obj.join(
                        self._join_items(items))))
                if kind is list and name == "sort":
                    return Builtin("sort", lambda key=None, reverse=False: obj.__setitem__(
                        slice(None), self._sorted(obj, key, reverse)))
                value = getattr(obj, name)
                if tag_of(obj) is not None:
                    self.tracker.use(obj)  # .real, .numerator, .bit_length() of a model value: no tag survives
                if callable(value):
                    return Wrapped(self._checked_method(value, obj, name), name, "py")
                return value
        self.fail(f"attribute '{name}' of {self.type_name(obj)} is not allowed", node)

    def _join_items(self, items):
        items = self.to_list(items)
        for x in items:
            if not isinstance(x, str):
                self.fail(f"join() needs strings, got {self.type_name(x)} (use str(x))")
        return items

    def _checked_method(self, method, receiver, name: str):
        def call(*args, **kwargs):
            if isinstance(receiver, str):
                self._bound_str_method(receiver, name, args)
            out = self.check_value(method(*args, **kwargs))
            if isinstance(receiver, (list, dict, set)):
                self.check_value(receiver)
            return out
        return call
#---
    def _bound_str_method(self, text: str, name: str, args) -> None:
        """Refuse string methods whose result would pass the string limit, before they build it."""
        limit = self.limits.max_string_len
        if name in STR_WIDTH_METHODS and args:
            width = self.index_key(args[0])
            if isinstance(width, int) and width > limit:
                self.fail(f"{name}() width too large (limit {limit})")
        if name == "replace" and len(args) >= 2 and isinstance(args[1], str):
            if len(text) + text.count(args[0]) * len(args[1]) > limit if isinstance(args[0], str) else False:
                self.fail(f"replace() result too long (limit {limit} characters)")

    def ev_Call(self, node, chain):
        func = self.ev(node.func, chain)
        args = []
        for a in node.args:
            if isinstance(a, ast.Starred):
                args.extend(self.to_list(self.ev(a.value, chain), a))
            else:
                args.append(self.ev(a, chain))
        kwargs = {kw.arg: self.ev(kw.value, chain) for kw in node.keywords}
        self.line = node.lineno
        return self.call(func, args, kwargs, node)

    def call(self, func, args, kwargs, node):
        self.check_time()
        from solvers.interpreter.core import UserFunction
        try:
            if isinstance(func, UserFunction):
                return func(*args, **kwargs)
            if isinstance(func, Builtin):
                return self._note_uses(func.name, args, kwargs, self.check_value(func(*args, **kwargs)))
            if isinstance(func, Wrapped):
                if func.kind == "sympy":
                    args, kwargs = self.sympy_args(func.name, args, kwargs)
                elif func.kind == "z3":
                    args, kwargs = self.z3_args(func.name, args, kwargs)
                    return self.check_value(func(*args, **kwargs))
                return self._note_uses(func.name, args, kwargs, self.check_value(func(*args, **kwargs)))
            name = getattr(func, "__name__", None) or type(func).__name__
            if func in sympy_callables() or isinstance(func, (sp.FunctionClass, sp.Lambda)):
                original = args + list(kwargs.values())
                args, kwargs = self.sympy_args(name, args, kwargs)
                return self._note_uses(name, original, {}, self.check_value(func(*args, **kwargs)))
            if func in z3_callables() or isinstance(func, z3.FuncDeclRef):
                if isinstance(func, z3.FuncDeclRef) and (func.kind() != z3.Z3_OP_UNINTERPRETED or
                                                         func.arity() != len(args)):
                    self.fail(f"{func.name()}() takes {func.arity()} arguments, as declared (and only "
                              "declared functions can be called)", node)
                original = args + list(kwargs.values())
                args, kwargs = self.z3_args(name, args, kwargs)
                result = func(*args, **kwargs)
                self.tracker.note_origin(result, self.line)
                return self.check_value(self._z3_result(original, result))
        except (ProgramError, ReturnSignal):
            raise
        except (BreakSignal, ContinueSignal):
            self.fail("'break' or 'continue' outside a loop", node)
        except MemoryError:
            raise
        except RecursionError:
            self.fail("recursion too deep", node)
        except ZeroDivisionError:
            self.fail("division by zero", node)
        except z3.Z3Exception as exc:
            self.fail(f"z3 error in {self.callable_name(func)}(): {exc}", node)
        except Exception as exc:  # noqa: BLE001 - any library error becomes a result
            text = str(exc) or type(exc).__name__
            self.fail(f"{self.callable_name(func)}() failed: {type(exc).__name__}: {text}", node)
        self.fail(f"{self.type_name(func)} is not callable here", node)

    def _z3_result(self, inputs: list, result):
        """A z3 call on model values: a concrete result (IntVal(m[x].as_long()), is_true(m[b]),
        simplify(m[x] + 1)) depended on them; a symbolic one is a constraint built from them."""
        if tag_of(result) is not None or not any(is_derived(v) for v in inputs):
            return result
        concrete = isinstance(result, (bool, int)) or (
            isinstance(result, z3.ExprRef) and is_z3_value(z3.simplify(result)))
        if concrete:
            for value in flatten(inputs):
                self.tracker.use(value)
        else:
            mark_derived(result)
        return result

    def _note_uses(self, name: str, args, kwargs, result):
        """A model value that went into a call whose result does not carry its tag: the program depended
        on that exact value (print is exempt: what it shows is the answer only through its own tag)."""
        if name != "print" and tag_of(result) is None:
            for value in list(args) + list(kwargs.values()):
                self.tracker.use(value)
        return result

    def callable_name(self, func) -> str:
        return getattr(func, "name", None) or getattr(func, "__name__", None) or self.type_name(func)


_CALLABLE_CACHE: dict[str, frozenset] = {}


class _IdSet:
    """Membership by identity (sympy classes compare structurally, so `in` on values is unsafe)."""

    def __init__(self, ids):
        self.ids = ids

    def __contains__(self, value) -> bool:
        return id(value) in self.ids


def sympy_callables() -> _IdSet:
    if "sympy" not in _CALLABLE_CACHE:
        _CALLABLE_CACHE["sympy"] = frozenset(id(v) for v in sympy_namespace().members.values() if callable(v))
    return _IdSet(_CALLABLE_CACHE["sympy"])


def z3_callables() -> _IdSet:
    if "z3" not in _CALLABLE_CACHE:
        _CALLABLE_CACHE["z3"] = frozenset(id(v) for v in z3_namespace().members.values() if callable(v))
    return _IdSet(_CALLABLE_CACHE["z3"])
