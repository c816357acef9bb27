"""benchmarks/check_copies.py: the audit finds an accepted program that copies a shipped exemplar, math or logic."""
from __future__ import annotations

import json

import pytest

from hybrid import prompts
from hybrid.steps import logic_shots

from eval_helpers import benchmark_script


def _script():
    return benchmark_script("check_copies")


def _record(kind: str, question: str, program: str, prediction: str) -> dict:
    return dict(system="hybrid", id="q1", kind=kind, question=question, program=program, prediction=prediction,
                solver_answered=True, fallback_used=False, correct=False, trace=[])


OWN_Z3 = """from z3 import *
solver = Solver()
solver.add(Implies(Bool('cat'), Bool('pet')))
solver.add(Bool('cat'))
claim = Bool('pet')"""


def _cases():
    math = prompts.exemplars("gsm8k_exemplars")[0]
    truth = logic_shots("logic_truth_v2")[0]
    order = logic_shots("logic_order_v2")[1]
    question = "Tom has 3 apples and buys 4 more. How many apples does he have?"
    return [
        ("math copy", _record("number", question, math["program"], str(math["answer"])), 1),
        ("math own", _record("number", question, "answer = 3 + 4", "7"), 0),
        ("truth copy", _record("letter", "Is the following statement true or false? Tom is a pet.",
                               truth["program"], "A"), 1),
        ("order copy", _record("letter", "Which of the following is true?", order["program"], "B"), 1),
        ("logic own", _record("letter", "Is the following statement true or false? Tom is a pet.", OWN_Z3, "A"), 0),
    ]


@pytest.mark.parametrize("name,record,code", _cases(), ids=[c[0] for c in _cases()])
def test_the_audit_flags_a_copied_program_and_passes_an_own_one(tmp_path, capsys, name, record, code):
    run = tmp_path / "run"
    run.mkdir()
    (run / "records.jsonl").write_text(json.dumps(record) + "\n")
    assert _script().main([str(run)]) == code
    printed = capsys.readouterr().out
    assert f"1 accepted or winning programs checked, {code} copies" in printed
    if code:
        assert "a copy of exemplar" in printed


def test_the_logic_exemplars_are_every_formalization_prompts_shots_and_no_cot_text():
    shots = _script().logic_exemplars()
    ids = {shot["id"].split(" shot ")[0] for shot in shots}
    assert ids == {"logic_order_v2", "logic_truth_v2"}
    assert all("from z3 import" in shot["program"] for shot in shots)
