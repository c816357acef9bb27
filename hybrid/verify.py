"""The verifier: is a solver's result an answer to this question?

`check()` is a pure function of the question, one solver result and the program behind it. It accepts a
result that is present and well-formed for the question, and that reads the question:
- the program is not a copy of an exemplar's program (`hybrid.copies`): copies are never accepted;
- a math program writes at least one of the numbers the question states (`hybrid.quantities`);
- a number where the question asks for one; the amount it asks for fits (`hybrid.amounts`): people,
  things and money are whole unless the question allows parts, measures are plain fractions, nothing is
  negative where it asks how many, much, long, far or old;
- a letter only where lettered options were given; for logic questions a single option letter, or a
  True/False verdict mapped to its option.
Otherwise it returns the message and the hint key (a section of the repair prompt) that the repair node
sends back to the model.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from typing import Iterable, Mapping

from hybrid import amounts
from hybrid.answers import letter_for_verdict, normalize_number, option_letters, to_float
from hybrid.copies import copied_from
from hybrid.quantities import question_numbers, uses_question_numbers
from hybrid.slips import split_names

_ASKS_NUMBER = re.compile(
    r"\bhow (?:many|much|long|far|old|fast|tall)\b|\bwhat (?:is|was|will be) the (?:total|number|sum|"
    r"cost|price|amount|average|difference|value)\b|\bcalculate\b|\bfind the\b|\bhow .* in total\b",
    re.I,
)
_LETTER = re.compile(r"[A-Ga-g]")
_UNDECLARED = re.compile(r"not defined|undeclared|unknown name|undefined name|is not allowed|NameError", re.I)


@dataclass(frozen=True)
class Check:
    """Verdict on one solver result: ok with an answer, or a message and a repair hint key."""

    ok: bool
    answer: str | None = None
    message: str = ""
    hint: str = "none"


def _with_split_names(check: "Check", program: str | None) -> "Check":
    pairs = split_names(program)
    if check.ok or not pairs:
        return check
    listed = ", ".join(f"'{a}' and '{b}'" for a, b in pairs[:4])
    message = (f"{check.message}; the names {listed} are different constants to Z3, so the facts that use "
               "them are not connected: use one singular name for each category")
    return Check(False, message=message, hint="names")


def is_count_question(question: str) -> bool:
    return amounts.amount_kind(question) == "count"


def is_nonnegative_question(question: str) -> bool:
    return amounts.is_nonnegative_question(question)


def asks_number(question: str) -> bool:
    return bool(_ASKS_NUMBER.search(question))


def check(kind: str, question: str, options: list[str] | None, result: dict | None,
          solver: str | None = None, program: str | None = None, exemplars: Iterable[Mapping] = ()) -> Check:
    """Accept or reject one SolverResult (as a dict) for a question of `kind` ("math" | "logic").

    `solver` names the node that ran the program (the result says "none" for programs refused before
    running). `program` is the model's source: a copy of one of `exemplars` (mappings with id, program,
    question: what the prompt showed) is refused, a math program must write one of the question's
    numbers, and for logic questions a rejection names the constants that differ only by a plural ending
    (`split_names`), the commonest reason nothing follows."""
    verdict = _check(kind, question, options, result, solver)
    if verdict.ok:
        return _reads_the_question(verdict, kind, question, program, exemplars)
    if kind == "logic" and verdict.hint in ("unknown", "ambiguous"):
        return _with_split_names(verdict, program)
    return verdict


def _reads_the_question(verdict: Check, kind: str, question: str, program: str | None,
                        exemplars: Iterable[Mapping]) -> Check:
    """An accepted answer, unless its program copies an exemplar or ignores the question's numbers."""
    copied = copied_from(program, question, exemplars) if program else None
    if copied:
        return Check(False, message=f"this program is a copy of the worked example {copied}, not a solution of "
                                    "this question", hint="copy")
    if kind == "math" and uses_question_numbers(program, question) is False:
        stated = ", ".join(f"{n:g}" for n in sorted(question_numbers(question))[:8])
        return Check(False, message=f"the program uses none of the numbers the question states ({stated})",
                     hint="numbers")
    return verdict


def _check(kind: str, question: str, options: list[str] | None, result: dict | None,
           solver: str | None) -> Check:
    if not result:
        return Check(False, message="no program was run", hint="none")
    status = result.get("status")
    message = (result.get("message") or "").strip()
    if status != "ok":
        if kind == "logic" and message.startswith("no answer"):
            return Check(False, message="the program defines neither `options` nor `claim`, so Z3 has "
                                        "nothing to decide", hint="nooptions")
        return _failure(status, message, solver or result.get("solver"))
    value = result.get("value")
    if value is None or str(value).strip() == "":
        return Check(False, message="the program ran but produced no answer: assign the result to `answer`",
                     hint="answer")
    value = str(value).strip()
    if kind == "logic":
        return _check_logic(value, options, result)
    return _check_math(value, question, result)


def _failure(status: str | None, message: str, solver: str | None) -> Check:
    if status == "unsat":
        return Check(False, message=message or "the constraints are unsatisfiable", hint="unsat")
    if status == "ambiguous":
        return Check(False, message=message or "more than one option (or none) follows", hint="ambiguous")
    if status == "timeout":
        return Check(False, message=message or "the program timed out", hint="timeout")
    if solver == "z3" and _UNDECLARED.search(message):
        return Check(False, message=message, hint="undeclared")
    return Check(False, message=message or f"the solver failed ({status})", hint="error")


def _no_options_letter(value: str) -> Check:
    return Check(False, message=f"the answer is the letter {value!r}, but the question gives no lettered options: "
                                "answer what it asks", hint="letter")


def _check_logic(value: str, options: list[str] | None, result: dict) -> Check:
    letters = option_letters(options)
    if value in ("True", "False", "Unknown"):
        if not options:
            return Check(True, answer=value)
        letter = letter_for_verdict(value, options)
        if letter:
            return Check(True, answer=letter)
        if value == "Unknown":
            return Check(False, message="neither the claim nor its negation follows from the constraints",
                         hint="unknown")
        return Check(False, message=f"the claim is {value}, but no option reads {value}; define `options` "
                                    f"for the letters {', '.join(letters)}", hint="nooptions")
    if options:
        if value.upper() in letters and len(value) == 1:
            return Check(True, answer=value.upper())
        return Check(False, message=f"the answer {value!r} is not one of the options {', '.join(letters)}; "
                                    "define `options` mapping each letter to its statement", hint="nooptions")
    if _LETTER.fullmatch(value):
        return _no_options_letter(value)
    number = result.get("number")
    return Check(True, answer=normalize_number(value) if number is not None else value)


def _check_math(value: str, question: str, result: dict) -> Check:
    number = result.get("number")
    if number is None:
        number = to_float(value)
    if number is None:
        if _LETTER.fullmatch(value):
            return _no_options_letter(value)
        if asks_number(question):
            return Check(False, message=f"the answer {value!r} is not a number, but the question asks for one",
                         hint="answer")
        return Check(True, answer=value)
    problem = amounts.amount_problem(number, question, value)
    if problem:
        negative = number < 0 and amounts.is_nonnegative_question(question)
        return Check(False, message=problem, hint="answer" if negative else "whole")
    return Check(True, answer=normalize_number(value) or value)

