"""Keep a logic formalization to the facts the question states.

The logic prompts show the context as numbered facts and ask the model to copy each one as a comment
(`# 3. The owl is to the left of the robin.`) before the line that states it. The 0.5B model often goes on
past the last fact: it invents facts (on PrOntoQA, often the very statement it is asked to judge, "# 12. Max
is sour."), or restates a fact with a different constraint ("# 6. The sedan is the second-newest." after a
fact 5 that said so of the convertible). Z3 then decides from premises the question never gave, which is how
a formalization can be decided and still be wrong.

`keep_stated_facts` removes the constraints (`solver.add(...)` statements) that the program puts under an
invented fact, or under a repeat of a fact whose constraint it already stated. It is deliberately narrow:
- A comment counts as an invented fact only when its text is none of the facts and either its number is
  past the last fact or its text is what the question asks about (the statement to judge, an option): the
  model's commonest invention is to assert the very claim, often in place of the last fact. Text is compared ignoring case, punctuation, articles, quantifiers ("every", "each", "all"),
  "and", "is"/"are" and plural endings, so "Each numpus is metallic." matches "Numpuses are metallic."
  while "left" never matches "right" and a dropped "not" never matches.
- A fact counts as stated once a constraint under it is kept, so a program that lists the facts first and
  then repeats each above its constraint loses nothing.
- Only whole top-level `.add(...)` statements go. Declarations, `solver = Solver()`, loops and the
  `options` / `claim` lines stay wherever they are, and comments inside a statement are ignored.
The program is read with `ast.parse`, which parses and never runs anything; a program that does not parse,
or a result that would not, comes back unchanged, and the function never raises. Whatever it returns is
run by the allow-list interpreter like any other program.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Sequence

NUMBERED_COMMENT = re.compile(r"^\s*#\s*(\d+)\s*[.):]\s*(.*?)\s*$")
_IGNORED_WORDS = {"a", "an", "the", "every", "each", "all", "and"}


@dataclass(frozen=True)
class StatedFacts:
    """The program with the constraints of unstated facts removed, and the comment texts of those facts."""

    program: str
    dropped: tuple[str, ...] = ()


def canonical(sentence: str) -> str:
    """A fact sentence reduced for comparison: lower case, words only, no articles, quantifiers or "and",
    "are" read as "is", plural endings removed."""
    words = []
    for word in re.findall(r"\w+", sentence.lower()):
        if word in _IGNORED_WORDS:
            continue
        if word == "are":
            word = "is"
        if word.endswith("ses"):
            word = word[:-2]
        words.append(word[:-1] if word.endswith("s") and len(word) > 3 else word)
    return " ".join(words)


def source_lines(program: str) -> list[str] | None:
    """The program's lines with their endings, split only where Python's tokenizer ends a line (so line N
    is ast's line N); None for a program with a lone CR, which Python ends a line at and this does not:
    callers leave such a program as written."""
    if re.search(r"\r(?!\n)", program):
        return None
    return re.findall(r"[^\n]*\n|[^\n]+$", program)


def is_constraint(statement: ast.stmt) -> bool:
    """`solver.add(...)` (any receiver): a statement that only asserts something."""
    return (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)
            and isinstance(statement.value.func, ast.Attribute) and statement.value.func.attr == "add")


def shares_a_line(spans: Sequence[tuple[int, int]], index: int) -> bool:
    """Whether statement `index` (of top-level statements spanning these (first, last) lines) shares a line
    with another (`a; b`): such statements are left as written."""
    start, end = spans[index]
    return any(i != index and s0 <= end and e >= start for i, (s0, e) in enumerate(spans))


def keep_stated_facts(program: str, facts: Sequence[str], claims: Sequence[str] = ()) -> StatedFacts:
    """`program` without the constraints it states under facts the question never gave (or under repeats).

    `claims` are what the question asks about (`hybrid.facts.claim_sentences`). With no facts to compare against (a
    question without a context) the program is returned unchanged."""
    try:
        return _keep_stated_facts(program, facts, claims)
    except Exception:  # a filter must never break the route: keep what the model wrote
        return StatedFacts(program)


def _keep_stated_facts(program: str, facts: Sequence[str], claims: Sequence[str]) -> StatedFacts:
    if (not isinstance(program, str) or not program.strip() or isinstance(facts, str) or not facts
            or not all(isinstance(f, str) for f in facts)):
        return StatedFacts(program)
    lines = source_lines(program)
    if lines is None:
        return StatedFacts(program)
    stated = {canonical(f) for f in facts} - {""}
    if not stated:
        return StatedFacts(program)
    asked = {canonical(str(c)) for c in claims if not isinstance(claims, str)} - {""} - stated
    from solvers.language import PARSE_LOCK  # lazy; one parse at a time in this process (CPython 3.11)

    with PARSE_LOCK:
        tree = ast.parse(program)  # a program that does not parse ends in keep_stated_facts' except: unchanged
    spans = [(s.lineno, s.end_lineno or s.lineno) for s in tree.body]
    inside = {n for start, end in spans for n in range(start, end + 1)}

    # the comment lines between statements: (line number, fact number or None, text)
    comments = []
    for number, line in enumerate(lines, start=1):
        if number in inside or not line.lstrip().startswith("#"):
            continue
        numbered = NUMBERED_COMMENT.match(line)
        comments.append((number, int(numbered.group(1)), numbered.group(2)) if numbered else (number, None, ""))

    drop_lines: set[int] = set()
    dropped: list[str] = []
    seen: set[str] = set()        # facts with a kept constraint in an earlier block
    block_key, block_unstated, block_used, block_reported = "", False, False, False
    in_block = False
    comment_index = 0
    for index, (statement, (start, end)) in enumerate(zip(tree.body, spans)):
        while comment_index < len(comments) and comments[comment_index][0] < start:
            if in_block and block_used and block_key:
                seen.add(block_key)
            _, fact_number, text = comments[comment_index]
            comment_index += 1
            in_block = fact_number is not None
            if in_block:
                block_key = canonical(text)
                invented = block_key not in stated and (fact_number > len(facts) or block_key in asked)
                block_unstated = invented or block_key in seen
                block_used, block_reported, block_text = False, False, text
        if not in_block or not is_constraint(statement):
            continue
        if not block_unstated or shares_a_line(spans, index):  # `a; b` on one line: leave both
            block_used = True
            continue
        drop_lines.update(range(start, end + 1))
        if not block_reported:
            dropped.append(block_text)
            block_reported = True
    if not drop_lines:
        return StatedFacts(program)
    kept = "".join(line for number, line in enumerate(lines, start=1) if number not in drop_lines)
    with PARSE_LOCK:
        ast.parse(kept)  # a result that would not parse is not returned (the caller's except keeps the program)
    return StatedFacts(kept, tuple(dropped))
