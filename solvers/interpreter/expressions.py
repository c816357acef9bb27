"""Expressions of the step language: constants (float literals become exact Fractions), containers,
comprehensions (counted against the loop budget), f-strings and `str.format` (no attribute or index access
in fields, no huge widths), and subscripts. A model value used as a key, an index or formatted into text
leaves its tag behind, so the tracker records that the program depended on it (`tracking.Tracker.use`).
"""
from __future__ import annotations

import ast
import math
import re
import string
from fractions import Fraction

import sympy as sp
import z3

from solvers.interpreter.builtins import FStr
from solvers.interpreter.numbers import plain
from solvers.language import clip
from solvers.normalize import display, display_item

SUBSCRIPTABLE = (list, tuple, str, dict, range)
MAX_FORMAT_DIGITS = 3  # widths and precisions in format specs: at most 999


class ExpressionsMixin:
    def expression_handlers(self) -> dict:
        return {
            ast.Constant: self.ev_Constant, ast.Name: self.ev_Name, ast.BinOp: self.ev_BinOp,
            ast.UnaryOp: self.ev_UnaryOp, ast.BoolOp: self.ev_BoolOp, ast.Compare: self.ev_Compare,
            ast.Call: self.ev_Call, ast.Attribute: self.ev_Attribute, ast.Subscript: self.ev_Subscript,
            ast.List: self.ev_List, ast.Tuple: self.ev_Tuple, ast.Set: self.ev_Set, ast.Dict: self.ev_Dict,
            ast.ListComp: self.ev_ListComp, ast.SetComp: self.ev_SetComp, ast.DictComp: self.ev_DictComp,
            ast.GeneratorExp: self.ev_ListComp, ast.IfExp: self.ev_IfExp, ast.JoinedStr: self.ev_JoinedStr,
            ast.Lambda: self.ev_Lambda, ast.Slice: self.ev_Slice,
        }

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
                    self.tracker.use(value)
                    parts.append(display_item(self.check_shown(value)))
                else:
                    parts.append(self.format_value(value, str(spec), part))
                last = value
        out = FStr("".join(parts))
        out.last_value = last
        return self.check_value(out)

    def format_value(self, value, spec: str, node=None) -> str:
        self.tracker.use(value)
        self.check_shown(value)
        if not spec:
            return display(value)
        if "{" in spec or "}" in spec:
            self.fail("nested format fields are not allowed", node)
        if re.search(r"\d{%d,}" % (MAX_FORMAT_DIGITS + 1), spec):
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
            if conversion in ("r", "a"):
                self.tracker.use(value)
                out.append(display_item(self.check_shown(value)))
            else:
                out.append(self.format_value(value, spec or ""))
        return self.check_value("".join(out))

    def ev_Subscript(self, node, chain):
        container = self.ev(node.value, chain)
        key = self.ev(node.slice, chain)
        self.line = node.lineno
        return self.subscript(container, key, node)

    def subscript(self, container, key, node):
        if isinstance(container, z3.ModelRef):
            return self.tracker.model_lookup(container, key)
        ok = isinstance(container, SUBSCRIPTABLE) or isinstance(container, (sp.Basic, sp.MatrixBase)) \
            and not isinstance(container, type)
        if not ok:
            self.fail(f"{self.type_name(container)} cannot be indexed", node)
        self.tracker.use(key)
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
        """An index, count or key as a plain int where it is a whole number (a model value's use noted)."""
        if isinstance(key, (slice, str, tuple)) or key is None:
            return key
        self.tracker.use(key)
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
        if isinstance(key, z3.ExprRef) and z3.is_int_value(z3.simplify(key)):
            return z3.simplify(key).as_long()
        return key
