"""What amount a math question asks for, and which numbers could be that amount.

`amount_kind(question)` reads the sentence that asks (the last one with a "?", else the last one):
- "percent": what percent(age) ...;
- "count": people or things ("how many apples", "the total number of units");
- "money": dollars, a cost, a price, pay, earnings, profit, change ...;
- "measure": time, distance, speed, weight, age ... ("how many hours", "how long", "how old");
- "other": anything else ("what is the largest number").
`amount_problem(number, question)` says what is wrong with `number` as that amount, or None:
- counts are whole, unless the question speaks of an average (or a mean, an estimate);
- money is whole dollars, unless the question allows parts of a dollar (a decimal, a fraction, a percent,
  an average, a rate, a split); then whole cents. An amount asked in cents is whole;
- a non-whole measure (or count of an average) must be a plain fraction: a terminating decimal of at most
  three places, or a denominator of 12 or less that the question itself names ("a third", "7 days");
  so 120/17 hours and 30/7 pounds are refused, 1.5 hours and 2/3 of a cup are not;
- a percent between 0 and 1 is a fraction that was never multiplied by 100, unless the question has
  decimals of its own;
- nothing is negative where the question asks how many, how much, how long, far, old, fast or tall
  (temperatures aside).
All of it is a pure function of the text and the number; it reads GSM8K-style English and errs towards
accepting. Deliberately left out: units (the answer is a bare number), and any check that would need the
solution itself.
"""
from __future__ import annotations

import re
from fractions import Fraction
from typing import Literal

from hybrid.quantities import question_numbers

AmountKind = Literal["percent", "count", "money", "measure", "other"]

UNITS = (
    "hours|hour|minutes|minute|seconds|second|days|day|weeks|week|months|month|years|year|miles|mile|"
    "kilometers|km|meters|metres|meter|feet|foot|inches|inch|yards|pounds|pound|ounces|ounce|kg|kilograms|grams|"
    "liters|litres|gallons|gallon|cups|cup|quarts|pints|percent|dollars|dollar|cents|cent|euros|times|degrees|"
    "mph|square|cubic|ml|milliliters|tons|tablespoons|teaspoons|centimeters|cm|laps|steps"
)
_COUNT = re.compile(r"\bhow many\b(?!\s+(?:more\s+|fewer\s+|less\s+)?(?:" + UNITS + r")\b)"
                    r"|\bnumber of\b(?!\s+(?:" + UNITS + r")\b)", re.I)
_PERCENT = re.compile(r"\bpercent(?:age)?\b|%", re.I)
_CENTS = re.compile(r"\bcents?\b", re.I)
_MONEY = re.compile(r"\$|\b(?:dollars?|money|costs?|price|pays?|paid|earn\w*|profit|salary|budget|revenue|"
                    r"income|savings|owe[ds]?|tip|fee|bill)\b", re.I)
_SPENDING = re.compile(r"\b(?:spen[dt]s?|saves?|saved|change|charge[ds]?|worth|make|makes|made)\b", re.I)
_MEASURE = re.compile(r"\bhow (?:long|far|fast|old|tall|heavy|high|deep|wide)\b|\bhow many (?:more\s+|fewer\s+|"
                      r"less\s+)?(?:" + UNITS + r")\b|\b(?:age|distance|speed|weight|height|length|area|volume|"
                      r"time)\b", re.I)
_NONNEGATIVE = re.compile(r"\bhow (?:much|many|long|far|old|fast|tall)\b", re.I)
_SIGNED = re.compile(r"\bdegree|\btemperature|\bbelow zero\b", re.I)
_AVERAGE = re.compile(r"\baverage|\bmean\b|\bestimat|\bexpected\b", re.I)
_DECIMAL = re.compile(r"\d\.\d|(?<![\d.])\.\d")
_FRACTION = re.compile(r"\d+\s*/\s*\d+|\bhal(?:f|ves)\b|\bthirds?\b|\bquarters?\b|\bfourths?\b|\bfifths?\b|"
                       r"\bsixths?\b|\bsevenths?\b|\beighths?\b|\bninths?\b|\btenths?\b|\btwelfths?\b", re.I)
_RATE = re.compile(r"\bper\b|\brate\b|\bspeed\b|\bmph\b|\ban? (?:hour|minute|day|week|month|year|mile|pound|"
                   r"ounce|gallon|page|piece)\b|\beach (?:hour|minute|day|week|month)\b", re.I)
