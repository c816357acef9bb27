"""The numbers a question states and the numbers a program writes, and whether the one uses the other.

- `question_numbers(text)`: digits ("$80,000", "3.5", ".5", "20%" as 20 and 0.2, "3/4" as 3, 4 and 0.75),
  number words ("three", "a dozen", "twice", "half" as 2 and 0.5, "a third" as 3 and 1/3).
- `program_numbers(program)`: the numeric literals of a program (via `ast`), or None when it does not parse.
- `uses_question_numbers(program, question)`: does the program write at least one number the question
  states? None when that cannot be told (no numbers in the question, or a program that does not parse).
Nothing here raises on odd text. Deliberately left out: numbers a program computes (only literals count).
"""
from __future__ import annotations

import ast
import re
from functools import lru_cache

_DIGITS = re.compile(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?|\.\d+)(\s*%|\s*percent\b)?", re.I)
_RATIO = re.compile(r"(?<![\w.])(\d+)\s*/\s*(\d+)(?![\w.])")
_WORDS = {
    "one": (1,), "two": (2,), "three": (3,), "four": (4,), "five": (5,), "six": (6,), "seven": (7,),
    "eight": (8,), "nine": (9,), "ten": (10,), "eleven": (11,), "twelve": (12,), "thirteen": (13,),
    "fourteen": (14,), "fifteen": (15,), "sixteen": (16,), "seventeen": (17,), "eighteen": (18,),
    "nineteen": (19,), "twenty": (20,), "thirty": (30,), "forty": (40,), "fifty": (50,), "sixty": (60,),
    "seventy": (70,), "eighty": (80,), "ninety": (90,), "hundred": (100,), "thousand": (1000,),
    "million": (1_000_000,), "dozen": (12,), "dozens": (12,), "twice": (2,), "double": (2,), "doubles": (2,),
    "triple": (3,), "thrice": (3,), "half": (2, 0.5), "halves": (2, 0.5), "third": (3, 1 / 3),
    "thirds": (3, 1 / 3), "quarter": (4, 0.25), "quarters": (4, 0.25), "fourth": (4, 0.25), "fourths": (4, 0.25),
    "fifth": (5, 0.2), "fifths": (5, 0.2), "sixth": (6, 1 / 6), "tenth": (10, 0.1), "tenths": (10, 0.1),
}


def question_numbers(text: str) -> frozenset[float]:
    """Every number the text states, in the forms a program may write it (see the module docstring)."""
    if not isinstance(text, str):
        return frozenset()
    return _question_numbers(text)


@lru_cache(maxsize=4096)
def _question_numbers(text: str) -> frozenset[float]:
    found: set[float] = set()
    for digits, percent in _DIGITS.findall(text):
        try:
            value = float(digits.replace(",", ""))
        except ValueError:
            continue
        found.add(value)
        if percent:
            found.add(value / 100)
    for top, bottom in _RATIO.findall(text):
        if int(bottom):
            found.add(int(top) / int(bottom))
    for word in re.findall(r"[a-z]+", text.lower()):
        found.update(float(v) for v in _WORDS.get(word, ()))
    return frozenset(found)


def program_numbers(program: str | None) -> frozenset[float] | None:
    """The numeric literals of a program (booleans excluded), or None when it does not parse."""
    if not isinstance(program, str):
        return None
    return _program_numbers(program)


@lru_cache(maxsize=4096)
def _program_numbers(program: str) -> frozenset[float] | None:
    try:
        tree = ast.parse(program)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    return frozenset(float(node.value) for node in ast.walk(tree)
                     if isinstance(node, ast.Constant) and isinstance(node.value, (int, float))
                     and not isinstance(node.value, bool))


def same_number(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(b))


def shares_a_number(written: frozenset[float], stated: frozenset[float]) -> bool:
    """Is one of the written numbers a stated one (a percent may be written as itself or over 100)?"""
    return any(same_number(w, s) or same_number(w * 100, s) for w in written for s in stated)


def uses_question_numbers(program: str | None, question: str) -> bool | None:
    """True / False: the program writes / never writes a number the question states; None: cannot tell."""
    stated = question_numbers(question)
    written = program_numbers(program)
    if not stated or written is None:
        return None
    return shares_a_number(written, stated)
