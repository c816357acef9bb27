"""Put the positions and orders an ordering question states into its formalization, read from its own words.

An ordering puzzle ("five books on a shelf", "seven golfers") says where some objects are: "the second
from the right", "the third-newest", "the leftmost", "finished second-to-last". The logic prompt fixes one
direction (position 1 is the left end, the oldest, the cheapest, the first finisher), so each such phrase
names one number once the number of objects is known: "the second from the right" of five is 4. Small
models get the number wrong where the words run against that direction: they write `hawk == 2` for "the
hawk is the second from the right", and mostly in the options, where a wrong number makes Z3 pick a wrong
letter with every sample agreeing. That is arithmetic on the question's words, so it is not left to the model.

`read_positions(program, facts, options, count)` rewrites, in the program's source:
- under a numbered fact comment whose text is a stated fact that places one object (`# 4. The hawk is the
  second from the right.`), a constraint `solver.add(hawk <op> K)` on that one object to `hawk == 4`;
- in `options = {"A": ..., ...}`, an entry `"A": hawk == K` whose option text places that object, to the
  stated position.
- under a fact that orders two objects ("Eli finished below Mya.", "The bus is newer than the truck."), a
  constraint `eli < mya` between those two variables to the stated direction (`eli > mya`): the same
  one-direction rule, the model's commonest other slip.
A rewrite needs each variable's name (with `_` for spaces) among the sentence's words, on the right side of
the comparison phrase, exactly one position or comparison phrase in the sentence, and one variable compared
with one whole number or (with `<` or `>`) with one other variable; anything else is left as the model
wrote it. The program is read with
`ast.parse`, never run; the result must parse, and the function never raises: on any doubt it returns the
program unchanged. The allow-list interpreter runs whatever comes back, like any other program.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Sequence

from hybrid.answers import strip_label
from hybrid.stated_facts import NUMBERED_COMMENT, canonical, source_lines

_ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
            "eighth": 8, "ninth": 9, "tenth": 10}
_COUNT = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_ORD = "|".join(_ORDINAL)
# (pattern, position from the ordinal k and the count n); the k-forms come first so that "second-newest"
# is not read as "newest" and "second-to-last" not as "last"
_PHRASES = [
    (re.compile(rf"\b({_ORD}) from the right\b"), lambda k, n: n + 1 - k),
    (re.compile(rf"\b({_ORD}) from the left\b"), lambda k, n: k),
    (re.compile(rf"\b({_ORD})[- ](?:newest|most expensive)\b"), lambda k, n: n + 1 - k),
    (re.compile(rf"\b({_ORD})[- ](?:oldest|cheapest)\b"), lambda k, n: k),
    (re.compile(rf"\bfinished ({_ORD})[- ]to[- ]last\b"), lambda k, n: n + 1 - k),
    (re.compile(rf"\bfinished ({_ORD})\b(?![- ]to[- ]last)"), lambda k, n: k),
    (re.compile(r"\bthe (?:leftmost|oldest|cheapest)\b"), lambda k, n: 1),
    (re.compile(r"\bthe (?:rightmost|newest)\b"), lambda k, n: n),
    (re.compile(r"(?<![a-z-])the most expensive\b"), lambda k, n: n),
    (re.compile(r"\bfinished last\b"), lambda k, n: n),
]
_SET_OF = re.compile(r"\bset of (\w+) objects\b")
# "A <phrase> B": the phrases that put A before B (nearer position 1), and those that put it after
_BEFORE = ("to the left of", "older than", "cheaper than", "less expensive than", "finished above")
_AFTER = ("to the right of", "newer than", "more expensive than", "finished below")
_ORDER = re.compile(r"\b(?:" + "|".join(re.escape(x) for x in _BEFORE + _AFTER) + r")\b")
_NEGATION = re.compile(r"\b(?:not|never|no)\b|n't\b")


@dataclass(frozen=True)
class Positions:
    """The program with stated positions put in, and one note per rewrite ("fact 4: hawk == 2 -> hawk == 4")."""

    program: str
    rewritten: tuple[str, ...] = ()


def position_in(sentence: str, count: int) -> int | None:
    """The one position `sentence` states among `count` objects (1 = left end, oldest, cheapest, first), or None
    when it states none, several, one outside 1..count, or a negation ("is not the leftmost")."""
    placed = _placed(sentence, count)
    return placed[0] if placed else None


def _placed(sentence: str, count: int) -> tuple[int, str] | None:
    """(position, the words before its phrase: the subject) of `sentence`, or None (see position_in)."""
    text = " ".join(str(sentence).lower().split())
    if _NEGATION.search(text):
        return None
    found, spans = [], []
    for pattern, position in _PHRASES:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in spans):
                continue  # inside a phrase already read ("second-newest" holds "newest")
            k = _ORDINAL.get(match.group(1)) if match.groups() else 0
            spans.append(match.span())
            found.append(position(k, count))
    if len(found) != 1 or not 1 <= found[0] <= count:
        return None
    return found[0], text[:spans[0][0]]


def order_in(sentence: str) -> tuple[str, str, str] | None:
    """(words before, "<" or ">", words after) of the one comparison `sentence` states ("The owl is to the left
    of the jay." -> ("the owl is", "<", "the jay.")), or None when it states none or several."""
    text = " ".join(str(sentence).lower().split())
    found = list(_ORDER.finditer(text))
    if len(found) != 1 or _NEGATION.search(text):
        return None
    match = found[0]
    return text[:match.start()], "<" if match.group(0) in _BEFORE else ">", text[match.end():]


def object_count(context: str | None, program_tree: ast.Module | None = None) -> int | None:
    """How many objects: "a set of five objects" in the context, else the length of the program's `objects` list."""
    match = _SET_OF.search((context or "").lower())
    if match and match.group(1) in _COUNT:
        return _COUNT[match.group(1)]
    for statement in program_tree.body if program_tree else ():
        if (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name) and statement.targets[0].id == "objects"
                and isinstance(statement.value, ast.List) and len(statement.value.elts) > 1):
            return len(statement.value.elts)
    return None