_SPLIT = re.compile(r"\bsplit|\bshare|\bevenly\b|\bequally\b|\bdivide", re.I)
_FRACTION_WORDS = {3: "third", 4: "quarter|fourth", 5: "fifth", 6: "sixth", 7: "seventh", 8: "eighth",
                   9: "ninth", 10: "tenth", 12: "twelfth|dozen"}


def asked_sentence(question: str) -> str:
    """The sentence that asks: from the last sentence end before the last "?" up to it; else the last one."""
    text = question.strip()
    end = text.rfind("?")
    if end < 0:
        parts = re.split(r"(?<=[.!])\s+", text)
        return parts[-1] if parts else text
    head = text[:end]
    starts = [m.end() for m in re.finditer(r"[.!?]\s+", head)]
    return text[(starts[-1] if starts else 0):end + 1]


def amount_kind(question: str) -> AmountKind:
    """What the asking sentence asks for (see the module docstring)."""
    asked = asked_sentence(question)
    if _PERCENT.search(asked):
        return "percent"
    if _COUNT.search(asked):
        return "count"
    if _MONEY.search(asked) or _CENTS.search(asked):
        return "money"
    if _MEASURE.search(asked):
        return "measure"
    if _SPENDING.search(asked):  # "how much did she spend / make": money, unless it asked how far or long
        return "money"
    return "other"


def allows_parts(question: str) -> bool:
    """Does the question speak of parts of a whole: decimals, fractions, percents, averages, rates, splits?"""
    return any(p.search(question) for p in (_DECIMAL, _FRACTION, _PERCENT, _AVERAGE, _RATE, _SPLIT))


def is_nonnegative_question(question: str) -> bool:
    """How many / much / long / far / old / fast / tall: an amount that cannot be below zero."""
    return not _SIGNED.search(question) and bool(_NONNEGATIVE.search(asked_sentence(question)))


def _fraction(number: float) -> Fraction | None:
    """The number as a fraction of denominator at most 10**6, or None when it is not one (an irrational)."""
    try:
        frac = Fraction(number).limit_denominator(10**6)
    except (OverflowError, ValueError):
        return None
    return frac if abs(float(frac) - number) <= 1e-9 * max(1.0, abs(number)) else None


def _named_denominator(denominator: int, question: str) -> bool:
    if denominator in {int(n) for n in question_numbers(question) if n == int(n)}:
        return True
    word = _FRACTION_WORDS.get(denominator)
    return bool(word and re.search(rf"\b(?:{word})s?\b", question, re.I))


def is_plain(number: float, question: str) -> bool:
    """A terminating decimal of at most three places, or a small denominator the question names."""
    frac = _fraction(number)
    if frac is None:
        return False
    q = frac.denominator
    return 1000 % q == 0 or (q <= 12 and _named_denominator(q, question))


def _whole(number: float) -> bool:
    return abs(number - round(number)) <= 1e-9 * max(1.0, abs(number))


def amount_problem(number: float, question: str, value: str = "") -> str | None:
    """What is wrong with `number` as the amount `question` asks for, as one line; None when nothing is."""
    shown = value or f"{number:g}"
    if number < 0 and is_nonnegative_question(question):
        return f"the answer is {shown}, a negative number, but the question asks for an amount that cannot be negative"
    if _whole(number):
        return None
    kind = amount_kind(question)
    if kind == "count" and not _AVERAGE.search(question):
        return f"the answer is {shown}, not a whole number, but the question counts people or things"
    if kind == "money":
        if _CENTS.search(asked_sentence(question)):
            return f"the answer is {shown}, not a whole number of cents"
        if not allows_parts(question):
            return (f"the answer is {shown}, not a whole number of dollars, and nothing in the question splits a "
                    "dollar")
        if not _whole(number * 100):
            return f"the answer is {shown}, an amount of money that is not a whole number of cents"
        return None
    if kind == "percent" and 0 < abs(number) < 1 and not _DECIMAL.search(question):
        return f"the answer is {shown}, a fraction, but the question asks for a percentage: multiply by 100"
    if kind in ("count", "measure", "percent") and not is_plain(number, question):
        return (f"the answer is {shown}, a fraction no number in the question explains (a measure is whole, a "
                "short decimal, or a fraction the question names)")
    return None
