"""The verifier and the routers: pure functions, checked with tables (the answer reader: test_answers.py)."""
from __future__ import annotations

import pytest

from hybrid.router import route_fallback, route_program, route_verdict, route_vote
from hybrid.verify import check

COUNT_Q = "How many apples are left?"
MONEY_Q = "How many dollars of change does he get?"
OPTS = ["A) The owl is first.", "B) The hawk is first.", "C) The crow is first."]
TF = ["A) True", "B) False"]


def ok(value, number=None, solver="sympy"):
    return dict(status="ok", value=value, number=number, message="", solver=solver)


@pytest.mark.parametrize("kind,question,options,result,expected", [
    ("math", COUNT_Q, None, ok("7", 7.0), (True, "7", "none")),
    ("math", COUNT_Q, None, ok("-3", -3.0), (False, None, "answer")),
    ("math", COUNT_Q, None, ok("7/2", 3.5), (False, None, "whole")),
    # money is whole unless the question splits a dollar (issue 13); then whole cents
    ("math", MONEY_Q, None, ok("2.5", 2.5), (False, None, "whole")),
    ("math", "Pens cost $1.25. " + MONEY_Q, None, ok("2.5", 2.5), (True, "2.5", "none")),
    ("math", "How many hours does it take?", None, ok("1.5", 1.5), (True, "1.5", "none")),
    ("math", "How much did the temperature change?", None, ok("-4", -4.0), (True, "-4", "none")),  # sign free
    ("math", "How much more money does Betty need?", None, ok("-50", -50.0), (False, None, "answer")),
    ("math", "How much money is left?", None, ok("-4", -4.0), (False, None, "answer")),
    ("math", "How much money is left?", None, ok("4.5", 4.5), (False, None, "whole")),
    ("math", "She had $10 and spent half of it and $0.50 more. How much money is left?", None, ok("4.5", 4.5),
     (True, "4.5", "none")),
    ("math", "How many dollars of change does he get?", None, ok("-65", -65.0), (False, None, "answer")),
    ("math", "How many miles does she run?", None, ok("-2.5", -2.5), (False, None, "answer")),
    ("math", "What was the temperature, in degrees Celsius, in the morning?", None, ok("-3", -3.0),
     (True, "-3", "none")),                                                 # GSM8K test gold is -3
    ("math", "What is the largest number?", None, ok("-47", -47.0), (True, "-47", "none")),
    ("math", COUNT_Q, None, ok("x + 1"), (False, None, "answer")),        # not a number
    ("math", COUNT_Q, None, ok(None), (False, None, "answer")),
    ("math", COUNT_Q, None, dict(status="error", value=None, message="line 2: name 'x' is not defined",
                                 solver="sympy"), (False, None, "error")),
    ("math", COUNT_Q, None, dict(status="timeout", value=None, message="timed out", solver="sympy"),
     (False, None, "timeout")),
    ("logic", "Which?", OPTS, ok("B", solver="z3"), (True, "B", "none")),
    ("logic", "Which?", OPTS, ok("E", solver="z3"), (False, None, "nooptions")),
    ("logic", "Which?", OPTS, dict(status="error", value=None, message="no answer: assign the final value to "
                                   "`answer`", solver="z3"), (False, None, "nooptions")),
    ("logic", "Which?", OPTS, dict(status="ambiguous", value=None, message="A and B are both possible",
                                   solver="z3"), (False, None, "ambiguous")),
    ("logic", "Which?", OPTS, dict(status="unsat", value=None, message="lines 4, 6 conflict", solver="z3"),
     (False, None, "unsat")),
    ("logic", "Which?", OPTS, dict(status="error", value=None, message="line 3: name 'sparrow' is not defined",
                                   solver="z3"), (False, None, "undeclared")),
    ("logic", "True or false?", TF, ok("True", solver="z3"), (True, "A", "none")),
    ("logic", "True or false?", TF, ok("False", solver="z3"), (True, "B", "none")),
    ("logic", "True or false?", TF, ok("Unknown", solver="z3"), (False, None, "unknown")),
    ("logic", "True or false?", TF + ["C) Unknown"], ok("Unknown", solver="z3"), (True, "C", "none")),
    ("logic", "True or false?", None, ok("False", solver="z3"), (True, "False", "none")),
    ("math", COUNT_Q, None, None, (False, None, "none")),
])
def test_check(kind, question, options, result, expected):
    verdict = check(kind, question, options, result)
    assert (verdict.ok, verdict.answer, verdict.hint) == expected
    assert verdict.ok or verdict.message


@pytest.mark.parametrize("program,expected", [
    (None, "fallback"),
    ("   ", "fallback"),
    ("answer = 3 + 4", "sympy"),
    ("from sympy import symbols\nx = symbols('x')\nanswer = x", "sympy"),
    ("from z3 import *\ns = Solver()\nclaim = Bool('p')", "z3"),
    ("answer = (", "sympy"),  # not parseable: the solver's syntax message goes back for repair
])
def test_route_program_is_a_function_of_the_program(program, expected):
    assert route_program({"program": program}) == expected


@pytest.mark.parametrize("verdict,repairs,max_repairs,expected", [
    ("accept", 0, 2, "answer"), ("accept", 2, 2, "answer"), ("retry", 0, 2, "repair"),
    ("retry", 1, 2, "repair"), ("retry", 2, 2, "fallback"), ("retry", 0, 0, "fallback"),
])
def test_route_verdict(verdict, repairs, max_repairs, expected):
    assert route_verdict({"verdict": verdict, "repairs": repairs, "max_repairs": max_repairs}) == expected


@pytest.mark.parametrize("state,expected", [
    ({"vote": {"winner": "65", "confidence": 0.2}}, "reconcile"),  # a vote below the bar: pick among its answers
    ({"vote": {"winner": None, "confidence": None}}, "__end__"),       # nothing verified: plain reasoning answers
    ({"vote": None}, "__end__"),                                       # one program, no vote
    ({"vote": {"winner": "65"}, "mode": "steps"}, "__end__"),
])
def test_route_fallback(state, expected):
    assert route_fallback(state) == expected


@pytest.mark.parametrize("state,expected", [
    ({"vote": {"confidence": 0.6}, "min_confidence": 0.5}, "answer"),
    ({"vote": {"confidence": 0.4}, "min_confidence": 0.5}, "fallback"),
    ({"vote": {"confidence": 0.4}, "min_confidence": 0.5, "abstain": True}, "unsure"),
    ({"vote": {"confidence": None}, "program": "x = 1", "repairs": 0, "max_repairs": 2}, "repair"),
])
def test_route_vote(state, expected):
    assert route_vote(state) == expected
