"""What kind of question this is: math or logic, and for logic which prompt family fits.

Pure functions of the question's text and options, asked once when a question enters the engine (they
are not routers: routers pick the next graph node from the state).
- `classify`: "logic" for questions with options, or whose words are those of orderings, knights and
  knaves, ownership puzzles or true/false statements; "math" otherwise.
- `logic_style`: "truth" when the options read True/False (or, without options, the question asks "true
  or false"); "order" for every other logic question.
- `logic_prompt_name`: a prompt template's `{style}` filled with `logic_style`.
"""
from __future__ import annotations

import re
from typing import Literal, Sequence

from hybrid.answers import option_text

Kind = Literal["math", "logic"]
LogicStyle = Literal["order", "truth"]

_LOGIC_WORDS = re.compile(
    r"\b(?:knights?|knaves?|true or false|which of the following|to the (?:left|right) of|"
    r"(?:second|third) from the (?:left|right)|leftmost|rightmost|who owns)\b",
    re.I,
)
_TRUTH_VALUES = {"true", "false", "unknown"}


def classify(question: str, context: str | None = None, options: Sequence[str] | None = None) -> Kind:
    """"logic" or "math", from the question's shape (see the module docstring)."""
    if options:
        return "logic"
    text = f"{context or ''}\n{question}"
    return "logic" if _LOGIC_WORDS.search(text) else "math"


def logic_style(question: str, options: Sequence[str] | None = None) -> LogicStyle:
    """"truth" for true/false statements, "order" for every other logic question."""
    if options:
        texts = {option_text(o).strip().lower() for o in options}
        return "truth" if texts and texts <= _TRUTH_VALUES else "order"
    return "truth" if re.search(r"\btrue or false\b", question, re.I) else "order"


def logic_prompt_name(template: str, question: str, options: Sequence[str] | None) -> str:
    """The prompt file for a logic question: `template` with {style} filled by `logic_style`."""
    return template.format(style=logic_style(question, options))
