"""The one answer reader: numbers and option letters out of model text, for the engine and the harness alike.

Reading never raises: every function returns the answer's canonical text, or None. Two frozen readers,
named as lm-evaluation-harness names its GSM8K filters:
- `STRICT` ("strict-match"): only an answer the text declares. Numbers: the first "The answer is N"
  (lm-eval's gsm8k-cot regex), else the first "#### N". Options: the first "The answer is X" naming an
  option letter.
- `FLEXIBLE` ("flexible-extract"): numbers: the last "The answer is N", else the last `\\boxed{N}` (Qwen
  models box answers), else the last number (lm-eval's flexible regex). Options: the last "the answer is
  ..." naming a letter or an option's text ("True"), else the last "(X)" / "X)" mark.
The engine's plain-reasoning fallback answers with FLEXIBLE, and the harness scores every text with both,
so no system can gain from answer parsing: the scored prediction of a fallback is the engine's answer.

Canonical numbers: "$1,250.00" -> "1250", "-3.50" -> "-3.5", "6/3" -> "2", "7/2" stays "7/2" (exact, as
SymPy writes a rational), "25%" -> "25". Option letters come from labels "A) ...", "(B) ...", "C. ..." (or
the position when an option has none). Without options, a logic answer is a verdict: True, False, Unknown.
Deliberately left out: symbolic equivalence ("0.5" against "\\frac{1}{2}"): that is Math-Verify's work, run
in the solvers' worker process (`solvers.math_verify`), never here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal, Sequence

_NUM = r"-?[$]?\s?(?:\d[\d,]*(?:\.\d+)?|\.\d+)"
_ANSWER_IS = re.compile(r"[Tt]he (?:final )?answer is:?\s*\$?\s*(" + _NUM + r")")
_HASH = re.compile(r"####\s*\$?\s*(" + _NUM + r")")
_BOXED = re.compile(r"\\boxed\s*\{\s*(?:\\text\{)?\s*\$?\\?\$?\s*(" + _NUM + r")")
_ANY_NUMBER = re.compile(r"(-?[$0-9.,]{2,})|(-?[0-9]+)")  # lm-eval's flexible-extract regex, last match
_LETTER_DECLARED = re.compile(r"[Tt]he (?:final |correct )?answer is:?\s*(?:option\s*)?\(?([A-Z])\)?(?![A-Za-z])")
_ANSWER_IS_TEXT = re.compile(r"[Tt]he (?:final |correct )?answer is:?\s*\**\s*(\(?[A-Za-z][^.\n*]*)")
_SAID_LETTER = re.compile(r"(?:option\s*)?\(?([A-Z])\)?(?:\s.*)?", re.S)
_LETTER_MARK = re.compile(r"\(([A-Z])\)|(?<![A-Za-z])([A-Z])\)")
_OPTION_LABEL = re.compile(r"^\s*\(?([A-Za-z])[).:]\s*(.*)$", re.DOTALL)
VERDICTS = ("True", "False", "Unknown")


@dataclass(frozen=True)
class Reader:
    """How to read an answer: which declarations count, which of them wins, and what else is accepted."""

    name: str
    number_patterns: tuple[re.Pattern, ...]  # tried in order; the first that yields a number wins
    choice_pattern: re.Pattern               # "the answer is ..." for options
    pick: Literal["first", "last"]           # which match of a pattern counts
    any_number: bool = False                 # else the last number in the text
    option_texts: bool = False               # "The answer is True" names the option reading True
    option_marks: bool = False               # else the last "(X)" / "X)" mark


STRICT = Reader("strict-match", (_ANSWER_IS, _HASH), _LETTER_DECLARED, "first")
FLEXIBLE = Reader("flexible-extract", (_ANSWER_IS, _BOXED), _ANSWER_IS_TEXT, "last", any_number=True,
                  option_texts=True, option_marks=True)
READERS = (STRICT, FLEXIBLE)


# ------------------------------------------------------------------------------------------- numbers

def normalize_number(text: object) -> str | None:
    """The canonical text of one number ("$1,450.00" -> "1450", "7/2" kept, "25%" -> "25"), or None."""
    if text is None:
        return None
    s = str(text).strip().replace("$", "").replace(",", "").replace(" ", "").rstrip(".")
    s = s[:-1] if s.endswith("%") else s
    if not s or len(s) > 100:
        return None
    try:
        if "/" in s:
            num, den = s.split("/", 1)
            value = Fraction(Fraction(num), Fraction(den))
            return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
        value = Fraction(s)
    except (ValueError, ZeroDivisionError):
        return None
    if value.denominator == 1:
        return str(value.numerator)
    as_float = float(value)
    return repr(as_float) if abs(as_float) != float("inf") else None


def to_float(text: object) -> float | None:
    """The value of a number's text ("7/2" -> 3.5), or None."""
    norm = normalize_number(text)
    if norm is None:
        return None
    num, _, den = norm.partition("/")
    return float(Fraction(int(num), int(den))) if den else float(norm)


