"""The step language, statically: parse a program with `ast` and check it against allow-lists.

This module never imports sympy or z3 and never executes anything. It answers two questions about a
text: is it an allowed program (`check_program`), and which solver should run it (`detect_solver`); where
the program is inside a model's reply is `solvers.extraction`. Dynamic checks (which names, attributes
and calls are allowed on which values) live in the `solvers.interpreter` package; this file only refuses
what can be refused from the syntax alone.
"""
from __future__ import annotations

import ast
import threading
from dataclasses import dataclass

from solvers.base import Limits, SolverName

# Statement and expression node types the interpreter knows how to run.
ALLOWED_NODES: frozenset[type] = frozenset({
    ast.Module, ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Import, ast.ImportFrom, ast.alias,
    ast.If, ast.For, ast.While, ast.Break, ast.Continue, ast.Pass, ast.FunctionDef, ast.Return,
    ast.Assert, ast.arguments, ast.arg, ast.Lambda,
    ast.Name, ast.Load, ast.Store, ast.Constant, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare,
    ast.Call, ast.keyword, ast.Attribute, ast.Subscript, ast.Slice, ast.Starred,
    ast.List, ast.Tuple, ast.Set, ast.Dict, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp,
    ast.comprehension, ast.IfExp, ast.JoinedStr, ast.FormattedValue,
    # operators
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow, ast.BitAnd, ast.BitOr,
    ast.BitXor, ast.LShift, ast.RShift, ast.UAdd, ast.USub, ast.Not, ast.Invert, ast.And, ast.Or,
    ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn, ast.Is, ast.IsNot,
})

# Friendly names for refused node types (the rest get their class name).
_REFUSED_WHAT = {
    ast.ClassDef: "class definitions", ast.Try: "try/except", ast.With: "with blocks",
    ast.Global: "global statements", ast.Nonlocal: "nonlocal statements", ast.Delete: "del",
    ast.Yield: "yield", ast.YieldFrom: "yield", ast.Await: "await", ast.AsyncFunctionDef: "async def",
    ast.AsyncFor: "async for", ast.AsyncWith: "async with", ast.NamedExpr: "the := operator",
    ast.Raise: "raise", ast.MatMult: "the @ operator", ast.Match: "match statements",
}

IMPORTABLE = ("sympy", "z3", "math")

# Names that are never allowed, even as the program's own variables, so escapes fail loudly and early.
FORBIDDEN_NAMES = frozenset({
    "eval", "exec", "compile", "open", "input", "getattr", "setattr", "delattr", "hasattr", "globals",
    "locals", "vars", "dir", "type", "object", "breakpoint", "help", "exit", "quit", "memoryview",
    "classmethod", "staticmethod", "property", "super", "sympify", "parse_expr", "lambdify", "os", "sys",
    "subprocess", "importlib", "builtins", "pickle", "ctypes", "marshal", "shutil", "socket", "signal",
    "resource", "threading", "multiprocessing", "issubclass", "memoryview", "format_map",
    "init_printing", "preview",
})

Z3_MARKERS = frozenset({"Solver", "Optimize", "Int", "Ints", "Real", "Reals", "Bool", "Bools", "Distinct",
                        "Implies", "IntVector", "BoolVector", "RealVector", "EnumSort", "IntSort",
                        "BoolSort", "sat", "unsat"})


@dataclass(frozen=True)
class Checked:
    """Outcome of the static check: a parsed tree, or an error message with its line."""

    tree: ast.Module | None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.tree is not None


def clip(message: str, limit: int = 200) -> str:
    """One line, at most `limit` characters."""
    message = " ".join(str(message).split())
    return message if len(message) <= limit else message[: limit - 3] + "..."


def at_line(node: ast.AST | None, message: str) -> str:
    line = getattr(node, "lineno", None)
    return clip(f"line {line}: {message}" if line else message)


# CPython 3.11's ast.parse is not thread-safe: a thread switch while it builds the tree can corrupt the
# shared recursion-depth counter ("SystemError: AST constructor recursion depth mismatch", gh-106905), and
# the engine parses in one thread per question. Every in-process parse holds this lock.
PARSE_LOCK = threading.Lock()


def parse(source: str) -> ast.Module | None:
    """ast.parse that never raises."""
    try:
        with PARSE_LOCK:
            return ast.parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError, OverflowError):
        return None


def _depth_exceeds(tree: ast.AST, limit: int) -> ast.AST | None:
    """First node deeper than `limit`, iteratively. Left-nested operator chains (a + b + c + ...) count as
    one level because the interpreter walks them in a loop."""
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return node
        for child in ast.iter_child_nodes(node):
            same_chain = isinstance(node, ast.BinOp) and child is node.left and isinstance(child, ast.BinOp)
            stack.append((child, depth if same_chain else depth + 1))
    return None


def _check_import(node: ast.Import | ast.ImportFrom) -> str:
    names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
    if isinstance(node, ast.ImportFrom) and node.level:
        return at_line(node, "relative imports are not allowed")
    for name in names:
        top = name.split(".")[0]
        if top not in IMPORTABLE:
            return at_line(node, f"import of '{name}' is not allowed (only sympy, z3 and math)")
        if top in ("z3", "math") and "." in name:
            return at_line(node, f"import of '{name}' is not allowed (import {top} itself)")
    return ""


