"""Positions an ordering question states are read from its words (hybrid.positions), alone and through the graph.

The puzzles are written for these tests in the grammar of benchmarks/logic_tuning_set.py (our own scenes,
never an evaluation item). The wrong programs copy the habit seen in the reference runs: the model reads
"second from the right" as 2, in the options above all, so every sample agrees on the wrong letter.
"""
from __future__ import annotations

import pytest

from hybrid.facts import fact_sentences
from hybrid.positions import Positions, object_count, order_in, position_in, read_positions

from graph_support import fenced


@pytest.mark.parametrize("sentence, count, expected", [
    ("The teal vase is the leftmost.", 5, 1),
    ("The teal vase is the rightmost.", 5, 5),
    ("The teal vase is the second from the left.", 5, 2),
    ("The teal vase is the second from the right.", 5, 4),
    ("The tram is the third from the right.", 7, 5),
    ("The tram is the oldest.", 3, 1),
    ("The tram is the newest.", 7, 7),
    ("The tram is the second-oldest.", 5, 2),
    ("The tram is the second-newest.", 5, 4),
    ("The tram is the third newest.", 7, 5),
    ("The leeks are the cheapest.", 5, 1),
    ("The leeks are the most expensive.", 5, 5),
    ("The leeks are the second-cheapest.", 7, 2),
    ("The leeks are the second-most expensive.", 7, 6),
    ("Omar finished first.", 5, 1),
    ("Omar finished last.", 5, 5),
    ("Omar finished third.", 5, 3),
    ("Omar finished second-to-last.", 5, 4),
    ("Omar finished third-to-last.", 7, 5),
    ("THE TEAL VASE IS THE SECOND FROM THE RIGHT.", 5, 4),
    # no single stated position: a comparison, two phrases, none, or one outside the count
    ("The teal vase is to the left of the gray vase.", 5, None),
    ("The tram is older than the monorail.", 5, None),
    ("Omar finished above Rosa.", 5, None),
    ("The tram is the oldest and the cable car is the newest.", 5, None),
    ("The teal vase is blue.", 5, None),
    ("The teal vase is the seventh from the left.", 5, None),
    ("The tram is the fourth-newest.", 3, None),
])
def test_position_in_reads_one_stated_position(sentence, count, expected):
    assert position_in(sentence, count) == expected


@pytest.mark.parametrize("sentence, expected", [
    ("The teal vase is to the left of the gray vase.", ("the teal vase is ", "<", " the gray vase.")),
    ("The teal vase is to the right of the gray vase.", ("the teal vase is ", ">", " the gray vase.")),
    ("The tram is older than the monorail.", ("the tram is ", "<", " the monorail.")),
    ("The tram is newer than the monorail.", ("the tram is ", ">", " the monorail.")),
    ("The leeks are cheaper than the beets.", ("the leeks are ", "<", " the beets.")),
    ("The leeks are more expensive than the beets.", ("the leeks are ", ">", " the beets.")),
    ("Omar finished above Rosa.", ("omar ", "<", " rosa.")),
    ("Omar finished below Rosa.", ("omar ", ">", " rosa.")),
    ("The teal vase is the leftmost.", None),
    ("The tram is older than the monorail and newer than the handcar.", None),
])
def test_order_in_reads_one_stated_comparison(sentence, expected):
    assert order_in(sentence) == expected


CONTEXT = ("The following paragraphs each describe a set of five objects arranged in a fixed order. The statements "
           "are logically consistent within each paragraph.\n\nOn a windowsill, there are five vases: a white vase, "
           "a teal vase, a gray vase, a violet vase, and a lime vase. The white vase is the leftmost. The teal vase "
           "is the second from the right. The gray vase is to the left of the violet vase. The lime vase is the "
           "second from the left.")
QUESTION = "Which of the following is true?"
OPTIONS = ["A) The white vase is the second from the right.", "B) The teal vase is the second from the right.",
           "C) The gray vase is the second from the right.", "D) The violet vase is the second from the right.",
           "E) The lime vase is the second from the right."]