def numbers_agree(a: object, b: object, tolerance: float = 1e-6) -> bool:
    """Do two numbers' texts agree within `tolerance` (absolute, scaled up by |b| above 1)? The one rule for
    "the same number": the harness scores with it (`evals.grading.numbers_match`), the vote groups by it."""
    x, y = to_float(a), to_float(b)
    if x is None or y is None:
        return False
    return abs(x - y) <= tolerance * max(1.0, abs(y))


def read_number(text: str | None, reader: Reader = FLEXIBLE) -> str | None:
    """The answer number of a reasoning text, read by `reader`, or None."""
    if not text or not isinstance(text, str):
        return None
    for pattern in reader.number_patterns:
        found = [n for n in (normalize_number(m) for m in _ordered(pattern.findall(text), reader)) if n is not None]
        if found:
            return found[0]
    if reader.any_number:
        for groups in reversed(_ANY_NUMBER.findall(text)):
            value = normalize_number(groups[0] or groups[1])
            if value is not None:
                return value
    return None


def _ordered(matches: list, reader: Reader) -> list:
    return matches if reader.pick == "first" else matches[::-1]


# ------------------------------------------------------------------------------------------- options

def option_label(option: str) -> str | None:
    """The letter an option is labelled with ("A) ...", "(b) ...", "C. ..."), upper case, or None."""
    m = _OPTION_LABEL.match(option) if isinstance(option, str) else None
    return m.group(1).upper() if m else None


def option_letters(options: Sequence[str] | None) -> list[str]:
    """The letters of the options: their labels, or A, B, ... by position where an option has none."""
    return [option_label(o) or chr(ord("A") + i) for i, o in enumerate(options or ())]


def strip_label(option: str) -> str:
    """An option without its label: "A) The owl is first." -> "The owl is first."."""
    m = _OPTION_LABEL.match(option)
    return (m.group(2) if m else option).strip()


def option_text(option: str) -> str:
    """An option without its label and final full stop: "A) The owl is first." -> "The owl is first"."""
    return strip_label(option).rstrip(".")


def letter_for_verdict(verdict: str, options: Sequence[str] | None) -> str | None:
    """The letter of the option that reads `verdict` ('True', 'False', 'Unknown'), if there is one."""
    for letter, option in zip(option_letters(options), options or ()):
        if option_text(option).lower() == verdict.lower():
            return letter
    return None


def read_choice(text: str | None, options: Sequence[str] | None = None, reader: Reader = FLEXIBLE) -> str | None:
    """The option a reasoning text picks, as its letter; without options, the verdict it declares
    (True / False / Unknown). None when nothing names an option."""
    if not text or not isinstance(text, str):
        return None
    labels = option_letters(options) if options else []
    texts = ({letter: option_text(o).lower() for letter, o in zip(labels, options)} if options
             else {v: v.lower() for v in VERDICTS})
    for match in _ordered(list(reader.choice_pattern.finditer(text)), reader):
        said = match.group(1).strip().rstrip(".").strip()
        mark = _SAID_LETTER.fullmatch(said)
        if mark and mark.group(1) in labels:
            return mark.group(1)
        if reader.option_texts:
            lowered = said.lower()
            hits = [label for label, t in texts.items() if t and (lowered == t or lowered.startswith(t + " "))]
            if len(hits) == 1:
                return hits[0]
    if reader.option_marks and labels:
        marks = [m for a, b in _LETTER_MARK.findall(text) if (m := a or b) in labels]
        if marks:
            return marks[-1]
    return None


def read_answer(text: str | None, options: Sequence[str] | None, *, choice: bool,
                reader: Reader = FLEXIBLE) -> str | None:
    """`read_choice` for a question with options or a verdict (choice=True), else `read_number`."""
    return read_choice(text, options, reader) if choice else read_number(text, reader)
