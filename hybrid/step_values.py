"""What the steps of a step-mode solution hand each other: values, as data, never as code to run here.

A step is a short program. After it runs (in the solver worker), its named scalars come back in
`SolverResult.values` as `[kind, text, reported]`; the ones the step itself assigns are its values.
A later step that reads one of those names gets it as a literal assignment put in front of its program
(`prefix`: `prize = 150`, `share = 3 / 4`, `winner = 'Ann'`, `late = True`), rendered here from the
checked kind and text, so the worker parses and runs it like any program line; nothing is evaluated in
this process. The code of a step is read with `ast` only (`solvers.language.parse`, which holds the parse
lock and never raises) to find the names it assigns and the names it reads before assigning them
(`analyse`). `output_block` is the tool turn the model sees after a step: its printed lines and values.
A z3 step hands on only the names that hold the value its run reported (what the z3 solver checked to be
fixed by the constraints, or a part of it: `print((first, second))`); any other name may hold what one
model happened to give, so it is left behind and named in the output turn (`carried`).
"""
from __future__ import annotations

import ast
from dataclasses import dataclass

from solvers.named_values import good_entry, good_name

FINAL_NAMES = ("answer", "options", "claim")  # a step that assigns one of these gives the final answer
MAX_SHOWN_PRINTED = 8


@dataclass(frozen=True)
class Analysis:
    """The names a step's code assigns at module level and the names it reads before assigning them."""

    parsed: bool
    assigned: tuple[str, ...] = ()
    reads: tuple[str, ...] = ()

    @property
    def final(self) -> bool:
        return any(name in self.assigned for name in FINAL_NAMES)


def _stored(target: ast.AST) -> list[ast.Name]:
    return [n for n in ast.walk(target) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)]


def analyse(code: str | None) -> Analysis:
    """Names assigned at module level and names read first (a read on the line of the first store counts:
    `total = total + 1` reads `total`). Never raises; unparsable code is `parsed=False`."""
    from solvers.language import parse  # lazy: the parse lock lives there

    if not isinstance(code, str) or not code.strip():
        return Analysis(parsed=False)
    tree = parse(code)
    if tree is None:
        return Analysis(parsed=False)
    try:
        assigned: dict[str, int] = {}
        for statement in tree.body:
            targets = []
            if isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            elif isinstance(statement, (ast.For, ast.With)):
                targets = [statement.target] if isinstance(statement, ast.For) else [
                    i.optional_vars for i in statement.items if i.optional_vars is not None]
            elif isinstance(statement, (ast.FunctionDef, ast.ClassDef)):
                assigned.setdefault(statement.name, statement.lineno)
            for target in targets:
                for name in _stored(target):
                    assigned.setdefault(name.id, name.lineno)
        first_store: dict[str, int] = {}
        first_read: dict[str, int] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                table = first_read if isinstance(node.ctx, ast.Load) else first_store
                table[node.id] = min(table.get(node.id, node.lineno), node.lineno)
        reads = [name for name, line in sorted(first_read.items(), key=lambda kv: (kv[1], kv[0]))
                 if name not in first_store or line <= first_store[name]]
        return Analysis(parsed=True, assigned=tuple(assigned), reads=tuple(reads))
    except (RecursionError, MemoryError):
        return Analysis(parsed=False)


def literal(entry: list) -> str | None:
    """The Python source of one checked value entry, or None when it is not well-formed."""
    if not good_entry(entry):
        return None
    kind, text, _ = entry
    if kind == "int":
        return text
    if kind == "rational":
        numerator, denominator = text.split("/")
        return f"{numerator} / {denominator}"  # the interpreter's `/` on integers is an exact fraction
    if kind == "float":
        return text
    if kind == "bool":
        return text
    return repr(text)  # a string literal; the worker parses it, nothing here evaluates it


def shown(entry: list) -> str:
    """A value as the model sees it in the output turn."""
    kind, text, _ = entry
    return repr(text) if kind == "str" else text


def prefix(values: dict[str, list], names) -> tuple[str, tuple[str, ...]]:
    """(the assignment lines for those of `names` that hold a known value, the names used)."""
    lines, used = [], []
    for name in names:
        entry = values.get(name)
        source = literal(entry) if entry is not None and good_name(name) else None
        if source is not None:
            lines.append(f"{name} = {source}")
            used.append(name)
    return "".join(line + "\n" for line in lines), tuple(used)


def carried(result: dict, analysis: Analysis) -> tuple[dict[str, list], tuple[str, ...]]:
    """(the values a step hands on: those its own code assigns, from its solver result; the names a z3
    step leaves behind because they are not the value its run reported and checked)."""
    values = result.get("values") if isinstance(result.get("values"), dict) else {}
    kept, left = {}, []
    for name in analysis.assigned:
        entry = values.get(name)
        if entry is None or not good_name(name) or not isinstance(entry, (list, tuple)) or not good_entry(list(entry)):
            continue
        entry = list(entry)
        if result.get("solver") == "z3" and not entry[2]:
            left.append(name)
            continue
        kept[name] = entry
    return kept, tuple(left)


def output_block(result: dict, values: dict[str, list], left: tuple[str, ...] = ()) -> str:
    """The ```output turn after a step: its `name = value` lines (its printed lines, the last few, when it
    named no value); a failed step shows its error instead."""
    if result.get("status") != "ok":
        return f"```output\n{result.get('status')}: {result.get('message') or 'no result'}\n```"
    lines = [f"{name} = {shown(entry)}" for name, entry in values.items()]
    if not lines:
        lines = [str(line) for line in (result.get("printed") or ())][-MAX_SHOWN_PRINTED:]
    if left:
        lines.append("not kept (read from one z3 model, not the printed value): " + ", ".join(left))
    return "```output\n" + ("\n".join(lines) or "(no values)") + "\n```"
