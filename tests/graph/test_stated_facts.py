"""Formalizations keep only the facts the question states (hybrid.stated_facts), alone and through the graph.

The programs below copy the model's habit seen in the reference runs: after the real facts it writes
more numbered "facts", on PrOntoQA often the statement it was asked to judge, so Z3 decides from premises
the question never gave.
"""
from __future__ import annotations

from hybrid.facts import claim_sentences, fact_sentences
from hybrid.stated_facts import StatedFacts, canonical, keep_stated_facts

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


def test_canonical_ignores_case_punctuation_articles_quantifiers_and_plural_endings():
    assert canonical("Wren is tumpus.") == canonical("wren is a TUMPUS")
    assert canonical("Every dumpuses is a yumpus.") == canonical("Every dumpus is a yumpus.")
    assert canonical("Numpus are amenable.") == canonical("Numpuses are amenable.")
    assert canonical("Each numpus is metallic.") == canonical("Numpuses are metallic.")
    assert canonical("Yumpuses are impuses.") != canonical("Zumpuses are impuses.")
    assert canonical("Tarps are not loud.") != canonical("Tarps are loud.")
    assert canonical("The owl is left of the jay.") != canonical("The owl is right of the jay.")


def test_fact_sentences_are_the_numbered_facts():
    assert fact_sentences(CONTEXT) == ["Each wumple is a tarp.", "Tarps are not loud.", "Every florp is loud.",
                                       "Tom is a wumple."]
    assert fact_sentences("Intro paragraph.\n\nA is left of B. B is left of C.") == ["A is left of B.",
                                                                                   "B is left of C."]
    assert fact_sentences(None) == [] and fact_sentences("   ") == []


def test_claim_sentences_are_the_statement_and_the_option_texts():
    assert claim_sentences(QUESTION, OPTIONS) == ["Tom is loud.", "True", "False"]
    assert claim_sentences("Which of the following is true?", ["A) The owl is first.", "(B) The jay is first."]) \
        == ["The owl is first.", "The jay is first."]


def keep(program: str) -> StatedFacts:
    return keep_stated_facts(program, fact_sentences(CONTEXT), claim_sentences(QUESTION, OPTIONS))


def test_constraints_of_invented_facts_are_dropped_and_everything_else_kept():
    kept = keep(STATED + INVENTED + CLAIM)
    assert kept.dropped == ("Tom is loud.", "Tom is a florp.")
    assert kept.program == STATED + "\n# 5. Tom is loud.\n# 6. Tom is a florp.\nflorp = Bool('florp')" + CLAIM


def test_the_claim_asserted_in_place_of_a_fact_is_dropped_even_within_the_fact_count():
    program = STATED.replace("# 4. Tom is a wumple.", "# 4. Tom is loud.").replace(
        "solver.add(Bool('wumple'))", "solver.add(Bool('loud'))") + CLAIM
    kept = keep(program)
    assert kept.dropped == ("Tom is loud.",) and "solver.add(Bool('loud'))" not in kept.program


def test_a_miscopied_fact_within_the_fact_count_is_kept():
    program = STATED.replace("# 2. Tarps are not loud.", "# 2. Tarps are never loud.") + CLAIM
    assert keep(program).program is program


def test_a_repeated_fact_is_dropped_the_second_time():
    repeated = STATED + "\n# 5. Tom is a wumple.\nsolver.add(Not(Bool('wumple')))" + CLAIM
    kept = keep(repeated)
    assert kept.dropped == ("Tom is a wumple.",) and "Not(Bool('wumple'))" not in kept.program


def test_facts_listed_first_and_then_formalized_lose_nothing():
    header = "from z3 import *\n# 1. Each wumple is a tarp.\n# 2. Tarps are not loud.\n# 3. Every florp is loud.\n" \
             "# 4. Tom is a wumple.\n"
    program = header + STATED.replace("from z3 import *\n", "") + CLAIM
    assert keep(program).program is program