def read_positions(program: str, facts: Sequence[str], options: Sequence[str] | None, context: str | None) -> Positions:
    """`program` with the positions its stated facts and options give put in (see the module docstring)."""
    try:
        return _read_positions(program, list(facts), list(options or ()), context)
    except Exception:  # a reading must never break the route: keep what the model wrote
        return Positions(program)


def _one_object(node: ast.AST) -> tuple[str, int] | None:
    """(variable, number) of `name <op> K` or `K <op> name` with one comparison and a whole number K."""
    if not isinstance(node, ast.Compare) or len(node.ops) != 1:
        return None
    left, right = node.left, node.comparators[0]
    if isinstance(right, ast.Name) and isinstance(left, ast.Constant):
        left, right = right, left
    if (isinstance(left, ast.Name) and isinstance(right, ast.Constant) and type(right.value) is int):
        return left.id, right.value
    return None


def _names_it(variable: str, sentence: str) -> bool:
    words = f" {canonical(sentence)} "
    return f" {canonical(variable.replace('_', ' '))} " in words


def _subject_is(variable: str, words: str, names: set[str]) -> bool:
    """`variable` is named in `words` and no longer name holding it is ("blue" is not "navy blue")."""
    if not _names_it(variable, words):
        return False
    own = canonical(variable.replace("_", " "))
    return not any(other != variable and f" {own} " in f" {canonical(other.replace('_', ' '))} "
                   and _names_it(other, words) for other in names)


def _numbered_one_to(tree: ast.Module, count: int) -> bool:
    """The program's own range is 1..count: every bound in its top-level `for` loops (`x >= 1, x <= 5`)."""
    low, high = set(), set()
    for loop in (s for s in tree.body if isinstance(s, ast.For)):
        for node in ast.walk(loop):
            if (isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.left, ast.Name)
                    and isinstance(node.comparators[0], ast.Constant) and type(node.comparators[0].value) is int):
                k, op = node.comparators[0].value, type(node.ops[0])
                if op in (ast.GtE, ast.Gt):
                    low.add(k + (op is ast.Gt))
                elif op in (ast.LtE, ast.Lt):
                    high.add(k - (op is ast.Lt))
    return low <= {1} and high <= {count}


