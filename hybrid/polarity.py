"""A third slip of a logic formalization, mended in its text: a stated fact's "not" lost or added in its code.

The bundled 1.5B model sometimes copies a fact right in its comment and states the opposite under it:
"# 11. Numpuses are dull." over `solver.add(Implies(Bool('numpus'), Not(Bool('dull'))))`. When every
sample does it, the vote is unanimous and wrong (`docs/reference/prontoqa-dev-64to100-1.5b-k5`, problem 96,
all five programs). The question states the fact; the code under its copy has to say the same thing.

The same slip hits the statement to judge: on our own tuning puzzles (`benchmarks/logic_tuning_set.py`)
the 1.5B wrote "Karl is heavy." as `claim = Not(Bool('heavy'))`, so Z3 answered the opposite question.

`keep_polarity` puts the `Not` where the question's sentence has one and takes it away where it has none,
and does nothing else. It is deliberately narrow:
- Only under a numbered comment whose text is one of the question's facts (compared as `hybrid.stated_facts`
  compares them, so a dropped or added "not" in the comment never matches), and only for a fact of the simple
  shape "[Every|Each|All] X is/are [not] [a|an] Y." (PrOntoQA's rules and facts, "Max is not a Y." too).
- Only when the first statement after that comment is the one constraint before the next comment, a
  top-level `solver.add(C)` on lines of its own, with C one of `Y`, `Not(Y)`, `Implies(X, Y)`, `Implies(X, Not(Y))`, where Y is `Bool('y')` named after
  the sentence's last word and X is `Bool('x')` named after its subject (singular or plural alike).
- The statement to judge, given as `claim` and of the shape "Max is [not] [a] Y.", fixes the polarity of
  the program's last top-level `claim = Y` or `claim = Not(Y)`, Y a `Bool('y')` named after its last word.
- The polarity is read from the question's sentence, never from the model's comment. A name matches a word
  as a singular or a plural (`Bool('lunpuse')` for "lunpuses", a singular the model makes up, matches too).
The program is read with `ast.parse`, which parses and never runs anything; a program that does not parse,
or a result that would not, comes back unchanged, and the function never raises.
"""
from __future__ import annotations

import ast
import re
from typing import Sequence

from hybrid.slips import Mended
from hybrid.stated_facts import NUMBERED_COMMENT, canonical, is_constraint, shares_a_line, source_lines

_SIMPLE_FACT = re.compile(r"^(?:(?:every|each|all)\s+)?(?P<subject>\w+)\s+(?:is|are)\s+(?P<negated>not\s+)?"
                          r"(?:(?:a|an)\s+)?(?P<object>\w+)$")


def _simple_fact(sentence: str) -> tuple[str, str, bool] | None:
    """(subject, object, negated) of "[Every] X is/are [not] [a] Y."; None for any other sentence."""
    words = " ".join(re.findall(r"\w+", sentence.lower()))
    found = _SIMPLE_FACT.match(words)
    if not found:
        return None
    return canonical(found["subject"]), canonical(found["object"]), bool(found["negated"])


def _bool_name(node: ast.expr) -> str | None:
    """'y' for `Bool('y')`; None for anything else."""
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Bool"
            and len(node.args) == 1 and not node.keywords and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)):
        return node.args[0].value
    return None


def _negand(node: ast.expr) -> ast.expr | None:
    """X for `Not(X)`; None for anything else."""
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Not"
            and len(node.args) == 1 and not node.keywords):
        return node.args[0]
    return None


def _same_name(name: str, word: str) -> bool:
    """Whether a z3 name is the (canonical) word, read as a singular or as a plural."""
    return word in (canonical(name), canonical(name + "s"))


def _consequent(statement: ast.stmt, subject: str) -> ast.expr | None:
    """The Y or Not(Y) that `solver.add(C)` asserts of `subject` (see the module docstring); None otherwise."""
    if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)
            and isinstance(statement.value.func, ast.Attribute) and statement.value.func.attr == "add"
            and len(statement.value.args) == 1 and not statement.value.keywords):
        return None
    asserted = statement.value.args[0]
    if (isinstance(asserted, ast.Call) and isinstance(asserted.func, ast.Name) and asserted.func.id == "Implies"
            and len(asserted.args) == 2 and not asserted.keywords):
        premise = _bool_name(asserted.args[0])
        if premise is None or not _same_name(premise, subject):
            return None
        return asserted.args[1]
    return asserted


