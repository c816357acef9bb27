"""The step-language interpreter: walks a checked `ast` tree; never calls exec, eval or compile.

Plain numbers are exact: float literals become Fractions, `/` on integers gives a Fraction, so 0.1 + 0.2
is 3/10. Every name, attribute and call is resolved through allow-lists (`solvers.namespaces`); strings
never reach sympy except as symbol names or plain numerals. Limits (loop iterations, integer bits,
exponents, collection and string sizes, call depth, wall time) raise `ProgramError`s, which the solver
turns into results. Runs in the worker only.
"""
from __future__ import annotations

import ast
import math
import operator
import re
import string
import time
from fractions import Fraction

import sympy as sp
import z3

from solvers.base import Limits
from solvers.errors import (BreakSignal, ContinueSignal, ProgramError, ProgramTimeout, ReturnSignal)
from solvers.language import clip
from solvers.namespaces import (MODEL_METHODS, OBJECTIVE_ATTRS, PY_METHODS, SINGLETON_ATTRS, SOLVER_METHODS,
                                SYMPY_ATTRS, Z3_EXPR_ATTRS, Namespace, sympy_namespace, z3_namespace)
from solvers.library import Builtin, FStr, Library, Wrapped
from solvers.normalize import display, display_item
from solvers.numbers import NUMERAL, bits, exact_root, is_rational, numeral, plain
from solvers.z3_tracking import Tracker, ZFrac, ZInt, tag_of, tagged, to_z3

NAME_TAKING = {"symbols", "Symbol", "Dummy", "Function", "Wild", "var"}
SYMBOL_RANGE = re.compile(r"(\d*):(\d+)")
IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,30}$")

_BINOPS = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow,
    ast.BitAnd: operator.and_, ast.BitOr: operator.or_, ast.BitXor: operator.xor,
    ast.LShift: operator.lshift, ast.RShift: operator.rshift,
}
_OP_TEXT = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
            ast.Pow: "**", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^", ast.LShift: "<<",
            ast.RShift: ">>"}
_CMPOPS = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Is: operator.is_, ast.IsNot: operator.is_not,
    ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
}
_ITERABLE = (list, tuple, str, dict, set, frozenset, range, enumerate, zip, reversed, type({}.keys()),
             type({}.values()), type({}.items()), map, filter)
_SUBSCRIPTABLE = (list, tuple, str, dict, range)


class UserFunction:
    """A def or lambda from the program, closed over the scopes it was defined in."""

    def __init__(self, interp, node, defaults, chain):
        self.interp, self.node, self.defaults, self.chain = interp, node, defaults, chain
        self.name = getattr(node, "name", "<lambda>")

    def __call__(self, *args, **kwargs):
        return self.interp.call_user(self, args, kwargs)

    def __repr__(self):
        return f"<function {self.name}>"


