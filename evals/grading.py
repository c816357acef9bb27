"""Grading: a record's predictions against the gold, in three columns.

- strict-match and flexible-extract (the primary metric): the predictions the systems read with the one
  answer reader (`hybrid.answers.STRICT` / `FLEXIBLE`), compared numerically within the problem's
  tolerance (relative for |gold| > 1, else absolute), or letter for letter.
- math-verify: Hugging Face's Math-Verify given the gold and the text the answer came from (a reasoning
  text, or a program's value), run in the solvers' worker process (`solvers.math_verify`). It parses the
  text its own way, so a gain that comes from our parsing alone shows as a gap between the columns.
  Multiple-choice sets get no math-verify column (None): it verifies mathematical answers, not letters.
Records made before this column existed get it when a report is built (`math_verify_correct` needs only
the record).
"""
from __future__ import annotations

from typing import Any

from hybrid.answers import numbers_agree

COLUMNS = ("strict", "flexible", "math_verify")


def numbers_match(prediction: str | None, gold: str | None, tolerance: float = 1e-6) -> bool:
    """True when both read as numbers within tolerance (absolute, scaled up for |gold| > 1): the engine's
    own rule (`hybrid.answers.numbers_agree`), by which the vote groups sampled answers too."""
    return numbers_agree(prediction, gold, tolerance)


def answer_text(record: dict) -> str | None:
    """The text a record's answer came from: a plain-reasoning text (a prompted baseline's output, or the
    hybrid's fallback), else the predicted value (a program's answer; cot-sc's vote)."""
    output = record.get("output")
    from_text = record.get("route") is None or record.get("fallback_used")
    if from_text and isinstance(output, str):
        return output
    prediction = record.get("prediction_flexible")
    return None if prediction is None else str(prediction)


def math_verify_correct(record: dict) -> bool | None:
    """Math-Verify's verdict on a numeric record (None for letters, or when it could not decide)."""
    if record.get("kind") == "letter" or record.get("gold") is None:
        return None
    text = answer_text(record)
    if text is None:
        return False
    from solvers import math_verify  # lazy: the worker starts only when something is graded

    return math_verify(str(record["gold"]), text)


def score(record: dict[str, Any], tolerance: float = 1e-6) -> dict:
    """Add correct_strict / correct_flexible / correct_math_verify and correct (= flexible) to a record
    that carries its gold and kind ("number" | "letter")."""
    gold, kind = record["gold"], record["kind"]

    def ok(prediction: str | None) -> bool:
        if prediction is None:
            return False
        if kind == "letter":
            return prediction == gold
        return numbers_match(prediction, gold, tolerance)

    record["correct_strict"] = ok(record.get("prediction_strict"))
    record["correct_flexible"] = ok(record.get("prediction_flexible"))
    record["prediction"] = record.get("prediction_flexible")
    record["correct"] = record["correct_flexible"]
    record["correct_math_verify"] = math_verify_correct(record)
    return record