def _splice(lines: list[str], node: ast.expr, text: str) -> None:
    """Replace `node`'s source (one line; ast's columns count UTF-8 bytes) with `text`, in place."""
    line = lines[node.lineno - 1].encode("utf-8")
    lines[node.lineno - 1] = (line[:node.col_offset] + text.encode("utf-8") + line[node.end_col_offset:]).decode("utf-8")


def _flip(lines: list[str], node: ast.expr | None, shape: tuple[str, str, bool]) -> bool:
    """Give `node` (Y or Not(Y), on one line) the polarity of `shape` in place; whether it changed."""
    if node is None or node.lineno != node.end_lineno:
        return False
    _, object_, negated = shape
    inner = _negand(node)
    name = _bool_name(inner if inner is not None else node)
    if name is None or not _same_name(name, object_) or (inner is not None) == negated:
        return False
    said = f"Bool({name!r})"
    _splice(lines, node, f"Not({said})" if negated else said)
    return True


def _claim_value(tree: ast.Module, spans: list[tuple[int, int]]) -> ast.expr | None:
    """The value of the program's last top-level `claim = ...`, alone on its lines; None without one."""
    for index in range(len(tree.body) - 1, -1, -1):
        statement = tree.body[index]
        if (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name) and statement.targets[0].id == "claim"):
            return None if shares_a_line(spans, index) else statement.value
    return None


def keep_polarity(program: str, facts: Sequence[str], claim: str | None = None) -> Mended:
    """`program` with each simple stated fact's code, and the claim's, given the question's own polarity,
    and a note per change."""
    try:
        return _keep_polarity(program, facts, claim)
    except Exception:  # a mend must never break the route: keep what the model wrote
        return Mended(program)


def _keep_polarity(program: str, facts: Sequence[str], claim: str | None) -> Mended:
    if (not isinstance(program, str) or not program.strip() or isinstance(facts, str) or not facts
            or not all(isinstance(f, str) for f in facts)):
        return Mended(program)
    lines = source_lines(program)
    if lines is None:
        return Mended(program)
    shapes = {canonical(f): _simple_fact(f) for f in facts}
    from solvers.language import PARSE_LOCK  # lazy; one parse at a time in this process (CPython 3.11)

    with PARSE_LOCK:
        tree = ast.parse(program)  # a program that does not parse ends in keep_polarity's except: unchanged
    spans = [(s.lineno, s.end_lineno or s.lineno) for s in tree.body]
    inside = {n for start, end in spans for n in range(start, end + 1)}
    comments = [(number, NUMBERED_COMMENT.match(line)) for number, line in enumerate(lines, start=1)
                if number not in inside and line.lstrip().startswith("#")]

    changes: list[str] = []
    for position, (number, numbered) in enumerate(comments):
        shape = shapes.get(canonical(numbered.group(2))) if numbered else None
        if shape is None:
            continue
        block_end = comments[position + 1][0] if position + 1 < len(comments) else len(lines) + 1
        block = [i for i, (start, _) in enumerate(spans) if number < start < block_end]
        if not block or sum(is_constraint(tree.body[i]) for i in block) != 1:
            continue
        statement = tree.body[block[0]]
        if shares_a_line(spans, block[0]):
            continue  # `a; b` on one line: leave both
        if _flip(lines, _consequent(statement, shape[0]), shape):
            changes.append(f"fact {numbered.group(1)}: {'Not added' if shape[2] else 'Not removed'} ({numbered.group(2)})")
    judged = _simple_fact(claim) if isinstance(claim, str) else None
    if judged is not None and _flip(lines, _claim_value(tree, spans), judged):
        changes.append(f"claim: {'Not added' if judged[2] else 'Not removed'} ({claim})")
    if not changes:
        return Mended(program)
    mended = "".join(lines)
    with PARSE_LOCK:
        ast.parse(mended)  # a result that would not parse is not returned (the caller's except keeps the program)
    return Mended(mended, tuple(changes))
