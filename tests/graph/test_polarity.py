"""hybrid.polarity: a stated fact's "not", lost or added in the code under its copy, is put back as the question
states it, and so is the claim's; nothing else changes. The slips have the shape of the 1.5B's ("# 11. Xs are
Y." over `Implies(Bool('x'), Not(Bool('y')))`; "Karl is heavy." as `claim = Not(Bool('heavy'))`); the
puzzles' words are our own, not a dev item's."""
from __future__ import annotations

import pytest

from hybrid.polarity import keep_polarity

HEAD = "from z3 import *\nsolver = Solver()\n"
FACTS = ["Every florp is a blicket.", "Florps are not heavy.", "Blickets are bright.", "Rex is a florp.",
         "Each grumpus is not a tove.", "Rex is not loud."]


def block(comment: str, code: str) -> str:
    return f"{comment}\n{code}\n"


# (id, program as written, program mended (None: unchanged), notes)
CASES = [
    ("a-lost-not-is-put-back",
     HEAD + block("# 2. Florps are not heavy.", "solver.add(Implies(Bool('florp'), Bool('heavy')))") + "claim = Bool('heavy')",
     HEAD + block("# 2. Florps are not heavy.", "solver.add(Implies(Bool('florp'), Not(Bool('heavy'))))") + "claim = Bool('heavy')",
     ("fact 2: Not added (Florps are not heavy.)",)),
    ("an-added-not-is-taken-away",
     HEAD + block("# 3. Blickets are bright.", "solver.add(Implies(Bool('blicket'), Not(Bool('bright'))))") + "claim = Bool('bright')",
     HEAD + block("# 3. Blickets are bright.", "solver.add(Implies(Bool('blicket'), Bool('bright')))") + "claim = Bool('bright')",
     ("fact 3: Not removed (Blickets are bright.)",)),
    ("a-category-with-an-article-and-a-quantifier",
     HEAD + block("# 5. Each grumpus is not a tove.", "solver.add(Implies(Bool('grumpus'), Bool('tove')))") + "claim = Bool('tove')",
     HEAD + block("# 5. Each grumpus is not a tove.", "solver.add(Implies(Bool('grumpus'), Not(Bool('tove'))))") + "claim = Bool('tove')",
     ("fact 5: Not added (Each grumpus is not a tove.)",)),
    ("a-fact-about-the-individual",
     HEAD + block("# 6. Rex is not loud.", "solver.add(Bool('loud'))") + "claim = Bool('loud')",
     HEAD + block("# 6. Rex is not loud.", "solver.add(Not(Bool('loud')))") + "claim = Bool('loud')",
     ("fact 6: Not added (Rex is not loud.)",)),
    ("the-question-decides-not-the-comment-wording",
     HEAD + block("# 1. Each florp is a blicket.", "solver.add(Implies(Bool('florp'), Not(Bool('blicket'))))") + "claim = Bool('blicket')",
     HEAD + block("# 1. Each florp is a blicket.", "solver.add(Implies(Bool('florp'), Bool('blicket')))") + "claim = Bool('blicket')",
     ("fact 1: Not removed (Each florp is a blicket.)",)),
    ("a-singular-the-model-made-up",
     HEAD + block("# 2. Florps are not heavy.", "solver.add(Implies(Bool('florps'), Bool('heavy')))") + "claim = Bool('heavy')",
     HEAD + block("# 2. Florps are not heavy.", "solver.add(Implies(Bool('florps'), Not(Bool('heavy'))))") + "claim = Bool('heavy')",
     ("fact 2: Not added (Florps are not heavy.)",)),
    ("a-right-program-is-never-touched",
     HEAD + block("# 2. Florps are not heavy.", "solver.add(Implies(Bool('florp'), Not(Bool('heavy'))))")
     + block("# 4. Rex is a florp.", "solver.add(Bool('florp'))") + "claim = Bool('heavy')", None, ()),
    ("a-comment-that-is-no-fact-is-left-alone",
     HEAD + block("# 2. Florps are heavy.", "solver.add(Implies(Bool('florp'), Not(Bool('heavy'))))") + "claim = Bool('heavy')",
     None, ()),
    ("other-names-are-left-alone",
     HEAD + block("# 2. Florps are not heavy.", "solver.add(Implies(Bool('florp'), Bool('light')))") + "claim = Bool('heavy')",
     None, ()),
    ("another-subject-is-left-alone",
     HEAD + block("# 2. Florps are not heavy.", "solver.add(Implies(Bool('grumpus'), Bool('heavy')))") + "claim = Bool('heavy')",
     None, ()),
    ("two-statements-under-one-comment-are-left-alone",
     HEAD + "# 2. Florps are not heavy.\nsolver.add(Implies(Bool('florp'), Bool('heavy')))\nsolver.add(Bool('florp'))\n"
     "claim = Bool('heavy')", None, ()),
    ("a-shared-line-is-left-alone",
     HEAD + "# 2. Florps are not heavy.\nsolver.add(Implies(Bool('florp'), Bool('heavy'))); x = 1\nclaim = Bool('heavy')",
     None, ()),
    ("a-double-not-is-left-alone",
     HEAD + block("# 3. Blickets are bright.", "solver.add(Implies(Bool('blicket'), Not(Not(Bool('bright')))))")
     + "claim = Bool('bright')", None, ()),
    ("a-program-that-does-not-parse-is-left-alone",
     HEAD + block("# 2. Florps are not heavy.", "solver.add(Implies(Bool('florp'), Bool('heavy'))") + "claim = Bool('heavy')",
     None, ()),
]


