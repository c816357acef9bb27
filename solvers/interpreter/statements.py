"""Statements of the step language: assignment (with unpacking), imports of the allowed modules, if/for/
while with the loop budget, def/return, assert. Nothing else is reachable: `solvers.language` refused
every other statement before the run.
"""
from __future__ import annotations

import ast

import sympy as sp

from solvers.errors import BreakSignal, ContinueSignal, ReturnSignal
from solvers.interpreter.allowlists import Namespace, sympy_namespace, z3_namespace
from solvers.interpreter.builtins import Builtin, Wrapped
from solvers.normalize import display


_ENUMS: dict[tuple, tuple] = {}


def enum_sort(name, values):
    """z3.EnumSort, declared once per process: z3 refuses a second declaration of a name, and a program
    runs again when its answer is checked against other models (`solvers.z3_uniqueness`)."""
    import z3

    key = (str(name), tuple(str(v) for v in values))
    if key not in _ENUMS:
        _ENUMS[key] = z3.EnumSort(name, values)
    sort, members = _ENUMS[key]
    return sort, list(members)  # a fresh list: nothing a run can change reaches the next run


class StatementsMixin:
    def statement_handlers(self) -> dict:
        return {
            ast.Expr: self.st_Expr, ast.Assign: self.st_Assign, ast.AugAssign: self.st_AugAssign,
            ast.AnnAssign: self.st_AnnAssign, ast.Import: self.st_Import, ast.ImportFrom: self.st_ImportFrom,
            ast.If: self.st_If, ast.For: self.st_For, ast.While: self.st_While, ast.Break: self.st_Break,
            ast.Continue: self.st_Continue, ast.Pass: self.st_Pass, ast.FunctionDef: self.st_FunctionDef,
            ast.Return: self.st_Return, ast.Assert: self.st_Assert,
        }

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
            self._note_assignment(target.id, chain)
        else:
            self.store_item(container, key, value, target)

    def _note_assignment(self, name: str, chain) -> None:
        """Module-level names in the order they were last assigned (the answer of a program that forgets
        to assign `answer` is most often its last assignment)."""
        if len(chain) == 1:
            self.assigned.pop(name, None)
            self.assigned[name] = True

    def assign(self, target, value, chain, loop: bool = False):
        """Bind `target` to `value`; a loop's own variable is not a candidate for the last assignment."""
        if isinstance(target, ast.Name):
            chain[0][target.id] = value
            if not loop:
                self._note_assignment(target.id, chain)
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
                    self.assign(t.value if isinstance(t, ast.Starred) else t, v, chain, loop)
                return
            if len(items) != len(target.elts):
                self.fail(f"cannot unpack {len(items)} values into {len(target.elts)} names", target)
            for t, v in zip(target.elts, items):
                self.assign(t, v, chain, loop)
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
        members["EnumSort"] = Wrapped(enum_sort, "EnumSort", "z3")
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
            self.assign(node.target, item, chain, loop=True)
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
        from solvers.interpreter.core import UserFunction
        chain[0][node.name] = UserFunction(self, node, defaults, chain)

    def st_Return(self, node, chain):
        raise ReturnSignal(self.ev(node.value, chain) if node.value is not None else None)

    def st_Assert(self, node, chain):
        if not self.truth(self.ev(node.test, chain), node.test):
            detail = ""
            if node.msg is not None:
                detail = ": " + display(self.check_shown(self.ev(node.msg, chain)))
            self.fail(f"assertion failed{detail}", node)