def check_program(source: str, limits: Limits | None = None) -> Checked:
    """Parse `source` and check it against the static allow-lists. Never raises."""
    limits = limits or Limits()
    if not isinstance(source, str):
        return Checked(None, "the program must be text")
    if len(source) > limits.max_source_chars:
        return Checked(None, f"program too long ({len(source)} characters; limit {limits.max_source_chars})")
    if not source.strip():
        return Checked(None, "empty program")
    try:
        with PARSE_LOCK:
            tree = ast.parse(source)
    except SyntaxError as exc:
        where = f"line {exc.lineno}: " if exc.lineno else ""
        return Checked(None, clip(f"{where}syntax error: {exc.msg}"))
    except (ValueError, MemoryError, RecursionError, OverflowError) as exc:
        return Checked(None, clip(f"cannot parse the program: {type(exc).__name__}: {exc}"))
    if not tree.body:
        return Checked(None, "empty program")
    deep = _depth_exceeds(tree, limits.max_ast_depth)
    if deep is not None:
        return Checked(None, at_line(deep, f"nesting too deep (limit {limits.max_ast_depth} levels)"))
    for node in ast.walk(tree):
        kind = type(node)
        if kind not in ALLOWED_NODES:
            what = _REFUSED_WHAT.get(kind, kind.__name__)
            return Checked(None, at_line(node, f"{what} not allowed in the step language"))
        error = _check_node(node)
        if error:
            return Checked(None, error)
    return Checked(tree)


def _check_node(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        if node.id.startswith("__"):
            return at_line(node, f"name '{node.id}' is not allowed (no dunder names)")
        if node.id in FORBIDDEN_NAMES:
            return at_line(node, f"name '{node.id}' is not allowed")
    elif isinstance(node, ast.Attribute):
        if node.attr.startswith("_"):
            return at_line(node, f"attribute '{node.attr}' is not allowed (no private or dunder attributes)")
        if not isinstance(node.ctx, ast.Load):
            return at_line(node, "assigning to attributes is not allowed")
    elif isinstance(node, (ast.Import, ast.ImportFrom)):
        return _check_import(node)
    elif isinstance(node, ast.alias):
        if node.asname and (node.asname.startswith("__") or node.asname in FORBIDDEN_NAMES):
            return f"import alias '{node.asname}' is not allowed"
        if node.name != "*" and node.name.split(".")[-1].startswith("_"):
            return f"importing '{node.name}' is not allowed"
    elif isinstance(node, ast.Constant):
        if not isinstance(node.value, (int, float, str, bool, type(None))):
            return at_line(node, f"{type(node.value).__name__} literals are not allowed")
    elif isinstance(node, ast.FunctionDef):
        if node.decorator_list:
            return at_line(node, "decorators are not allowed")
        if node.name.startswith("__") or node.name in FORBIDDEN_NAMES:
            return at_line(node, f"function name '{node.name}' is not allowed")
        if node.args.vararg or node.args.kwarg or node.args.kwonlyargs or node.args.posonlyargs:
            return at_line(node, "only plain parameters (with optional defaults) are allowed in def")
    elif isinstance(node, ast.Lambda):
        if node.args.vararg or node.args.kwarg or node.args.kwonlyargs or node.args.posonlyargs:
            return at_line(node, "only plain parameters are allowed in lambda")
    elif isinstance(node, ast.arg):
        if node.arg.startswith("__") or node.arg in FORBIDDEN_NAMES:
            return at_line(node, f"parameter name '{node.arg}' is not allowed")
    elif isinstance(node, ast.keyword):
        if node.arg is None:
            return at_line(node, "**kwargs in calls are not allowed")
        if node.arg.startswith("_"):
            return at_line(node, f"keyword '{node.arg}' is not allowed")
    elif isinstance(node, ast.comprehension):
        if node.is_async:
            return at_line(node.target, "async comprehensions are not allowed")
    return ""


# --------------------------------------------------------------------------- routing


def _imports_and_calls(tree: ast.Module) -> tuple[set[str], set[str]]:
    modules: set[str] = set()
    called: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                called.add(func.id)
            elif isinstance(func, ast.Attribute):
                called.add(func.attr)
    return modules, called


def detect_solver(source: str) -> SolverName:
    """Which solver a program needs, from its text alone (no execution). Never raises.

    "z3" when it imports z3 (or, with no imports, calls z3-only names like Solver/Ints); "sympy" for any
    other program (plain arithmetic runs on the sympy side); "none" when the text is not a program.
    A reply with ``` fences is judged by the program `extract_program` finds in it.
    """
    try:
        if not isinstance(source, str) or len(source) > 200_000:
            return "none"
        if "```" in source:
            from solvers.extraction import extract_program
            source = extract_program(source) or ""
        tree = parse(source)
        if tree is None or not tree.body:
            return "none"
        modules, called = _imports_and_calls(tree)
        if "z3" in modules:
            return "z3"
        if "sympy" in modules:
            return "sympy"
        if called & Z3_MARKERS:
            return "z3"
        return "sympy"
    except Exception:  # noqa: BLE001 - routing must never raise
        return "none"
