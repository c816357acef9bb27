"""hybrid.slips: brackets a logic line leaves open are closed, a category's plural name is read as its singular,
and nothing else changes. The slips have the shape of the 1.5B's (a `Not(...)` line one `)` short, "florps"
beside "florp"); the puzzles' words are our own, not a dev item's."""
from __future__ import annotations

import pytest

from hybrid.slips import close_brackets, mend, merge_plural_names, split_names
from solvers.language import parse

HEAD = "from z3 import *\nsolver = Solver()\n"

# (id, program as written, program mended (None: unchanged), notes)
BRACKETS = [
    ("not-one-short",
     HEAD + "# 16. Every blicket is not loud.\nsolver.add(Implies(Bool('blicket'), Not(Bool('loud')))\n"
            "# 17. Every blicket is a tove.\nsolver.add(Implies(Bool('blicket'), Bool('tove')))\nclaim = Bool('bright')",
     HEAD + "# 16. Every blicket is not loud.\nsolver.add(Implies(Bool('blicket'), Not(Bool('loud'))))\n"
            "# 17. Every blicket is a tove.\nsolver.add(Implies(Bool('blicket'), Bool('tove')))\nclaim = Bool('bright')",
     ("line 4: closed )",)),
    ("two-lines-short-and-a-trailing-comment",
     HEAD + "solver.add(Implies(Bool('a'), Not(Bool('b')))  # a (note\nsolver.add(Implies(Bool('b'), Bool('c'))\n"
            "claim = Bool('c')",
     HEAD + "solver.add(Implies(Bool('a'), Not(Bool('b'))))  # a (note\nsolver.add(Implies(Bool('b'), Bool('c')))\n"
            "claim = Bool('c')",
     ("line 3: closed )", "line 4: closed )")),
    ("one-too-many",
     HEAD + "solver.add(Implies(Bool('a'), Bool('b'))))\nclaim = Bool('b')",
     HEAD + "solver.add(Implies(Bool('a'), Bool('b')))\nclaim = Bool('b')",
     ("line 3: dropped 1 extra closing bracket(s)",)),
    ("bracket-inside-a-string-is-text",
     HEAD + "solver.add(Implies(Bool('a('), Bool('b'))\nclaim = Bool('b')",
     HEAD + "solver.add(Implies(Bool('a('), Bool('b')))\nclaim = Bool('b')",
     ("line 3: closed )",)),
    ("a-program-that-parses-is-never-touched",
     HEAD + "solver.add(And(Bool('a'),\n    Bool('b')))\nclaim = Bool('b')", None, ()),
    ("a-deeper-next-line-is-a-continuation",
     HEAD + "solver.add(And(Bool('a'),\n    Bool('b'))\nclaim = Bool('b')", None, ()),
    ("mismatched-brackets-are-not-a-slip",
     HEAD + "solver.add(Implies(Bool('a'), Bool('b')]\nclaim = Bool('b')", None, ()),
    ("an-unterminated-string-is-not-a-slip",
     HEAD + "solver.add(Implies(Bool('a), Bool('b'))\nclaim = Bool('b')", None, ()),
    ("another-error-left-standing",
     HEAD + "solver.add(Implies(Bool('a'), Not(Bool('b')))\nclaim = = Bool('b')", None, ()),
]


@pytest.mark.parametrize("written, mended, notes", [c[1:] for c in BRACKETS], ids=[c[0] for c in BRACKETS])
def test_close_brackets(written, mended, notes):
    program, said = close_brackets(written)
    assert program == (written if mended is None else mended)
    assert tuple(said) == notes
    if mended is not None:
        assert parse(written) is None and parse(program) is not None


NAMES = [
    ("us-uses", "Bool('grumpus')", "Bool('grumpuses')", [("grumpus", "grumpuses")]),
    ("s", "Bool('tove')", "Bool('toves')", [("tove", "toves")]),
    ("y-ies", "Bool('fly')", "Bool(\"flies\")", [("fly", "flies")]),
    ("a-plural-alone-is-a-name", "Bool('dax')", "Bool('rompuses')", []),
    ("unrelated-names", "Bool('red')", "Bool('reddish')", []),
]


@pytest.mark.parametrize("first, second, pairs", [c[1:] for c in NAMES], ids=[c[0] for c in NAMES])
def test_plural_names_are_read_as_their_singular(first, second, pairs):
    program = f"{HEAD}solver.add(Implies(Bool('x'), {first}))\nsolver.add(Implies({second}, Bool('y')))\nclaim = Bool('y')"
    assert split_names(program) == pairs
    merged, notes = merge_plural_names(program)
    if not pairs:
        assert merged == program and notes == []
        return
    singular, plural = pairs[0]
    assert f"Bool('{singular}')" in merged and plural not in merged
    assert notes == [f"'{plural}' read as '{singular}'"] and split_names(merged) == []


def test_names_declared_together_are_found_but_not_renamed():
    program = HEAD + "a, b = Bools('imp imps')\nclaim = a"
    assert split_names(program) == [("imp", "imps")]
    assert merge_plural_names(program) == (program, [])


def test_mend_does_both_and_says_so():
    written = HEAD + ("solver.add(Implies(Bool('florp'), Bool('grumpuses')))\n"
                      "solver.add(Implies(Bool('grumpus'), Not(Bool('red')))\nsolver.add(Bool('florp'))\n"
                      "claim = Bool('red')")
    mended = mend(written)
    assert mended.changes == ("line 4: closed )", "'grumpuses' read as 'grumpus'")
    assert parse(mended.program) is not None and split_names(mended.program) == []
    assert mend(HEAD + "claim = Bool('a')").changes == ()
    assert mend(None).program == "" and mend("").changes == ()


def test_mended_programs_decide_the_claim_in_the_sandbox():
    from solvers import run_program

    written = HEAD + ("solver.add(Implies(Bool('florp'), Bool('grumpuses')))\n"
                      "solver.add(Implies(Bool('grumpus'), Not(Bool('red')))\nsolver.add(Bool('florp'))\n"
                      "claim = Bool('red')")
    assert run_program(written, timeout_s=10).status == "error"
    result = run_program(mend(written).program, timeout_s=10)
    assert result.status == "ok" and result.value == "False"
