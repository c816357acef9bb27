"""Formalizations keep only the facts the question states (hybrid.stated_facts), alone and through the graph.

The programs below copy the model's habit seen in the reference runs: after the real facts it writes
more numbered "facts", on PrOntoQA often the statement it was asked to judge, so Z3 decides from premises
the question never gave.
"""
from __future__ import annotations

from hybrid.prompts import fact_sentences
from hybrid.stated_facts import canonical, keep_stated_facts

from graph_support import fenced

CONTEXT = ("Each wumple is a tarp. Tarps are not loud. Every florp is loud. Tom is a wumple.")
QUESTION = "Is the following statement true or false? Tom is loud."
OPTIONS = ["A) True", "B) False"]

STATED = """from z3 import *
solver = Solver()
# 1. Each wumple is a tarp.
solver.add(Implies(Bool('wumple'), Bool('tarp')))
# 2. Tarps are not loud.
solver.add(Implies(Bool('tarp'), Not(Bool('loud'))))
# 3. Every florp is loud.
solver.add(Implies(Bool('florp'), Bool('loud')))
# 4. Tom is a wumple.
solver.add(Bool('wumple'))"""

INVENTED = """
# 5. Tom is loud.
solver.add(Bool('loud'))
# 6. Tom is a florp.
florp = Bool('florp')
solver.add(florp)"""

CLAIM = "\nclaim = Bool('loud')"


def test_canonical_ignores_case_punctuation_articles_and_plural_endings():
    assert canonical("Wren is tumpus.") == canonical("wren is a TUMPUS")
    assert canonical("Every dumpuses is a yumpus.") == canonical("Every dumpus is a yumpus.")
    assert canonical("Numpus are amenable.") == canonical("Numpuses are amenable.")
    assert canonical("Yumpuses are impuses.") != canonical("Zumpuses are impuses.")
    assert canonical("Tarps are not loud.") != canonical("Tarps are loud.")


def test_fact_sentences_are_the_numbered_facts():
    assert fact_sentences(CONTEXT) == ["Each wumple is a tarp.", "Tarps are not loud.", "Every florp is loud.",
                                       "Tom is a wumple."]
    assert fact_sentences("Intro paragraph.\n\nA is left of B. B is left of C.") == ["A is left of B.",
                                                                                   "B is left of C."]
    assert fact_sentences(None) == [] and fact_sentences("   ") == []


def test_invented_facts_are_dropped_and_declarations_kept():
    kept = keep_stated_facts(STATED + INVENTED + CLAIM, fact_sentences(CONTEXT))
    assert kept.dropped == ("Tom is loud.", "Tom is a florp.")
    assert kept.program == STATED + "\nflorp = Bool('florp')" + CLAIM


def test_a_repeated_fact_is_dropped_the_second_time():
    repeated = STATED + "\n# 5. Tom is a wumple.\nsolver.add(Not(Bool('wumple')))" + CLAIM
    kept = keep_stated_facts(repeated, fact_sentences(CONTEXT))
    assert kept.dropped == ("Tom is a wumple.",) and kept.program == STATED + CLAIM


def test_a_program_of_stated_facts_is_returned_unchanged():
    program = STATED + CLAIM
    assert keep_stated_facts(program, fact_sentences(CONTEXT)).program is program
    assert keep_stated_facts(program, fact_sentences(CONTEXT)).dropped == ()
    assert keep_stated_facts(STATED + INVENTED + CLAIM, []).program == STATED + INVENTED + CLAIM  # nothing to compare
    assert keep_stated_facts("", fact_sentences(CONTEXT)).program == ""


def test_unnumbered_comments_and_the_options_line_end_a_dropped_block():
    program = ("from z3 import *\na, b = Ints('a b')\nsolver = Solver()\n# 1. A is left of B.\nsolver.add(a < b)\n"
               "# 2. B is left of A.\nsolver.add(b < a)\n# Question: who is first?\nsolver.add(a >= 1)\n"
               "# 3. C is last.\nsolver.add(\n    a == 3)\noptions = {\"A\": a == 1, \"B\": b == 1}")
    kept = keep_stated_facts(program, ["A is left of B."])
    assert kept.dropped == ("B is left of A.", "C is last.")
    assert "b < a" not in kept.program and "a == 3" not in kept.program
    assert "solver.add(a >= 1)" in kept.program and kept.program.endswith('options = {"A": a == 1, "B": b == 1}')


def test_through_the_graph_z3_decides_from_stated_facts_only(engine_for):
    engine, _ = engine_for(replies=[fenced(STATED + INVENTED + CLAIM)])
    result = engine.solve(QUESTION, context=CONTEXT, options=OPTIONS)
    assert result.route == "z3" and result.answer == "B"  # Tom is a tarp, tarps are not loud
    assert result.trace[0].note == "dropped unstated facts: Tom is loud. | Tom is a florp."
    assert "Tom is loud" not in result.program and "Tom is loud" in result.trace[0].output


def test_switched_off_the_invented_facts_reach_z3(engine_for):
    engine, _ = engine_for(replies=[fenced(STATED + INVENTED + CLAIM), "I cannot tell."], stated_facts_only=False,
                           max_repairs=0)
    result = engine.solve(QUESTION, context=CONTEXT, options=OPTIONS)
    assert result.trace[0].note == ""
    assert result.trace[1].solver["status"] == "unsat"  # "Tom is loud" contradicts the stated facts
    assert result.route != "z3" and result.answer is None


def test_math_programs_are_never_filtered(engine_for):
    program = "# 1. Sam has 3 apples.\napples = 3\n# 2. He buys 2 more.\nanswer = apples + 2"
    engine, _ = engine_for(replies=[fenced(program)])
    result = engine.solve("Sam has 3 apples. He buys 2 more. How many apples does he have?")
    assert result.answer == "5" and result.trace[0].note == ""