HEAD = """from z3 import *
# 1. On a windowsill, there are five vases: a white vase, a teal vase, a gray vase, a violet vase, and a lime vase.
white, teal, gray, violet, lime = Ints('white teal gray violet lime')
objects = [white, teal, gray, violet, lime]
solver = Solver()
solver.add(Distinct(objects))
for x in objects:
    solver.add(x >= 1, x <= 5)
# 2. The white vase is the leftmost.
solver.add(white == 1)
"""
FACTS = """# 3. The teal vase is the second from the right.
solver.add(teal {op} {k})
# 4. The gray vase is to the left of the violet vase.
solver.add(gray < violet)
# 5. The lime vase is the second from the left.
solver.add(lime == 2)
"""
OPTION_LINES = """options = {{
    "A": white == {k},
    "B": teal == {k},
    "C": gray == {k},
    "D": violet == {k},
    "E": lime == {k},
}}
"""


def program(fact_op="==", fact_k=4, option_k=4) -> str:
    return HEAD + FACTS.format(op=fact_op, k=fact_k) + OPTION_LINES.format(k=option_k)


def read(text: str, options=OPTIONS, context=CONTEXT) -> Positions:
    return read_positions(text, fact_sentences(context), options, context)


def test_wrong_option_positions_are_read_from_the_option_texts():
    got = read(program(option_k=2))
    assert got.program == program()
    assert got.rewritten == tuple(f"option {letter}: {name} == 2 -> {name} == 4"
                                  for letter, name in zip("ABCDE", ["white", "teal", "gray", "violet", "lime"]))


def test_a_wrong_fact_constraint_on_one_object_becomes_the_stated_position():
    assert read(program(fact_k=2)).rewritten == ("fact 3: teal == 2 -> teal == 4",)
    assert read(program(fact_op="<", fact_k=2)).program == program()  # "< 2" for "second": the comparison too
    assert read(program(fact_op=">=", fact_k=4)).rewritten == ("fact 3: teal >= 4 -> teal == 4",)


def test_a_right_program_and_what_the_reading_cannot_tell_are_left_as_written():
    right = program()
    assert read(right) == Positions(right)
    # comparisons between objects, a name the sentence does not hold, an unstated comment, no count at all
    assert read(right.replace("gray < violet", "gray < 3")).program == right.replace("gray < violet", "gray < 3")
    renamed = program(option_k=2).replace('"A": white == 2', '"A": w1 == 2')
    assert read(renamed).rewritten[0] == "option B: teal == 2 -> teal == 4" and '"A": w1 == 2' in read(renamed).program
    unstated = program(fact_k=2).replace("# 3. The teal vase is the second from the right.", "# 3. Teal is 2.")
    assert read(unstated).program == unstated
    no_count = program(option_k=2).replace("objects = [white, teal, gray, violet, lime]\n", "")
    assert read(no_count, context="On a windowsill. " + CONTEXT.split("\n\n")[1]).program == no_count
    assert read(no_count).program == program().replace("objects = [white, teal, gray, violet, lime]\n", "")


def test_a_comparison_the_wrong_way_round_is_turned_to_what_the_fact_says():
    assert read(program().replace("gray < violet", "gray > violet")).program == program()
    assert read(program().replace("gray < violet", "violet < gray")).rewritten == (
        "fact 4: violet < gray -> violet > gray",)
    assert read(program().replace("gray < violet", "violet > gray")) == Positions(  # the same fact, written right
        program().replace("gray < violet", "violet > gray"))
    for kept in ("gray <= violet", "gray < lime", "gray + 1 < violet", "gray < violet < lime"):
        assert read(program().replace("gray < violet", kept)).program == program().replace("gray < violet", kept)


def test_the_count_comes_from_the_context_else_the_objects_list():
    import ast

    assert object_count(CONTEXT) == 5
    assert object_count("Three cats.", ast.parse("objects = [a, b, c]")) == 3
    assert object_count("Three cats.", ast.parse("x = 1")) is None


