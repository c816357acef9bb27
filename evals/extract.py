"""Answer extraction from model text, and answer comparison. Pure functions; nothing here raises.

Two conventions are reported side by side, as lm-evaluation-harness does for GSM8K:

- strict-match: the answer the model *declared*: the first "The answer is N" (lm-eval's gsm8k-cot
  strict-match regex), else "#### N" (lm-eval's gsm8k strict-match). Nothing else counts.
- flexible-extract: lm-eval's flexible-extract (the last number in the text), made no weaker than the
  Engine's own fallback parser so that no system gains from parsing alone: the last "The answer is N"
  if there is one, else the last `\\boxed{N}` (Qwen models like to box answers), else the last number.

Letter answers (multiple-choice logic sets) follow the same split: strict is "The answer is X" (with or
without brackets); flexible also takes the last "(X)" / "X)" option mark, or an option's text quoted after
"the answer is" (PrOntoQA's "True"/"False").

Deliberately left out: symbolic equivalence of expressions (GSM8K golds are plain numbers; fractions like
"1/3" from a solver are turned into floats).
"""
from __future__ import annotations

import math
import re
from fractions import Fraction

_NUM = r"-?[$]?\s?(?:\d[\d,]*(?:\.\d+)?|\.\d+)"
_STRICT_COT = re.compile(r"[Tt]he (?:final )?answer is:?\s*\$?\s*(" + _NUM + r")")
_STRICT_HASH = re.compile(r"####\s*\$?\s*(" + _NUM + r")")
_BOXED = re.compile(r"\\boxed\s*\{\s*(?:\\text\{)?\s*\$?\\?\$?\s*(" + _NUM + r")")
# lm-eval's flexible-extract regex: (-?[$0-9.,]{2,})|(-?[0-9]+), last match.
_FLEX = re.compile(r"(-?[$0-9.,]{2,})|(-?[0-9]+)")

_LETTER_STRICT = re.compile(r"[Tt]he (?:final |correct )?answer is:?\s*(?:option\s*)?\(?([A-Z])\)?(?![A-Za-z])")
_LETTER_MARK = re.compile(r"\(([A-Z])\)|(?<![A-Za-z])([A-Z])\)")
_ANSWER_IS_TEXT = re.compile(r"[Tt]he (?:final |correct )?answer is:?\s*\**\s*(\(?[A-Za-z][^.\n*]*)")


def normalize_number(text: str | None) -> str | None:
    """Canonical text of a number ("$1,450.00" -> "1450", "-3.50" -> "-3.5", "1/3" -> "0.333..."), or None."""
    if text is None:
        return None
    s = str(text).strip().replace("$", "").replace(",", "").replace(" ", "").rstrip(".")
    if s.endswith("%"):
        s = s[:-1]
    if not s:
        return None
    try:
        if "/" in s:
            num, den = s.split("/", 1)
            value = Fraction(Fraction(num), Fraction(den))
        else:
            value = Fraction(s)
    except (ValueError, ZeroDivisionError):
        if s.lower() in {"true", "false"}:
            return s.capitalize()
        return None
    if value.denominator == 1:
        return str(value.numerator)
    as_float = float(value)
    return repr(as_float) if not math.isinf(as_float) else None


def to_float(text: str | None) -> float | None:
    """The float value of a number's text, or None."""
    norm = normalize_number(text)
    if norm is None:
        return None
    try:
        return float(norm)
    except ValueError:
        return None


def strict_number(text: str | None) -> str | None:
    """The declared answer: first "The answer is N", else first "#### N"; normalized, or None."""
    if not text:
        return None
    for pattern in (_STRICT_COT, _STRICT_HASH):
        match = pattern.search(text)
        if match:
            value = normalize_number(match.group(1))
            if value is not None:
                return value
    return None


def boxed_number(text: str | None) -> str | None:
    """The number in the last \\boxed{...}, normalized, or None."""
    if not text:
        return None
    found = [normalize_number(m) for m in _BOXED.findall(text)]
    found = [f for f in found if f is not None]
    return found[-1] if found else None


def last_number(text: str | None) -> str | None:
    """The last number in the text (lm-eval flexible-extract), normalized, or None."""
    if not text:
        return None
    for groups in reversed(_FLEX.findall(text)):
        candidate = groups[0] or groups[1]
        value = normalize_number(candidate)
        if value is not None:
            return value
    return None


def flexible_number(text: str | None) -> str | None:
    """The last "The answer is N", else the last \\boxed{N}, else the last number; normalized, or None."""
    if not text:
        return None
    declared = [normalize_number(m) for m in _STRICT_COT.findall(text)]
    declared = [d for d in declared if d is not None]
    return (declared[-1] if declared else None) or boxed_number(text) or last_number(text)


def numbers_match(prediction: str | None, gold: str | None, tolerance: float = 1e-6) -> bool:
    """True when both parse as numbers within tolerance (absolute, scaled up for |gold| > 1)."""
    p, g = to_float(prediction), to_float(gold)
    if p is None or g is None:
        return False
    return abs(p - g) <= tolerance * max(1.0, abs(g))


def _option_letters(options: list[str] | None) -> str:
    if not options:
        return "ABCDEFG"
    letters = []
    for i, option in enumerate(options):
        m = re.match(r"\s*\(?([A-Z])\)", option)
        letters.append(m.group(1) if m else chr(ord("A") + i))
    return "".join(letters)


def _option_texts(options: list[str] | None) -> dict[str, str]:
    texts = {}
    for letter, option in zip(_option_letters(options), options or []):
        texts[letter] = re.sub(r"^\s*\(?[A-Z]\)\s*", "", option).strip().rstrip(".").lower()
    return texts


def strict_letter(text: str | None, options: list[str] | None = None) -> str | None:
    """The declared option: first "The answer is X" / "The answer is (X)" among the option letters."""
    if not text:
        return None
    allowed = _option_letters(options)
    for match in _LETTER_STRICT.finditer(text):
        if match.group(1) in allowed:
            return match.group(1)
    return None


def flexible_letter(text: str | None, options: list[str] | None = None) -> str | None:
    """The last "the answer is X" (a letter, or an option's text such as "True"), else the last "(X)" or
    "X)" option mark; None when nothing names an option."""
    if not text:
        return None
    allowed = _option_letters(options)
    texts = _option_texts(options)
    for match in reversed(list(_ANSWER_IS_TEXT.finditer(text))):
        said = match.group(1).strip().rstrip(".").strip()
        mark = re.fullmatch(r"(?:option\s*)?\(?([A-Z])\)?(?:\s.*)?", said, flags=re.S)
        if mark and mark.group(1) in allowed:
            return mark.group(1)
        lowered = said.lower()
        hits = [letter for letter, option in texts.items()
                if option and (lowered == option or lowered.startswith(option + " "))]
        if len(hits) == 1:
            return hits[0]
    marks = [a or b for a, b in _LETTER_MARK.findall(text)]
    marks = [m for m in marks if m in allowed]
    return marks[-1] if marks else None


def normalize_letter(text: str | None, options: list[str] | None = None) -> str | None:
    """A solver's or engine's answer as an option letter: "C", "(C)", "C) ...", or an option's text."""
    if text is None:
        return None
    s = str(text).strip()
    allowed = _option_letters(options)
    m = re.fullmatch(r"\(?([A-Z])\)?(?:\s.*)?", s, flags=re.S)
    if m and m.group(1) in allowed:
        return m.group(1)
    texts = _option_texts(options)
    hits = [letter for letter, option in texts.items() if option and s.rstrip(".").lower() == option]
    return hits[0] if len(hits) == 1 else flexible_letter(s, options)