def _read_positions(program: str, facts: list[str], options: list[str], context: str | None) -> Positions:
    if not isinstance(program, str) or not program.strip():
        return Positions(program)
    from solvers.language import PARSE_LOCK  # lazy; one parse at a time in this process (CPython 3.11)

    with PARSE_LOCK:
        tree = ast.parse(program)
    count = object_count(context, tree)
    if not count or not _numbered_one_to(tree, count):  # a program numbered otherwise is left as written
        return Positions(program)
    lines = source_lines(program)  # split where Python's tokenizer ends a line, as ast numbers them
    if lines is None:
        return Positions(program)
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    by_text = {canonical(f): f for f in facts if isinstance(f, str)}
    letters = {}
    for option in options:
        match = re.match(r"\s*\(?([A-Z])\)", str(option))
        if match:
            letters[match.group(1)] = strip_label(str(option))
    edits: list[tuple[ast.AST, str]] = []   # (node to replace, new source)
    notes: list[str] = []

    def order(node: ast.AST, sentence: str, label: str) -> None:
        if not (isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], (ast.Lt, ast.Gt))
                and isinstance(node.left, ast.Name) and isinstance(node.comparators[0], ast.Name)):
            return
        stated = order_in(sentence)
        if stated is None:
            return
        before, op, after = stated
        left, right = node.left.id, node.comparators[0].id
        if _subject_is(left, before, names) and _subject_is(right, after, names) and not _names_it(left, after):
            want = op
        elif _subject_is(right, before, names) and _subject_is(left, after, names) and not _names_it(right, after):
            want = ">" if op == "<" else "<"
        else:
            return
        if want == ("<" if isinstance(node.ops[0], ast.Lt) else ">"):
            return
        new = f"{left} {want} {right}"
        edits.append((node, new))
        notes.append(f"{label}: {ast.get_source_segment(program, node) or ''} -> {new}")

    def place(node: ast.AST, sentence: str, label: str) -> None:
        got = _one_object(node)
        if got is None:
            order(node, sentence, label)
            return
        placed = _placed(sentence, count)
        if placed is None or not _subject_is(got[0], placed[1], names):
            return
        position = placed[0]
        new = f"{got[0]} == {position}"
        old = ast.get_source_segment(program, node) or ""
        if isinstance(node.ops[0], ast.Eq) and got[1] == position:
            return
        edits.append((node, new))
        notes.append(f"{label}: {old} -> {new}")

    comment_of_line = {}
    for number, line in enumerate(lines, start=1):
        match = NUMBERED_COMMENT.match(line)
        if match:
            comment_of_line[number] = (int(match.group(1)), match.group(2))
        elif line.lstrip().startswith("#"):
            comment_of_line[number] = None  # an unnumbered comment ends the fact above it
    current = None
    last_line = 0
    for statement in tree.body:
        for number in range(last_line + 1, statement.lineno):
            if number in comment_of_line:
                current = comment_of_line[number]
        last_line = statement.end_lineno or statement.lineno
        value = statement.value if isinstance(statement, (ast.Expr, ast.Assign)) else None
        if (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name) and statement.targets[0].id == "options"
                and isinstance(value, ast.Dict)):
            for key, entry in zip(value.keys, value.values):
                if isinstance(key, ast.Constant) and key.value in letters:
                    place(entry, letters[key.value], f"option {key.value}")
            continue
        if (current and isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)
                and value.func.attr == "add" and len(value.args) == 1 and not value.keywords):
            fact = by_text.get(canonical(current[1]))
            if fact is not None:
                place(value.args[0], fact, f"fact {current[0]}")
    if not edits:
        return Positions(program)
    new_program = _splice(lines, edits)
    with PARSE_LOCK:
        ast.parse(new_program)  # a result that would not parse is not returned (the except keeps the program)
    return Positions(new_program, tuple(notes))


def _splice(lines: list[str], edits: list[tuple[ast.AST, str]]) -> str:
    """Replace each node's source (one line each; ast columns are UTF-8 byte offsets) with its new text."""
    encoded = [line.encode("utf-8") for line in lines]
    for node, new in sorted(edits, key=lambda e: (e[0].lineno, e[0].col_offset), reverse=True):
        if node.lineno != node.end_lineno:
            raise ValueError("a comparison over several lines is left as written")
        row = encoded[node.lineno - 1]
        encoded[node.lineno - 1] = row[:node.col_offset] + new.encode("utf-8") + row[node.end_col_offset:]
    return b"".join(encoded).decode("utf-8")