@pytest.mark.parametrize("text", [None, b"bytes", "", "x = (", "options = {\n  'A': (teal\n == 2),\n}", "x = (" * 200])
def test_anything_unreadable_comes_back_unchanged_and_nothing_raises(text):
    assert read(text).program is text and read(text).rewritten == ()


def test_names_outside_ascii_keep_their_columns():
    text = program(option_k=2).replace("teal", "t\u00e9al")
    options = [o.replace("teal", "t\u00e9al") for o in OPTIONS]
    got = read(text, options=options)
    assert '"B": t\u00e9al == 4' in got.program and '"C": gray == 4' in got.program


def test_through_the_graph_z3_decides_with_the_stated_positions(engine_for):
    engine, _ = engine_for(replies=[fenced(program(option_k=2))])
    result = engine.solve(QUESTION, context=CONTEXT, options=OPTIONS)
    assert result.route == "z3" and result.answer == "B"  # the teal vase is fourth of five
    assert [s.node for s in result.trace] == ["propose", "stated_facts", "z3", "verify", "answer"]
    assert result.trace[1].note.startswith("positions read from the question: option A: white == 2 -> white == 4")
    assert result.trace[2].input == result.program == program().rstrip("\n")  # the fence drops the last newline


def test_switched_off_z3_decides_from_the_positions_as_written(engine_for):
    engine, _ = engine_for(replies=[fenced(program(option_k=2))], read_positions=False)
    result = engine.solve(QUESTION, context=CONTEXT, options=OPTIONS)
    assert "stated_facts" not in [s.node for s in result.trace]
    assert result.route == "z3" and result.answer == "E"  # the lime vase is second from the left


def test_every_sample_of_a_vote_is_read(engine_for):
    replies = [fenced(program(option_k=2)), fenced(program(option_k=2)), fenced(program(option_k=4))]
    engine, _ = engine_for(replies=replies, samples=3)
    result = engine.solve(QUESTION, context=CONTEXT, options=OPTIONS)
    assert result.answer == "B" and result.confidence == 1.0
    notes = [s.note for s in result.trace if s.node == "stated_facts"]
    assert len(notes) == 2 and notes[0].startswith("sample 1: positions read") and notes[1].startswith("sample 2:")


def test_what_the_review_found_is_left_as_written():
    # a program numbered from 0: its own range is not 1..count, so its numbers are not moved
    zero = program(fact_k=3, option_k=3).replace("x >= 1, x <= 5", "x >= 0, x <= 4").replace("white == 1", "white == 0")
    assert read(zero) == Positions(zero)
    # a line break Python does not count (U+2028 inside a comment) must not shift the rewrites
    odd = program(option_k=2).replace("# 1. On a windowsill", "# 1. On a\u2028windowsill")
    got = read(odd)
    assert '"A": white == 4' in got.program and '"B": teal == 4' in got.program and got.program.count("\u2028") == 1
    # a name inside a longer one: "blue" is not the subject of "The navy blue vase is ..."
    nested = ("from z3 import *\nblue, navy_blue = Ints('blue navy_blue')\nobjects = [blue, navy_blue]\n"
              "solver = Solver()\nfor x in objects:\n    solver.add(x >= 1, x <= 2)\n"
              "# 2. The navy blue vase is the leftmost.\nsolver.add(blue != 2)\n")
    assert read(nested, context="A set of two objects.\n\nThere are a blue vase and a navy blue vase. "
                                "The navy blue vase is the leftmost.").rewritten == ()
    # a negation states no position
    assert position_in("The white vase is not the leftmost.", 5) is None
    assert order_in("The tram isn't older than the monorail.") is None and order_in("Holder than the tram.") is None
    # an unnumbered comment ends the fact above it
    loose = program().replace("solver.add(lime == 2)\n", "solver.add(lime == 2)\n# bounds\nsolver.add(lime <= 5)\n")
    assert read(loose) == Positions(loose)
