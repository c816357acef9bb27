"""The one answer reader (hybrid.answers) against tables of model outputs: (text, strict-match, flexible-extract).

The engine's fallback and the eval harness read every text with these two readers, so one table covers both.

Rows marked "qwen0.5b" are verbatim outputs of Qwen2.5-Coder-0.5B-Instruct on GSM8K train prompts; the others
are the shapes lm-eval's conventions are defined by.
"""
from __future__ import annotations

import pytest

from hybrid.answers import (FLEXIBLE, STRICT, letter_for_verdict, normalize_number, option_label, option_letters,
                            read_answer, read_choice, read_number, to_float)

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
    assert read_number(text, STRICT) == strict
    assert read_number(text, FLEXIBLE) == flexible
    assert read_answer(text, None, choice=False) == flexible  # the engine's fallback reads with FLEXIBLE


@pytest.mark.parametrize("raw,norm,value", [
    ("$1,450,000", "1450000", 1450000.0), ("-3.50", "-3.5", -3.5), ("18.", "18", 18.0), ("1,000.0", "1000", 1000.0),
    ("7/2", "7/2", 3.5), ("14/4", "7/2", 3.5), ("6/3", "2", 2.0), ("25%", "25", 25.0), ("2.50", "2.5", 2.5),
    ("abc", None, None), ("", None, None), (None, None, None), ("1/0", None, None), ("3/x", None, None),
    ("x + 1", None, None), ("True", None, None), ("1" * 200, None, None),
])
def test_normalize_number_is_exact_and_never_raises(raw, norm, value):
    assert normalize_number(raw) == norm
    assert to_float(raw) == value


# Short shapes the engine's fallback met before the readers were one (the former hybrid/answers.py table).
@pytest.mark.parametrize("text,expected", [
    ("So 60 + 75 = 135 and 200 - 135 = 65.\nThe answer is 65.", "65"),
    ("The answer is $1,250.", "1250"),
    ("The answer is 2.50.", "2.5"),
    ("Thus \\boxed{42}", "42"),
    ("answer: 12", "12"),
    ("first 3 then 4 then 5", "5"),
    ("The answer is -7.", "-7"),
    ("no numbers here", None),
    ("", None),
    (None, None),
])
def test_flexible_reads_the_fallback_shapes(text, expected):
    assert read_number(text) == expected


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
    assert read_choice(text, options, STRICT) == strict
    assert read_choice(text, options, FLEXIBLE) == flexible
    assert read_answer(text, options, choice=True) == flexible


@pytest.mark.parametrize("text,expected", [
    ("The answer is False", "False"), ("The answer is True.", "True"), ("The answer is unknown.", "Unknown"),
    ("The answer is (B).", None),  # no options: a letter names nothing
    ("I cannot say.", None),
])
def test_without_options_a_choice_is_a_verdict(text, expected):
    assert read_choice(text, None) == expected
    assert read_choice(text, None, STRICT) is None  # strict-match takes only option letters


def test_option_labels_letters_and_verdicts():
    assert option_letters(["A) x", "(B) y", "no letter"]) == ["A", "B", "C"]
    assert option_letters(["a. x", "b: y"]) == ["A", "B"]
    assert [option_label(o) for o in ["A) x", "I think so", ""]] == ["A", None, None]
    assert letter_for_verdict("false", TF_OPTIONS) == "B" and letter_for_verdict("Unknown", TF_OPTIONS) is None