@pytest.mark.parametrize("written, mended, notes", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_keep_polarity(written, mended, notes):
    result = keep_polarity(written, FACTS)
    assert result.program == (written if mended is None else mended)
    assert result.changes == notes


def test_sentences_of_another_shape_are_never_read():
    facts = ["If something is a florp then it is not heavy.", "The owl is to the left of the robin."]
    written = HEAD + block("# 1. If something is a florp then it is not heavy.",
                           "solver.add(Implies(Bool('florp'), Bool('heavy')))") + "claim = Bool('heavy')"
    assert keep_polarity(written, facts).changes == ()


def test_bad_input_comes_back_unchanged():
    assert keep_polarity(None, FACTS).program is None
    assert keep_polarity("", FACTS).changes == ()
    assert keep_polarity(HEAD + "claim = Bool('a')", "Florps are heavy.").changes == ()
    assert keep_polarity(HEAD + "claim = Bool('a')", []).changes == ()
    assert keep_polarity("x = 1\r# 2. Florps are not heavy.\r", FACTS).changes == ()


def test_several_slips_and_a_name_with_non_ascii_letters():
    facts = ["Every zörp is not cold.", "Florps are not heavy."]
    written = HEAD + block("# 1. Every zörp is not cold.", "solver.add(Implies(Bool('zörp'), Bool('cold')))") \
        + block("# 2. Florps are not heavy.", "solver.add(Implies(Bool('florp'), Bool('heavy')))  # rule") \
        + "claim = Bool('cold')"
    result = keep_polarity(written, facts)
    assert result.changes == ("fact 1: Not added (Every zörp is not cold.)", "fact 2: Not added (Florps are not heavy.)")
    assert "solver.add(Implies(Bool('zörp'), Not(Bool('cold'))))\n" in result.program
    assert "solver.add(Implies(Bool('florp'), Not(Bool('heavy'))))  # rule\n" in result.program


def test_mended_program_decides_the_claim_in_the_sandbox():
    from solvers import run_program

    facts = ["Every florp is a blicket.", "Blickets are not bright.", "Rex is a florp."]
    written = HEAD + block("# 1. Every florp is a blicket.", "solver.add(Implies(Bool('florp'), Bool('blicket')))") \
        + block("# 2. Blickets are not bright.", "solver.add(Implies(Bool('blicket'), Bool('bright')))") \
        + block("# 3. Rex is a florp.", "solver.add(Bool('florp'))") + "claim = Not(Bool('bright'))"
    assert run_program(written, timeout_s=10).value == "False"
    assert run_program(keep_polarity(written, facts).program, timeout_s=10).value == "True"


# (id, program's last lines, the statement to judge, mended last lines (None: unchanged), notes)
CLAIMS = [
    ("a-not-the-statement-lacks", "claim = Not(Bool('heavy'))", "Rex is heavy.", "claim = Bool('heavy')",
     ("claim: Not removed (Rex is heavy.)",)),
    ("a-not-the-statement-has", "claim = Bool('loud')", "Rex is not loud.", "claim = Not(Bool('loud'))",
     ("claim: Not added (Rex is not loud.)",)),
    ("a-category", "claim = Not(Bool('blicket'))", "Rex is a blicket.", "claim = Bool('blicket')",
     ("claim: Not removed (Rex is a blicket.)",)),
    ("a-right-claim", "claim = Not(Bool('loud'))", "Rex is not loud.", None, ()),
    ("another-property", "claim = Not(Bool('bright'))", "Rex is heavy.", None, ()),
    ("a-compound-claim", "claim = Not(And(Bool('heavy'), Bool('loud')))", "Rex is heavy.", None, ()),
    ("a-statement-of-another-shape", "claim = Not(Bool('heavy'))", "Rex is heavy and loud.", None, ()),
    ("only-the-last-claim", "claim = Bool('heavy')\nclaim = Not(Bool('heavy'))", "Rex is heavy.",
     "claim = Bool('heavy')\nclaim = Bool('heavy')", ("claim: Not removed (Rex is heavy.)",)),
    ("a-shared-line", "x = 1; claim = Not(Bool('heavy'))", "Rex is heavy.", None, ()),
]


@pytest.mark.parametrize("last, statement, mended, notes", [c[1:] for c in CLAIMS], ids=[c[0] for c in CLAIMS])
def test_the_claim_gets_the_statements_polarity(last, statement, mended, notes):
    start = HEAD + block("# 4. Rex is a florp.", "solver.add(Bool('florp'))")
    result = keep_polarity(start + last, FACTS, statement)
    assert result.program == start + (last if mended is None else mended)
    assert result.changes == notes
    assert keep_polarity(start + last, FACTS).changes == ()  # no statement given: the claim is left alone


def test_a_fact_and_the_claim_together():
    written = HEAD + block("# 2. Florps are not heavy.", "solver.add(Implies(Bool('florp'), Bool('heavy')))") \
        + block("# 4. Rex is a florp.", "solver.add(Bool('florp'))") + "claim = Not(Bool('heavy'))"
    result = keep_polarity(written, FACTS, "Rex is heavy.")
    assert result.changes == ("fact 2: Not added (Florps are not heavy.)", "claim: Not removed (Rex is heavy.)")
    assert result.program.endswith("solver.add(Implies(Bool('florp'), Not(Bool('heavy'))))\n# 4. Rex is a florp.\n"
                                   "solver.add(Bool('florp'))\nclaim = Bool('heavy')")
