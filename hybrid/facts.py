"""Sentences and facts of a question: the numbered facts a logic prompt shows, and what a question asks about.

- `fact_sentences(context)`: the facts of a context, the sentences of its last paragraph, in order;
- `numbered_facts(context)`: (preamble, "1. ...\\n2. ...") as the logic prompts show them, so a small model
  can translate the facts one by one;
- `claim_sentences(question, options)`: what a logic question asks about: its sentences that are not
  questions ("Max is sour." in "Is the following statement true or false? Max is sour.") and its option
  texts without their letters.
`hybrid.stated_facts` compares a formalization's numbered comments with these. Pure functions.
"""
from __future__ import annotations

import re
from typing import Sequence

from hybrid.answers import strip_label

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")


def _paragraphs(context: str | None) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", (context or "").strip()) if p.strip()]


def fact_sentences(context: str | None) -> list[str]:
    """The facts of a context: the sentences of its last paragraph, in order (numbered by `numbered_facts`)."""
    paragraphs = _paragraphs(context)
    if not paragraphs:
        return []
    return [s.strip() for s in _SENTENCE_END.split(" ".join(paragraphs[-1].split())) if s.strip()]


def numbered_facts(context: str | None) -> tuple[str, str]:
    """Split a context into (preamble, numbered facts): the facts are the sentences of its last paragraph,
    one per line as "1. ...", and the preamble is any paragraph before it (with a trailing newline)."""
    paragraphs = _paragraphs(context)
    if not paragraphs:
        return "", ""
    preamble = "\n\n".join(paragraphs[:-1])
    numbered = "\n".join(f"{i}. {s}" for i, s in enumerate(fact_sentences(context), 1))
    return (preamble + "\n" if preamble else ""), numbered


def claim_sentences(question: str, options: Sequence[str] | None = None) -> list[str]:
    """The question's sentences that are not questions, then the option texts without their letters."""
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", question or "") if s.strip()]
    claims = [s for s in sentences if not s.endswith("?")]
    return claims + [strip_label(str(o)) for o in options or ()]
