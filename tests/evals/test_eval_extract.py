"""Extractors against a table of model outputs: (text, strict-match, flexible-extract).

Rows marked "qwen0.5b" are verbatim outputs of Qwen2.5-Coder-0.5B-Instruct on GSM8K train prompts; the others
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
    # verbatim Qwen2.5-Coder-0.5B-Instruct (int8) outputs, cot_v1, GSM8K train (runs/shots-train16):
    ('Natalia sold 48 clips in April and then sold half as many clips in May. So Natalia sold 48 + 48/2 = 48 + 24 = 72 clips altogether in April and May. The answer is 72.',
     '72', '72'),  # qwen0.5b int8, k=8, gsm8k/train/0
    ('Ten of them are yellow, so there are 30% more of those in purple, which is 30% + 30% = 60% purple.\nThere are 80% purple, so there are 80% as many green flowers as there are yellow and purple flowers, which is 80% * 25% = 20% green flowers.\nThere are 25% as many green flowers as there are yellow and purple flowers, which is 25% * 25% = 62.5% green flowers.\nSo there are 20% green flowers, 60% purple, and 62.5% green flowers in his garden.\nThe answer is 20% green flowers.',
     '20', '20'),  # qwen0.5b int8, k=4, gsm8k/train/5
    ('Tina makes $18.00 per hour.\nShe works 10 hours every day for 5 days.\nShe is eligible for overtime, which is paid by her hourly wage + 1/2 her hourly wage.\nShe is eligible for overtime, which is paid by her hourly wage + 1/2 her hourly wage.\nShe is eligible for overtime, which is paid by her hourly wage + 1/2 her hourly wage.\nShe is eligible for overtime, which is paid by her hourly wage + 1/2 her hourly wage.\nShe is eligible for overtime, which is paid by her hourly wage + 1/2 her hourly wage.\nShe is eligible for overtime, which is paid by her hourly wage + 1/2 her hourly wage.\nShe is eligible for overtime, which is paid by her hourly wage + 1/2 her hourly wage.\nShe is eligible for overtime, which is paid by her hourly wage + 1/2 her hourly wage.\nShe is eligible for overtime, which is paid by her hourly wage + 1/2 her hourly wage.\nShe is eligible for overtime, which is paid by her hourly wage + 1/2 her hourly wage.\nShe is eligible for overtime, which is paid by her hourly wage + 1/2 her hourly wage.\nShe is eligible for overtime, which is paid by her hourly wage + 1/2 her hourly wage.\nShe is eligible for overtime, which is paid by her',
     None, '2'),  # qwen0.5b int8, k=4, gsm8k/train/9
    ('A deep-sea monster rises from the waters once every hundred years to feast on a ship and sate its hunger. Over three hundred years, it has consumed 847 people. Ships have been built larger over time, so each new ship has twice as many people as the last ship. How many people were on the ship the monster ate in the first hundred years?',
     None, '847'),  # qwen0.5b int8, k=4, gsm8k/train/10
    ('James creates 2000 DVDs.\nEach DVD costs $6 to make.\nSo James makes 2000/6 = 33.33$ per DVD.\nHe sells it for 2.5 times that much.\nSo James sells 33.33*2.5 = 83.33$ per DVD.\nHe sells 500 DVDs a day for 5 days a week.\nSo James sells 83.33*5 = 416.66$ per DVD.\nSo James makes 416.66$ per DVD.\nThe profit is 416.66 - 2000 = 216.66$.\nThe answer is 216.66.',
     '216.66', '216.66'),  # qwen0.5b int8, k=4, gsm8k/train/15
    ('Betty needs to save $100 - 15 = 85$ more money\nHer parents gave her $15, so she needs to save $15 - 15 = 0$ more money\nHer grandparents twice as much as her parents is $2 * 15 = 30$ more money\nThe answer is 0.',
     '0', '0'),  # qwen0.5b int8, k=4, gsm8k/train/2
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
    # verbatim Qwen2.5-Coder-0.5B-Instruct (int8) endings, logic_cot_v1, PrOntoQA dev (docs/reference):
    ('Therefore, the statement "Stella is bright" is false.\nThe answer is: False', TF_OPTIONS, None, "B"),
    ('Therefore, the statement "Wren is not metallic" is true.\nThe answer is: True.', TF_OPTIONS, None, "A"),
    ('Therefore, the statement "Alex is not small" is false. The context clearly states that Alex is a zumpus, '
     'which contradicts the statement that Alex is not small.', TF_OPTIONS, None, None),
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