def test_setup_lines_under_an_unmatched_comment_are_kept():
    program = ("from z3 import *\n# 1. Declare the objects\na, b, c = Ints('a b c')\nsolver = Solver()\n"
               "objects = [a, b, c]\nfor x in objects:\n    # 9. not a fact, inside a loop\n    solver.add(x >= 1)\n"
               "# 2. A is left of B.\nsolver.add(a < b)\n# 7. C is first.\nsolver.add(\n    c == 1)\n"
               "# 8. B is first.\nsolver.add(b == 1); solver.add(a == 2)\noptions = {\"A\": a == 1}")
    kept = keep_stated_facts(program, ["In a row there are A, B and C.", "A is left of B.", "B is left of C."])
    assert kept.dropped == ("C is first.",)
    assert kept.program == program.replace("solver.add(\n    c == 1)\n", "")  # the two-line constraint goes whole


def test_a_program_of_stated_facts_or_one_that_does_not_parse_is_returned_unchanged():
    program = STATED + CLAIM
    assert keep(program).program is program and keep(program).dropped == ()
    broken = STATED + INVENTED + "\nclaim = And(Bool('loud')"
    assert keep(broken).program is broken
    assert keep_stated_facts(STATED + INVENTED + CLAIM, []).program == STATED + INVENTED + CLAIM  # nothing to compare
    assert keep("").program == ""


def test_line_endings_are_preserved():
    program = (STATED + INVENTED + CLAIM).replace("\n", "\r\n") + "\r\n"
    kept = keep(program)
    assert kept.dropped and "\r\n" in kept.program and kept.program.endswith("\r\n")
    assert "\n" not in kept.program.replace("\r\n", "")


def test_never_raises_on_odd_input():
    for program, facts in [(b"x", ["a"]), (None, ["a"]), (STATED, [None, 3]), (STATED, "Tom is a wumple."),
                           ("x = (" * 200 + ")" * 200, ["a"]), (STATED + INVENTED, ["", " ."])]:
        assert keep_stated_facts(program, facts).program is program
    assert canonical("\u6c64\u59c6\u662f\u732b\u3002") != ""  # words of any script count


def test_through_the_graph_z3_decides_from_stated_facts_only(engine_for):
    engine, _ = engine_for(replies=[fenced(STATED + INVENTED + CLAIM)])
    result = engine.solve(QUESTION, context=CONTEXT, options=OPTIONS)
    assert result.route == "z3" and result.answer == "B"  # Tom is a tarp, tarps are not loud
    assert [s.node for s in result.trace] == ["propose", "stated_facts", "z3", "verify", "answer"]
    filtered = result.trace[1]
    assert filtered.note == "dropped unstated facts: Tom is loud. | Tom is a florp."
    assert filtered.input == STATED + INVENTED + CLAIM and filtered.output == result.program
    assert "solver.add(Bool('loud'))" not in result.program and "solver.add(Bool('loud'))" in result.trace[0].output
    assert result.trace[2].input == result.program  # Z3 ran the filtered program


def test_switched_off_the_invented_facts_reach_z3(engine_for):
    engine, _ = engine_for(replies=[fenced(STATED + INVENTED + CLAIM), "I cannot tell."], stated_facts_only=False,
                           max_repairs=0)
    result = engine.solve(QUESTION, context=CONTEXT, options=OPTIONS)
    assert "stated_facts" not in [s.node for s in result.trace]
    assert result.trace[1].solver["status"] == "unsat"  # "Tom is loud" contradicts the stated facts
    assert result.route != "z3" and result.answer is None


def test_math_programs_are_never_filtered(engine_for):
    program = "# 1. Sam has 3 apples.\napples = 3\n# 2. He buys 2 more.\nanswer = apples + 2"
    engine, _ = engine_for(replies=[fenced(program)])
    result = engine.solve("Sam has 3 apples. He buys 2 more. How many apples does he have?")
    assert result.answer == "5" and [s.node for s in result.trace] == ["propose", "sympy", "verify", "answer"]
