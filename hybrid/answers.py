"""Reading answers out of text: numbers from plain reasoning, letters from option lists.

Used by the fallback node (plain step-by-step reasoning) and by verify (mapping a Z3 claim verdict to an
option letter). Pure functions; nothing here raises on odd input, they return None instead.
"""
from __future__ import annotations

import re

_NUMBER = r"-?\$?\s*\d[\d,]*(?:\.\d+)?(?:\s*/\s*\d+)?"
_FINAL_PATTERNS = (
    re.compile(r"answer is[:\s]*\**\s*(" + _NUMBER + r")", re.IGNORECASE),
    re.compile(r"\\boxed\{\s*(" + _NUMBER + r")\s*\}"),
    re.compile(r"answer[:=\s]+\**\s*(" + _NUMBER + r")", re.IGNORECASE),
)
_ANY_NUMBER = re.compile(_NUMBER)
_OPTION = re.compile(r"^\s*\(?([A-Za-z])[).:]\s*(.*)$", re.DOTALL)


def normalize_number(text: str) -> str | None:
    """'$1,250.00' -> '1250', '2.50' -> '2.5', '3/4' kept; None when text holds no number."""
    t = text.replace(",", "").replace("$", "").replace(" ", "").rstrip(".")
    if not t:
        return None
    if "/" in t:
        num, _, den = t.partition("/")
        try:
            n, d = float(num), float(den)
        except ValueError:
            return None
        if d == 0:
            return None
        value = n / d
        return _format(value) if value == int(value) else t
    try:
        value = float(t)
    except ValueError:
        return None
    return _format(value)


def _format(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value).rstrip("0").rstrip(".")


def extract_number(text: str) -> str | None:
    """The final number of a reasoning text: 'The answer is N', then \\boxed{N}, then 'answer: N',
    then the last number in the text."""
    if not text:
        return None
    for pattern in _FINAL_PATTERNS:
        matches = pattern.findall(text)
        if matches:
            return normalize_number(matches[-1])
    numbers = _ANY_NUMBER.findall(text)
    return normalize_number(numbers[-1]) if numbers else None


def option_letters(options: list[str] | None) -> list[str]:
    """The letters of options written like 'A) ...' (or '(A) ...'); positional A, B, ... otherwise."""
    letters = []
    for i, option in enumerate(options or []):
        m = _OPTION.match(option)
        letters.append(m.group(1).upper() if m else chr(ord("A") + i))
    return letters


def option_text(option: str) -> str:
    m = _OPTION.match(option)
    return (m.group(2) if m else option).strip().rstrip(".")


def letter_for_verdict(verdict: str, options: list[str] | None) -> str | None:
    """The letter of the option that reads `verdict` ('True', 'False', 'Unknown'), if there is one."""
    for letter, option in zip(option_letters(options), options or []):
        if option_text(option).lower() == verdict.lower():
            return letter
    return None


def extract_choice(text: str, options: list[str] | None) -> str | None:
    """The option a reasoning text picks: 'The answer is (B)', 'answer: B', 'The answer is True' (mapped
    to the option reading True), else None."""
    if not text:
        return None
    letters = option_letters(options)
    for m in reversed(list(re.finditer(r"answer is[:\s]*\**\s*\(?([A-Za-z]+)\)?", text, re.IGNORECASE))):
        word = m.group(1)
        if len(word) == 1 and word.upper() in letters:
            return word.upper()
        if options:
            letter = letter_for_verdict(word, options)
            if letter:
                return letter
        elif word.lower() in ("true", "false", "unknown"):
            return word.capitalize()
    m = re.findall(r"\(([A-Z])\)", text)
    if m and m[-1] in letters:
        return m[-1]
    return None
