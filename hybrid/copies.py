"""Is a program a copy of an exemplar's program? A copy answers the exemplar, not the question.

`copied_from(program, question, exemplars)` returns the id of the exemplar the program reproduces, or None:
- the same code: equal once parsed, with imports, docstrings, comments and layout left out, or equal
  text once import and comment lines and all whitespace are dropped;
- or the exemplar's numbers: the question states numbers, the program writes none of them, at least two numbers
  other than 0, 1 and 2, and every one of those is a number of the exemplar (its program or question).
Exemplars are mappings with "id" and "program" (and "question", optional). Small models asked to repair a
program while the few-shot conversation is in view answer with an exemplar's program often enough that
its answer (720, the Jacob-and-Jake exemplar's) was 10 of 200 hybrid answers (issue 13).
Nothing here raises.
"""
from __future__ import annotations

import ast
from functools import lru_cache
from typing import Iterable, Mapping

from hybrid.quantities import program_numbers, question_numbers, same_number, shares_a_number

_UNINFORMATIVE = (0.0, 1.0, 2.0)


@lru_cache(maxsize=4096)
def _text_form(program: str) -> str:
    """The program's lines without imports, comments, blank lines or any whitespace."""
    lines = [line.split("#", 1)[0].strip() for line in program.splitlines()]
    return "\n".join("".join(line.split()) for line in lines if line and not line.startswith(("import ", "from ")))


@lru_cache(maxsize=4096)
def normalized_code(program: str | None) -> str | None:
    """The program's statements as an AST dump, imports and docstrings left out (where it does not parse:
    its text form, without imports, comments or whitespace); None for no program."""
    if not isinstance(program, str) or not program.strip():
        return None
    try:
        tree = ast.parse(program)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return "text:" + _text_form(program)
    body = [node for node in tree.body if not isinstance(node, (ast.Import, ast.ImportFrom))
            and not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))]
    return "ast:" + "\n".join(ast.dump(node, annotate_fields=False) for node in body)


def same_code(a: str | None, b: str | None) -> bool:
    """Equal once parsed (see `normalized_code`), or equal text forms (whitespace, comments, imports aside)."""
    if not (isinstance(a, str) and isinstance(b, str) and a.strip() and b.strip()):
        return False
    return normalized_code(a) == normalized_code(b) or _text_form(a) == _text_form(b)


def _informative(numbers: frozenset[float]) -> list[float]:
    return [n for n in numbers if not any(same_number(n, u) for u in _UNINFORMATIVE)]


def copied_from(program: str | None, question: str, exemplars: Iterable[Mapping]) -> str | None:
    """The id of the exemplar `program` reproduces (see the module docstring), or None."""
    if not isinstance(program, str) or not program.strip():
        return None
    exemplars = list(exemplars)
    for exemplar in exemplars:
        if same_code(program, str(exemplar.get("program") or "")):
            return str(exemplar.get("id") or "an exemplar")
    written, stated = program_numbers(program), question_numbers(question)
    if written is None or not stated or shares_a_number(written, stated):
        return None
    mine = _informative(written)
    if len(mine) < 2:
        return None
    for exemplar in exemplars:
        theirs = (program_numbers(str(exemplar.get("program") or "")) or frozenset()) | question_numbers(
            str(exemplar.get("question") or ""))
        if all(any(same_number(n, t) for t in theirs) for n in mine):
            return str(exemplar.get("id") or "an exemplar")
    return None