class Interpreter(Library):
    """Runs one checked program. Create one per run."""

    def __init__(self, source: str, limits: Limits, deadline: float | None = None):
        self.source = source
        self.limits = limits
        self.deadline = deadline if deadline is not None else time.monotonic() + limits.timeout_s
        self.globals: dict = {}
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
        self._dispatch = {
            ast.Constant: self.ev_Constant, ast.Name: self.ev_Name, ast.BinOp: self.ev_BinOp,
            ast.UnaryOp: self.ev_UnaryOp, ast.BoolOp: self.ev_BoolOp, ast.Compare: self.ev_Compare,
            ast.Call: self.ev_Call, ast.Attribute: self.ev_Attribute, ast.Subscript: self.ev_Subscript,
            ast.List: self.ev_List, ast.Tuple: self.ev_Tuple, ast.Set: self.ev_Set, ast.Dict: self.ev_Dict,
            ast.ListComp: self.ev_ListComp, ast.SetComp: self.ev_SetComp, ast.DictComp: self.ev_DictComp,
            ast.GeneratorExp: self.ev_ListComp, ast.IfExp: self.ev_IfExp, ast.JoinedStr: self.ev_JoinedStr,
            ast.Lambda: self.ev_Lambda, ast.Slice: self.ev_Slice,
        }
        self._statements = {
            ast.Expr: self.st_Expr, ast.Assign: self.st_Assign, ast.AugAssign: self.st_AugAssign,
            ast.AnnAssign: self.st_AnnAssign, ast.Import: self.st_Import, ast.ImportFrom: self.st_ImportFrom,
            ast.If: self.st_If, ast.For: self.st_For, ast.While: self.st_While, ast.Break: self.st_Break,
            ast.Continue: self.st_Continue, ast.Pass: self.st_Pass, ast.FunctionDef: self.st_FunctionDef,
            ast.Return: self.st_Return, ast.Assert: self.st_Assert,
        }

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
        return value

    # ------------------------------------------------------------------ running
    def run(self, tree: ast.Module) -> None:
        self.exec_block(tree.body, [self.globals])
        self.final_node = tree.body[-1] if tree.body else None

    final_node = None
    final_value = None

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

    # ------------------------------------------------------------------ statements
    def st_Expr(self, node, chain):
        value = self.ev(node.value, chain)
        if len(chain) == 1:
            self.final_value = (node, value)  # notebook style: a bare last expression is shown

    def st_Assign(self, node, chain):
        value = self.ev(node.value, chain)
        for target in node.targets:
            self.assign(target, value, chain)

    def st_AnnAssign(self, node, chain):
        if node.value is not None:
            self.assign(node.target, self.ev(node.value, chain), chain)

    def st_AugAssign(self, node, chain):
        target = node.target
        if isinstance(target, ast.Name):
            current = self.lookup(target.id, chain, target)
        elif isinstance(target, ast.Subscript):
            container = self.ev(target.value, chain)
            key = self.ev(target.slice, chain)
            current = self.subscript(container, key, target)
        else:
            self.fail("this kind of augmented assignment is not allowed", node)
        value = self.binop(node.op, current, self.ev(node.value, chain), node)
        if isinstance(target, ast.Name):
            chain[0][target.id] = value
        else:
            self.store_item(container, key, value, target)

    def assign(self, target, value, chain):
        if isinstance(target, ast.Name):
            chain[0][target.id] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            items = self.to_list(value, target)
            starred = [i for i, t in enumerate(target.elts) if isinstance(t, ast.Starred)]
            if starred:
                i = starred[0]
                after = len(target.elts) - i - 1
                if len(items) < len(target.elts) - 1:
                    self.fail(f"not enough values to unpack (expected at least {len(target.elts) - 1}, "
                              f"got {len(items)})", target)
                parts = items[:i] + [items[i:len(items) - after]] + items[len(items) - after:]
                for t, v in zip(target.elts, parts):
                    self.assign(t.value if isinstance(t, ast.Starred) else t, v, chain)
                return
            if len(items) != len(target.elts):
                self.fail(f"cannot unpack {len(items)} values into {len(target.elts)} names", target)
            for t, v in zip(target.elts, items):
                self.assign(t, v, chain)
        elif isinstance(target, ast.Subscript):
            container = self.ev(target.value, chain)
            self.store_item(container, self.ev(target.slice, chain), value, target)
        else:
            self.fail("this assignment target is not allowed", target)

    def store_item(self, container, key, value, node):
        if not isinstance(container, (list, dict)):
            self.fail(f"cannot assign items of {self.type_name(container)}", node)
        try:
            container[self.index_key(key)] = value
        except (IndexError, KeyError, TypeError) as exc:
            self.fail(f"{type(exc).__name__}: {exc}", node)
        self.check_value(container)

    def st_Import(self, node, chain):
        for alias in node.names:
            top = alias.name.split(".")[0]
            module = self.module(top, node)
            if alias.asname:
                chain[0][alias.asname] = self.module(alias.name, node) if "." not in alias.name else module
            else:
                chain[0][top] = module

    def st_ImportFrom(self, node, chain):
        name = node.module or ""
        if name == "sympy.abc":
            for alias in node.names:
                if alias.name == "*":
                    self.fail("from sympy.abc import * is not allowed; import the letters you need", node)
                chain[0][alias.asname or alias.name] = sp.Symbol(alias.name)
            return
        module = self.module(name.split(".")[0], node)
        for alias in node.names:
            if alias.name == "*":
                chain[0].update(module.members)
                continue
            if alias.name not in module.members:
                self.fail(f"'{alias.name}' is not an allowed name in {module.name}", node)
            chain[0][alias.asname or alias.name] = module.members[alias.name]

    def module(self, name: str, node) -> Namespace:
        top = name.split(".")[0]
        if top == "sympy":
            return sympy_namespace()
        if top == "z3":
            return self._z3_ns()
        if top == "math":
            return self._math
        self.fail(f"import of '{name}' is not allowed (only sympy, z3 and math)", node)

    def _z3_ns(self) -> Namespace:
        members = dict(z3_namespace().members)
        members["Solver"] = Builtin("Solver", lambda *a, **k: self.tracker.new_solver("solver", *a, **k))
        members["Optimize"] = Builtin("Optimize", lambda *a, **k: self.tracker.new_solver("optimize", *a, **k))
        return Namespace("z3", members)

    def st_If(self, node, chain):
        if self.truth(self.ev(node.test, chain), node.test):
            self.exec_block(node.body, chain)
        else:
            self.exec_block(node.orelse, chain)

    def loop_iteration(self, body, chain) -> bool:
        """Run one pass of a loop body (counted against the iteration limit); True when it hit `break`."""
        self.tick()
        try:
            self.exec_block(body, chain)
        except BreakSignal:
            return True
        except ContinueSignal:
            pass
        return False

    def st_For(self, node, chain):
        for item in self.iterate(self.ev(node.iter, chain), node.iter):
            self.assign(node.target, item, chain)
            if self.loop_iteration(node.body, chain):
                return
        if node.orelse:
            self.exec_block(node.orelse, chain)

    def st_While(self, node, chain):
        while self.truth(self.ev(node.test, chain), node.test):
            if self.loop_iteration(node.body, chain):
                return
        if node.orelse:
            self.exec_block(node.orelse, chain)

    def st_Break(self, node, chain):
        raise BreakSignal()

    def st_Continue(self, node, chain):
        raise ContinueSignal()

    def st_Pass(self, node, chain):
        return None

    def st_FunctionDef(self, node, chain):
        defaults = [self.ev(d, chain) for d in node.args.defaults]
        chain[0][node.name] = UserFunction(self, node, defaults, chain)

    def st_Return(self, node, chain):
        raise ReturnSignal(self.ev(node.value, chain) if node.value is not None else None)

    def st_Assert(self, node, chain):
        if not self.truth(self.ev(node.test, chain), node.test):
            detail = ""
            if node.msg is not None:
                detail = ": " + display(self.ev(node.msg, chain))
            self.fail(f"assertion failed{detail}", node)

    # ------------------------------------------------------------------ functions
    def call_user(self, fn: UserFunction, args, kwargs):
        node = fn.node
        params = [a.arg for a in node.args.args]
        if len(args) > len(params):
            self.fail(f"{fn.name}() takes {len(params)} arguments but {len(args)} were given")
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

    # ------------------------------------------------------------------ names and values
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

    def ev_Constant(self, node, chain):
        value = node.value
        if isinstance(value, float) and not isinstance(value, bool):
            if math.isfinite(value):
                return plain(Fraction(repr(value)))
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return self.check_value(value)
        if isinstance(value, str):
            return self.check_value(value)
        return value

    def ev_List(self, node, chain):
        return self.check_value(self.elements(node.elts, chain))

    def ev_Tuple(self, node, chain):
        return tuple(self.elements(node.elts, chain))

    def ev_Set(self, node, chain):
        return set(self.hashable(v, node) for v in self.elements(node.elts, chain))

    def elements(self, elts, chain) -> list:
        out = []
        for e in elts:
            if isinstance(e, ast.Starred):
                out.extend(self.to_list(self.ev(e.value, chain), e))
            else:
                out.append(self.ev(e, chain))
        return out

    def ev_Dict(self, node, chain):
        out = {}
        for k, v in zip(node.keys, node.values):
            if k is None:
                d = self.ev(v, chain)
                if not isinstance(d, dict):
                    self.fail("** in a dict display needs a dict", node)
                out.update(d)
            else:
                out[self.hashable(self.ev(k, chain), k)] = self.ev(v, chain)
        return self.check_value(out)

    def hashable(self, value, node):
        try:
            hash(value)
        except TypeError:
            self.fail(f"{self.type_name(value)} cannot be a dict key or set item", node)
        return value

    def ev_IfExp(self, node, chain):
        if self.truth(self.ev(node.test, chain), node.test):
            return self.ev(node.body, chain)
        return self.ev(node.orelse, chain)

    def ev_Slice(self, node, chain):
        parts = [None if p is None else self.index_key(self.ev(p, chain)) for p in (node.lower, node.upper,
                                                                                    node.step)]
        return slice(*parts)

    # comprehensions ----------------------------------------------------
    def comprehension(self, generators, chain, emit):
        scope: dict = {}
        inner = [scope] + chain

        def loop(i):
            if i == len(generators):
                emit(inner)
                return
            gen = generators[i]
            iterable = self.ev(gen.iter, inner if i else chain)
            for item in self.iterate(iterable, gen.iter):
                self.tick()
                self.assign(gen.target, item, inner)
                if all(self.truth(self.ev(cond, inner), cond) for cond in gen.ifs):
                    loop(i + 1)
        loop(0)

    def ev_ListComp(self, node, chain):
        out: list = []
        self.comprehension(node.generators, chain, lambda inner: out.append(self.ev(node.elt, inner)))
        return self.check_value(out)

    def ev_SetComp(self, node, chain):
        out: set = set()
        self.comprehension(node.generators, chain,
                           lambda inner: out.add(self.hashable(self.ev(node.elt, inner), node)))
        return self.check_value(out)

    def ev_DictComp(self, node, chain):
        out: dict = {}

        def emit(inner):
            out[self.hashable(self.ev(node.key, inner), node)] = self.ev(node.value, inner)
        self.comprehension(node.generators, chain, emit)
        return self.check_value(out)

    # f-strings ---------------------------------------------------------
    def ev_JoinedStr(self, node, chain):
        parts = []
        last = None
        for part in node.values:
            if isinstance(part, ast.Constant):
                parts.append(str(part.value))
            else:
                value = self.ev(part.value, chain)
                spec = self.ev_JoinedStr(part.format_spec, chain) if part.format_spec else ""
                if part.conversion in (ord("r"), ord("a")):
                    parts.append(display_item(value))
                else:
                    parts.append(self.format_value(value, str(spec), part))
                last = value
        out = FStr("".join(parts))
        out.last_value = last
        return self.check_value(out)

    def format_value(self, value, spec: str, node=None) -> str:
        if not spec:
            return display(value)
        if "{" in spec or "}" in spec:
            self.fail("nested format fields are not allowed", node)
        if re.search(r"\d{4,}", spec):
            self.fail(f"format width or precision too large in '{clip(spec, 20)}'", node)
        kind = spec[-1] if spec else ""
        try:
            if isinstance(value, (Fraction, sp.Basic)) and not isinstance(value, bool):
                if kind in "dnxXob" and kind:
                    return format(int(value), spec)
                if isinstance(value, sp.Basic) and not value.is_number:
                    return format(str(value), spec)
                return format(float(value), spec)
            if isinstance(value, z3.ExprRef):
                return format(display(value), spec)
            if isinstance(value, (int, float, str, bool)):
                return format(value, spec)
            return format(display(value), spec)
        except (ValueError, TypeError) as exc:
            self.fail(f"bad format '{spec}': {exc}", node)

    def str_format(self, template: str, args, kwargs) -> str:
        """str.format without attribute or index access in fields."""
        out = []
        auto = 0
        try:
            fields = list(string.Formatter().parse(template))
        except ValueError as exc:
            self.fail(f"bad format string: {exc}")
        for literal, field, spec, conversion in fields:
            out.append(literal)
            if field is None:
                continue
            if "." in field or "[" in field:
                self.fail(f"format field '{{{field}}}' is not allowed (no attribute or index access)")
            if field == "":
                if auto >= len(args):
                    self.fail("not enough arguments for format string")
                value = args[auto]
                auto += 1
            elif field.isdigit():
                if int(field) >= len(args):
                    self.fail("not enough arguments for format string")
                value = args[int(field)]
            else:
                if field not in kwargs:
                    self.fail(f"missing format argument '{field}'")
                value = kwargs[field]
            out.append(display_item(value) if conversion in ("r", "a") else self.format_value(value, spec or ""))
        return self.check_value("".join(out))

    # ------------------------------------------------------------------ operators
    def ev_BinOp(self, node, chain):
        spine = []
        cur = node
        while isinstance(cur, ast.BinOp):
            spine.append(cur)
            cur = cur.left
        acc = self.ev(cur, chain)
        for op_node in reversed(spine):
            right = self.ev(op_node.right, chain)
            acc = self.binop(op_node.op, acc, right, op_node)
        return acc

    def binop(self, op, a, b, node):
        if getattr(node, "lineno", None):
            self.line = node.lineno
        kind = type(op)
        tag = self._combined_tag(a, b)
        try:
            result = self._binop(kind, a, b, node)
        except ProgramError:
            raise
        except ZeroDivisionError:
            self.fail("division by zero", node)
        except (TypeError, ValueError, ArithmeticError, z3.Z3Exception, sp.SympifyError) as exc:
            text = str(exc) or type(exc).__name__
            self.fail(f"cannot compute {self.type_name(a)} {_OP_TEXT.get(kind, '?')} "
                      f"{self.type_name(b)}: {text}", node)
        except MemoryError:
            raise
        except RecursionError:
            self.fail("expression too deep to compute", node)
        result = self.check_value(plain(result))
        if tag is not None:
            result = self._tag_result(kind, a, b, result, tag)
        return result

    def _combined_tag(self, a, b):
        ta, tb = tag_of(a), tag_of(b)
        if ta is None and tb is None:
            return None
        return ta or tb

    def _tag_result(self, kind, a, b, result, tag):
        """Shadow the computation on z3 terms so an answer derived from a model keeps its meaning."""
        record = tag[1]
        def term(v):
            t = tag_of(v)
            if t is not None:
                if t[1] is not record:
                    raise ValueError
                return t[0]
            if isinstance(v, (int, Fraction)) and not isinstance(v, bool):
                return to_z3(v)
            raise ValueError
        try:
            ta, tb = term(a), term(b)
            if kind is ast.Div:
                if not isinstance(ta, z3.ExprRef):
                    ta = z3.RealVal(ta) if isinstance(ta, int) else ta
                shadow = z3.ToReal(ta) / tb if isinstance(ta, z3.ArithRef) and ta.is_int() else ta / tb
            elif kind in (ast.Add, ast.Sub, ast.Mult, ast.FloorDiv, ast.Mod, ast.Pow):
                if kind is ast.FloorDiv:
                    shadow = ta / tb
                else:
                    shadow = _BINOPS[kind](ta, tb)
            else:
                return result
            if not isinstance(shadow, z3.ExprRef):
                return result
            return tagged(result, (shadow, record))
        except Exception:  # noqa: BLE001 - no shadow term: the answer just is not checked for uniqueness
            return result

    def _binop(self, kind, a, b, node):
        limits = self.limits
        a_z3, b_z3 = isinstance(a, z3.ExprRef), isinstance(b, z3.ExprRef)
        if a_z3 or b_z3:
            a, b = self.to_z3_arg(a), self.to_z3_arg(b)
            if kind in (ast.BitAnd, ast.BitOr, ast.BitXor) and (isinstance(a, z3.BoolRef) or
                                                               isinstance(b, z3.BoolRef)):
                fn = {ast.BitAnd: z3.And, ast.BitOr: z3.Or, ast.BitXor: z3.Xor}[kind]
                return fn(a, b)
            if kind is ast.Pow:
                self._check_exponent(b, node)
            return _BINOPS[kind](a, b)
        if isinstance(a, str) or isinstance(b, str):
            return self._str_binop(kind, a, b, node)
        if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
            if kind is ast.Mult:
                seq, n = (a, b) if isinstance(a, (list, tuple)) else (b, a)
                n = self.index_key(n)
                if len(seq) * max(n, 0) > limits.max_collection_len:
                    self.fail(f"list too large (limit {limits.max_collection_len} items)", node)
            return _BINOPS[kind](a, b)
        if kind is ast.Pow:
            return self._pow(a, b, node)
        if kind is ast.Div and is_rational(a) and is_rational(b):
            return Fraction(a) / Fraction(b)
        if kind is ast.LShift:
            if is_rational(b) and b > limits.max_int_bits:
                self.fail(f"shift too large (limit {limits.max_int_bits} bits)", node)
        if kind is ast.Mult and is_rational(a) and is_rational(b):
            if bits(a) + bits(b) > 2 * limits.max_int_bits + 64:
                self.fail(f"number too large (more than {limits.max_int_bits} bits)", node)
        return _BINOPS[kind](a, b)

    def _str_binop(self, kind, a, b, node):
        limits = self.limits
        if kind is ast.Add:
            if not (isinstance(a, str) and isinstance(b, str)):
                self.fail(f"cannot add {self.type_name(a)} and {self.type_name(b)} "
                          "(use str(...) or an f-string)", node)
            if len(a) + len(b) > limits.max_string_len:
                self.fail(f"string too long (limit {limits.max_string_len} characters)", node)
            return a + b
        if kind is ast.Mult:
            text, n = (a, b) if isinstance(a, str) else (b, a)
            if not isinstance(n, int):
                self.fail(f"cannot multiply a string by {self.type_name(n)}", node)
            if len(text) * max(n, 0) > limits.max_string_len:
                self.fail(f"string too long (limit {limits.max_string_len} characters)", node)
            return text * n
        if kind is ast.Mod and isinstance(a, str):
            args = b if isinstance(b, tuple) else (b,)
            args = tuple(float(x) if isinstance(x, (Fraction, sp.Basic)) else x for x in args)
            if not all(isinstance(x, (int, float, str, bool)) for x in args):
                self.fail("%-formatting supports only numbers and strings", node)
            return a % args
        self.fail(f"unsupported operation {_OP_TEXT.get(kind, '?')} on strings", node)

    def _check_exponent(self, exponent, node):
        try:
            if isinstance(exponent, z3.ExprRef):
                exponent = exponent.as_long() if z3.is_int_value(exponent) else 0
            if isinstance(exponent, (int, Fraction, float, sp.Number)) and not isinstance(exponent, bool):
                if abs(exponent) > self.limits.max_exponent:
                    self.fail(f"exponent too large (limit {self.limits.max_exponent})", node)
        except (TypeError, ValueError):
            return

    def _pow(self, a, b, node):
        limits = self.limits
        self._check_exponent(b, node)
        numeric_a = is_rational(a) or isinstance(a, float)
        if isinstance(b, sp.Integer):
            b = int(b)
        if is_rational(b) and (numeric_a or isinstance(a, sp.Rational)):
            if Fraction(b).denominator == 1:
                e = int(b)
                if e and bits(a) * abs(e) > limits.max_int_bits + 64:
                    self.fail(f"number too large: result of ** would exceed {limits.max_int_bits} bits", node)
        if is_rational(a) and is_rational(b):
            qa, qb = Fraction(a), Fraction(b)
            if qb.denominator == 1:
                return qa ** int(qb)
            if qa < 0:
                self.fail("a negative number to a fractional power is not a real number", node)
            if qb.denominator <= 12:
                root = exact_root(qa, qb.denominator)
                if root is not None:
                    if qb.numerator < 0 and root == 0:
                        raise ZeroDivisionError
                    return root ** qb.numerator
            return float(qa) ** float(qb)
        if isinstance(a, float) or isinstance(b, float):
            if (isinstance(a, float) or is_rational(a)) and a < 0 and not float(b).is_integer():
                self.fail("a negative number to a fractional power is not a real number", node)
            result = float(a) ** float(b) if not isinstance(a, sp.Basic) else a ** b
            return result
        return a ** b

    def ev_UnaryOp(self, node, chain):
        value = self.ev(node.operand, chain)
        self.line = node.lineno
        kind = type(node.op)
        if kind is ast.Not:
            if isinstance(value, z3.BoolRef):
                return z3.Not(value)
            if isinstance(value, sp.logic.boolalg.Boolean) and isinstance(value, sp.Basic) and \
                    not isinstance(value, sp.Expr) and value not in (sp.true, sp.false):
                return sp.Not(value)
            return not self.truth(value, node)
        try:
            if kind is ast.Invert and isinstance(value, z3.BoolRef):
                return z3.Not(value)
            if kind is ast.USub:
                return tagged(-value, self._neg_tag(value))
            if kind is ast.UAdd:
                return +value
            if kind is ast.Invert:
                return ~value
        except (TypeError, z3.Z3Exception) as exc:
            self.fail(f"bad operand for unary operator: {self.type_name(value)} ({exc})", node)
        self.fail("unsupported unary operator", node)

    def _neg_tag(self, value):
        t = tag_of(value)
        if t is None:
            return None
        try:
            return (-t[0], t[1])
        except Exception:  # noqa: BLE001
            return None

    def ev_BoolOp(self, node, chain):
        is_and = isinstance(node.op, ast.And)
        symbolic: list = []
        result = None
        for i, expr in enumerate(node.values):
            value = self.ev(expr, chain)
            if isinstance(value, z3.BoolRef) and not (z3.is_true(value) or z3.is_false(value)):
                symbolic.append(value)
                continue
            if isinstance(value, sp.logic.boolalg.Boolean) and isinstance(value, sp.Basic) and \
                    value not in (sp.true, sp.false) and not isinstance(value, sp.Expr):
                symbolic.append(value)
                continue
            if symbolic:
                symbolic.append(value)
                continue
            result = value
            if is_and and not self.truth(value, expr):
                return value
            if not is_and and self.truth(value, expr):
                return value
        if symbolic:
            if any(isinstance(v, z3.ExprRef) for v in symbolic):
                parts = [z3.BoolVal(bool(v)) if isinstance(v, bool) else self.to_z3_arg(v) for v in symbolic]
                out = z3.And(*parts) if is_and else z3.Or(*parts)
            else:
                out = sp.And(*symbolic) if is_and else sp.Or(*symbolic)
            self.tracker.note_origin(out, node.lineno)
            return out
        return result

    def ev_Compare(self, node, chain):
        left = self.ev(node.left, chain)
        parts = []
        for op, right_node in zip(node.ops, node.comparators):
            right = self.ev(right_node, chain)
            self.line = node.lineno
            try:
                a, b = left, right
                if isinstance(a, z3.ExprRef) or isinstance(b, z3.ExprRef):
                    a, b = self.to_z3_arg(a), self.to_z3_arg(b)
                    if isinstance(op, (ast.In, ast.NotIn, ast.Is, ast.IsNot)):
                        self.fail("'in' and 'is' cannot be used with z3 expressions", node)
                result = _CMPOPS[type(op)](a, b)
            except ProgramError:
                raise
            except (TypeError, z3.Z3Exception, sp.SympifyError) as exc:
                self.fail(f"cannot compare {self.type_name(left)} with {self.type_name(right)}: {exc}", node)
            symbolic = isinstance(result, z3.BoolRef) or (isinstance(result, sp.Basic) and
                                                            not isinstance(result, sp.logic.boolalg.BooleanAtom))
            if len(node.ops) == 1:
                self.tracker.note_origin(result, node.lineno)
                return result
            if not symbolic and not parts:
                if not self.truth(result, node):
                    return False
            else:
                parts.append(result)
            left = right
        if not parts:
            return True
        if any(isinstance(p, z3.ExprRef) for p in parts):
            out = z3.And(*[z3.BoolVal(p) if isinstance(p, bool) else p for p in parts])
        else:
            out = sp.And(*parts)
        self.tracker.note_origin(out, node.lineno)
        return out

    def truth(self, value, node=None) -> bool:
        if isinstance(value, z3.ExprRef):
            if isinstance(value, z3.BoolRef):
                simple = z3.simplify(value)
                if z3.is_true(simple):
                    return True
                if z3.is_false(simple):
                    return False
            self.fail("a z3 condition cannot be tested with if/while/and/or (it is symbolic); use "
                      "s.add(...), If(...), or evaluate it in a model", node)
        if isinstance(value, (list, tuple, dict, set, str, int, float, Fraction, range, type(None))):
            return bool(value)
        try:
            return bool(value)
        except TypeError:
            self.fail(f"cannot decide whether {clip(str(value), 60)} is true (it is symbolic)", node)

    # ------------------------------------------------------------------ attributes, items, calls
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
            if name == "as_fraction":
                out = value(*args, **kwargs)
                out = Fraction(out.numerator, out.denominator)
            else:
                out = value(*args, **kwargs)
            if name in ("as_long", "as_fraction", "py_value") and tag is not None:
                return tagged(plain(out) if isinstance(out, Fraction) else out, tag)
            return out
        return Wrapped(call, name, "z3")

    def _python_attribute(self, obj, name, node):
        for kind, allowed in PY_METHODS.items():
            if isinstance(obj, kind) and not (kind is int and isinstance(obj, bool) and name != "real"):
                if name not in allowed:
                    break
                if name == "is_integer" and isinstance(obj, (int, Fraction)):
                    return Builtin("is_integer", lambda: isinstance(obj, int) or obj.denominator == 1)
                if kind is str and name == "format":
                    return Builtin("format", lambda *a, **k: self.str_format(obj, a, k))
                if kind is str and name == "join":
                    return Builtin("join", lambda items: self.check_value(obj.join(
                        self._join_items(items))))
                if kind is list and name == "sort":
                    return Builtin("sort", lambda key=None, reverse=False: obj.sort(
                        key=self._sort_key(key), reverse=bool(reverse)))
                value = getattr(obj, name)
                if callable(value):
                    return Wrapped(self._checked_method(value, obj), name, "py")
                return value
        self.fail(f"attribute '{name}' of {self.type_name(obj)} is not allowed", node)

    def _join_items(self, items):
        items = self.to_list(items)
        for x in items:
            if not isinstance(x, str):
                self.fail(f"join() needs strings, got {self.type_name(x)} (use str(x))")
        return items

    def _checked_method(self, method, receiver):
        def call(*args, **kwargs):
            out = self.check_value(method(*args, **kwargs))
            if isinstance(receiver, (list, dict, set)):
                self.check_value(receiver)
            return out
        return call

    def ev_Subscript(self, node, chain):
        container = self.ev(node.value, chain)
        key = self.ev(node.slice, chain)
        self.line = node.lineno
        return self.subscript(container, key, node)

    def subscript(self, container, key, node):
        if isinstance(container, z3.ModelRef):
            return self.tracker.model_lookup(container, key)
        ok = isinstance(container, _SUBSCRIPTABLE) or isinstance(container, (sp.Basic, sp.MatrixBase)) \
            and not isinstance(container, type)
        if not ok:
            self.fail(f"{self.type_name(container)} cannot be indexed", node)
        try:
            if isinstance(container, dict):
                return container[key]
            if isinstance(key, tuple) and isinstance(container, sp.MatrixBase):
                return container[tuple(self.index_key(k) for k in key)]
            return container[self.index_key(key)]
        except KeyError:
            self.fail(f"key {clip(display_item(key), 40)} not found", node)
        except IndexError:
            self.fail("index out of range", node)
        except TypeError as exc:
            self.fail(f"bad index: {exc}", node)

    def index_key(self, key):
        if isinstance(key, (slice, str, tuple)) or key is None:
            return key
        if isinstance(key, bool):
            return int(key)
        if isinstance(key, int):
            return int(key)
        if isinstance(key, Fraction) and key.denominator == 1:
            return int(key)
        if isinstance(key, sp.Integer):
            return int(key)
        if isinstance(key, z3.IntNumRef):
            return key.as_long()
        return key

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
        try:
            if isinstance(func, UserFunction):
                return func(*args, **kwargs)
            if isinstance(func, Builtin):
                return self.check_value(func(*args, **kwargs))
            if isinstance(func, Wrapped):
                kind = func.kind
                if kind == "sympy":
                    args, kwargs = self.sympy_args(func.name, args, kwargs)
                elif kind == "z3":
                    args = [self.to_z3_arg(a) for a in args]
                return self.check_value(func(*args, **kwargs))
            name = getattr(func, "__name__", None) or type(func).__name__
            if func in _sympy_callables():
                if name in ("factorial", "factorial2", "fibonacci", "lucas", "prime", "binomial") and args:
                    self._check_count(args[0], 5000, name)
                args, kwargs = self.sympy_args(name, args, kwargs)
                return self.check_value(func(*args, **kwargs))
            if func in _z3_callables():
                args = [self.to_z3_arg(a) for a in args]
                result = func(*args, **kwargs)
                self.tracker.note_origin(result, self.line)
                return self.check_value(result)
            if isinstance(func, (sp.FunctionClass, sp.Lambda)) or isinstance(func, type) and \
                    issubclass(func, sp.Function):
                args, kwargs = self.sympy_args(name, args, kwargs)
                return func(*args, **kwargs)
            if isinstance(func, z3.FuncDeclRef):
                return func(*[self.to_z3_arg(a) for a in args])
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
        except (TypeError, ValueError, KeyError, IndexError, AttributeError, ArithmeticError,
                NotImplementedError, sp.SympifyError, sp.PolynomialError, AssertionError) as exc:
            text = str(exc) or type(exc).__name__
            self.fail(f"{self.callable_name(func)}() failed: {type(exc).__name__}: {text}", node)
        except Exception as exc:  # noqa: BLE001 - any library error becomes a result
            self.fail(f"{self.callable_name(func)}() failed: {type(exc).__name__}: {exc}", node)
        self.fail(f"{self.type_name(func)} is not callable here", node)

    def callable_name(self, func) -> str:
        return getattr(func, "name", None) or getattr(func, "__name__", None) or self.type_name(func)

    def _check_count(self, value, limit, name):
        try:
            if int(value) > limit:
                self.fail(f"{name}() argument too large (limit {limit})")
        except (TypeError, ValueError):
            return

    # argument conversion -----------------------------------------------------
    def sympy_args(self, name, args, kwargs):
        base = name.split(".")[-1]
        out = []
        for i, a in enumerate(args):
            if isinstance(a, str) and base in NAME_TAKING and i == 0:
                self._check_symbol_names(a)
                out.append(a)
            else:
                out.append(self.sympy_value(a, name))
        new_kwargs = {}
        for k, v in kwargs.items():
            new_kwargs[k] = self.sympy_value(v, name)
        return out, new_kwargs

    def _check_symbol_names(self, names: str):
        total = 0
        for start, end in SYMBOL_RANGE.findall(names):
            total += int(end) - int(start or 0)
        if total > 1000 or len(names) > 2000:
            self.fail("too many symbols requested (limit 1000)")

    def sympy_value(self, value, name):
        if isinstance(value, str):
            if NUMERAL.match(value):
                return sp.Rational(numeral(value))
            if IDENTIFIER.match(value):
                return sp.Symbol(value)  # solve(eq, 'x'): a bare name is a symbol, nothing is parsed
            self.fail(f"string arguments to sympy are not allowed ({clip(repr(value), 40)} in {name}()); "
                      "build expressions from symbols instead")
        if isinstance(value, (ZInt,)):
            return int(value)
        if isinstance(value, ZFrac):
            return Fraction(value)
        if isinstance(value, (Wrapped, Builtin)):
            return value.fn
        if isinstance(value, list):
            return [self.sympy_value(v, name) for v in value]
        if isinstance(value, tuple):
            return tuple(self.sympy_value(v, name) for v in value)
        if isinstance(value, dict):
            return {self.sympy_value(k, name): self.sympy_value(v, name) for k, v in value.items()}
        if isinstance(value, set):
            return {self.sympy_value(v, name) for v in value}
        if isinstance(value, z3.ExprRef):
            self.fail(f"z3 values cannot be passed to sympy ({name}()); use .as_long()")
        return value

    def to_z3_arg(self, value):
        if isinstance(value, Wrapped):
            return value.fn
        if isinstance(value, (int, Fraction)) and not isinstance(value, bool):
            return to_z3(value)
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
        return value

    # ------------------------------------------------------------------ iteration helpers
    def iterate(self, value, node=None):
        if isinstance(value, _ITERABLE):
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
        if isinstance(value, (int,)):
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


_CALLABLE_CACHE: dict[str, frozenset] = {}


def _sympy_callables() -> frozenset:
    if "sympy" not in _CALLABLE_CACHE:
        _CALLABLE_CACHE["sympy"] = frozenset(id(v) for v in sympy_namespace().members.values() if callable(v))
    return _IdSet(_CALLABLE_CACHE["sympy"])


def _z3_callables():
    if "z3" not in _CALLABLE_CACHE:
        _CALLABLE_CACHE["z3"] = frozenset(id(v) for v in z3_namespace().members.values() if callable(v))
    return _IdSet(_CALLABLE_CACHE["z3"])


class _IdSet:
    """Membership by identity (sympy classes compare structurally, so `in` on values is unsafe)."""

    def __init__(self, ids):
        self.ids = ids

    def __contains__(self, value) -> bool:
        return id(value) in self.ids
