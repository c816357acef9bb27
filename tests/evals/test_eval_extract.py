"""Extractors against a table of model outputs: (text, strict-match, flexible-extract).

Rows marked "qwen0.5b" are verbatim outputs of Qwen2.5-Coder-0.5B-Instruct on GSM8K prompts; the others
are the shapes lm-eval's conventions are defined by.
"""
from __future__ import annotations

import pytest

from evals.extract import (flexible_letter, flexible_number, normalize_letter, normalize_number, numbers_match,
                           strict_letter, strict_number)

NUMBER_TABLE = [
    # (model output, strict-match, flexible-extract)
    ("She sells 16 - 3 - 4 = 9 eggs.\nShe makes 9 * 2 = $18.\nThe answer is 18.", "18", "18"),
    ("The answer is $1,080.", "1080", "1080"),
    ("Natalia sold 48/2 = 24 clips in May.\n#### 72", "72", "72"),
    ("So the total is \\boxed{18}.", None, "18"),
    ("The final answer is \\boxed{3}", None, "3"),               # boxed, no "The answer is N"
    ("The answer is 5. Then again, 7 apples remain.", "5", "5"),  # a declared answer beats a later number
    ("I cannot tell.", None, None),
    ("They need 2.50 dollars each, 5 people: 12.50 in total", None, "12.5"),
    ("The temperature is -3 degrees. The answer is -3.", "-3", "-3"),
    ("```python\neggs = 16 - 3 - 4\nprint(eggs * 2)\n```", None, "2"),  # ToRA-style code without output
    ("The answer is 18.00", "18", "18"),
    ("The answer is 0.5 of the cake", "0.5", "0.5"),
    ("Total = 1,450,000 dollars", None, "1450000"),
]


@pytest.mark.parametrize("text,strict,flexible", NUMBER_TABLE)
def test_number_extraction_table(text, strict, flexible):
    assert strict_number(text) == strict
    assert flexible_number(text) == flexible


@pytest.mark.parametrize("raw,norm", [("$1,450,000", "1450000"), ("-3.50", "-3.5"), ("18.", "18"), ("7/2", "3.5"),
                                      ("6/3", "2"), ("abc", None), ("", None), (None, None), ("25%", "25"),
                                      ("1/0", None)])
def test_normalize_number(raw, norm):
    assert normalize_number(raw) == norm


@pytest.mark.parametrize("pred,gold,tol,ok", [("18", "18", 1e-6, True), ("18.0000001", "18", 1e-6, True),
                                              ("18.01", "18", 1e-6, False), ("18.01", "18", 1e-3, True),
                                              ("0.333333", "1/3", 1e-5, True), (None, "18", 1e-6, False),
                                              ("1200", "1,200", 1e-6, True), ("-3", "3", 1e-6, False)])
def test_numbers_match(pred, gold, tol, ok):
    assert numbers_match(pred, gold, tol) is ok


LD_OPTIONS = ["A) The green book is the second from the left.", "B) The blue book is the second from the left.",
              "C) The white book is the second from the left."]
TF_OPTIONS = ["A) True", "B) False"]

LETTER_TABLE = [
    ("The blue book is second. The answer is B.", LD_OPTIONS, "B", "B"),
    ("So option (C) holds.\nThe answer is (C).", LD_OPTIONS, "C", "C"),
    ("The answer is: A", LD_OPTIONS, "A", "A"),
    ("Max is not sour, so the statement is false. The answer is False.", TF_OPTIONS, None, "B"),
    ("The answer is True", TF_OPTIONS, None, "A"),
    ("Therefore (B) is correct.", LD_OPTIONS, None, "B"),
    ("The answer is D.", LD_OPTIONS, None, None),      # not an option letter
    ("I think the green book is first.", LD_OPTIONS, None, None),
    ("The answer is A at first, but wait. The answer is C.", LD_OPTIONS, "A", "C"),  # strict: first, flexible: last
]


@pytest.mark.parametrize("text,options,strict,flexible", LETTER_TABLE)
def test_letter_extraction_table(text, options, strict, flexible):
    assert strict_letter(text, options) == strict
    assert flexible_letter(text, options) == flexible


@pytest.mark.parametrize("value,letter", [("C", "C"), ("(B)", "B"), ("B) The blue book", "B"), ("True", "A"),
                                          ("False", "B"), ("Unknown", None), (None, None)])
def test_normalize_letter(value, letter):
    options = TF_OPTIONS if value in ("True", "False", "Unknown") else LD_OPTIONS
    assert normalize_letter(value, options) == letter
