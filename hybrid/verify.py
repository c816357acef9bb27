"""The verifier: is a solver's result an answer to this question?

`check()` is a pure function of the question and one solver result. It accepts a result that is
present and well-formed for the question (a number where the question asks for one; a single option
letter, or a True/False verdict mapped to its option, for logic questions; a non-negative whole number
where the question counts things; not negative where it asks
how many or how much, temperatures aside) and otherwise returns the message and the hint key (a section of
repair_v2.txt) that the repair node sends back to the model.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from hybrid.answers import letter_for_verdict, normalize_number, option_letters, to_float

# "how many <unit>" asks for a measure that may be fractional; other "how many" questions count things.
_UNITS = (
    "hours|hour|minutes|minute|seconds|days|weeks|months|years|miles|kilometers|km|meters|metres|feet|"
    "foot|inches|yards|pounds|ounces|kg|kilograms|grams|liters|litres|gallons|cups|quarts|pints|percent|"
    "dollars|cents|euros|times|degrees|mph|square|cubic|ml|milliliters|tons|tablespoons|teaspoons"
)
_COUNT_QUESTION = re.compile(r"\bhow many\b(?!\s+(?:more\s+|fewer\s+|less\s+)?(?:" + _UNITS + r")\b)", re.I)
_ASKS_NUMBER = re.compile(
    r"\bhow (?:many|much|long|far|old|fast|tall)\b|\bwhat (?:is|was|will be) the (?:total|number|sum|"
    r"cost|price|amount|average|difference|value)\b|\bcalculate\b|\bfind the\b|\bhow .* in total\b",
    re.I,
)
# "How many/much" asks for an amount that cannot be negative although it may be fractional ("how many
# dollars of change", "how much more money"); temperatures are the exception (GSM8K's negative golds are
# all temperatures or plain integers, none asked with "how many/much").
_NONNEGATIVE_QUESTION = re.compile(r"\bhow (?:much|many)\b", re.I)
_SIGNED_QUANTITY = re.compile(r"\bdegree|\btemperature|\bbelow zero\b", re.I)
_DECLARED_NAME = re.compile(r"\b(?:Bool|Int|Real|Bools|Ints|Reals)\(\s*['\"]([^'\"]+)['\"]")
_UNDECLARED = re.compile(r"not defined|undeclared|unknown name|undefined name|is not allowed|NameError", re.I)


@dataclass(frozen=True)
class Check:
    """Verdict on one solver result: ok with an answer, or a message and a repair hint key."""

    ok: bool
    answer: str | None = None
    message: str = ""
    hint: str = "none"


def split_names(program: str | None) -> list[tuple[str, str]]:
    """Pairs of z3 names in `program` that differ only by a plural ending ("tirpus" / "tirpuses"): to Z3
    they are two unrelated constants, so facts stated with one never reach the other."""
    if not program:
        return []
    names = sorted({n for group in _DECLARED_NAME.findall(program) for n in group.split()})
    known = set(names)
    pairs = []
    for name in names:
        for plural in (name + "s", name + "es"):
            if plural in known:
                pairs.append((name, plural))
    return pairs


def _with_split_names(check: "Check", program: str | None) -> "Check":
    pairs = split_names(program)
    if check.ok or not pairs:
        return check
    listed = ", ".join(f"'{a}' and '{b}'" for a, b in pairs[:4])
    message = (f"{check.message}; the names {listed} are different constants to Z3, so the facts that use "
               "them are not connected: use one singular name for each category")
    return Check(False, message=message, hint="names")


def is_count_question(question: str) -> bool:
    return bool(_COUNT_QUESTION.search(question))


def is_nonnegative_question(question: str) -> bool:
    if _SIGNED_QUANTITY.search(question):
        return False
    return is_count_question(question) or bool(_NONNEGATIVE_QUESTION.search(question))


def asks_number(question: str) -> bool:
    return bool(_ASKS_NUMBER.search(question))


def check(kind: str, question: str, options: list[str] | None, result: dict | None,
          solver: str | None = None, program: str | None = None) -> Check:
    """Accept or reject one SolverResult (as a dict) for a question of `kind` ("math" | "logic").

    `solver` names the node that ran the program (the result says "none" for programs refused before
    running). For logic questions, `program` (the model's source) lets a rejection name the constants
    that differ only by a plural ending (`split_names`), the commonest reason nothing follows."""
    verdict = _check(kind, question, options, result, solver)
    if kind == "logic" and verdict.hint in ("unknown", "ambiguous"):
        return _with_split_names(verdict, program)
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
    number = result.get("number")
    return Check(True, answer=normalize_number(value) if number is not None else value)


def _check_math(value: str, question: str, result: dict) -> Check:
    number = result.get("number")
    if number is None:
        number = to_float(value)
    if number is None:
        if asks_number(question):
            return Check(False, message=f"the answer {value!r} is not a number, but the question asks for one",
                         hint="answer")
        return Check(True, answer=value)
    if number < 0 and is_nonnegative_question(question):
        return Check(False, message=f"the answer is {value}, a negative number, but the question asks for an "
                                    "amount that cannot be negative", hint="answer")
    if is_count_question(question):
        if abs(number - round(number)) > 1e-9:
            return Check(False, message=f"the answer is {value}, not a whole number, but the question counts "
                                        "things", hint="answer")
    return Check(True, answer=normalize_number(value) or value)

