"""Grading in three columns: strict-match, flexible-extract and Math-Verify (run in the solvers' worker)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from evals.grading import answer_text, math_verify_correct, numbers_match, score
from solvers import math_verify

# verbatim cot text of the bundled 0.5B model, GSM8K test problem 16 (docs/reference/gsm8k-test-200-fp32):
# the one text of that run where Math-Verify and our readers disagree (it reads the equation's result)
TRAINS = ("The distance covered by each train in the two days is 80 miles westward and 150 miles northward.\n"
          "The answer is 80 + 150 = 230 miles.")


@pytest.mark.parametrize("pred,gold,tol,ok", [("18", "18", 1e-6, True), ("18.0000001", "18", 1e-6, True),
                                              ("18.01", "18", 1e-6, False), ("18.01", "18", 1e-3, True),
                                              ("0.333333", "1/3", 1e-5, True), (None, "18", 1e-6, False),
                                              ("1200", "1,200", 1e-6, True), ("-3", "3", 1e-6, False),
                                              ("7/2", "3.5", 1e-6, True), ("x + 1", "1", 1e-6, False)])
def test_numbers_match(pred, gold, tol, ok):
    assert numbers_match(pred, gold, tol) is ok


@pytest.mark.parametrize("gold,prediction,verdict", [
    ("18", "She makes 9 * 2 = $18.\nThe answer is 18.", True),
    ("18", "The answer is 17.", False),
    ("1200", "So the total is \\boxed{1,200}.", True),
    ("0.5", "\\frac{1}{2}", True),
    ("7", "7.0", True),
    ("230", TRAINS, True),
    ("3", "no numbers at all", False),
    ("not a number", "3", None),  # a gold Math-Verify cannot parse: undecided, not wrong
])
def test_math_verify_verdicts(gold, prediction, verdict):
    assert math_verify(gold, prediction) is verdict


def test_math_verify_never_runs_in_the_callers_process():
    code = ("import sys; from solvers import math_verify; v = math_verify('18', 'The answer is 18.'); "
            "print(v, 'math_verify' in sys.modules, 'sympy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["True", "False", "False"], out.stderr[-500:]


def test_math_verify_refuses_bad_input_without_raising():
    assert math_verify(None, "3") is None and math_verify("3", 3) is None  # type: ignore[arg-type]
    assert math_verify("3", "3", timeout_s=-1) is None


def record(**fields):
    base = dict(kind="number", gold="230", route=None, fallback_used=None, output=TRAINS,
                prediction_strict="80", prediction_flexible="80")
    return dict(base, **fields)


def test_three_columns_where_the_readers_and_math_verify_disagree():
    graded = score(record())
    assert (graded["correct_strict"], graded["correct_flexible"], graded["correct_math_verify"]) == (False, False, True)
    assert graded["correct"] is False and graded["prediction"] == "80"  # the primary metric stays flexible


def test_math_verify_reads_the_text_the_answer_came_from():
    assert answer_text(record()) == TRAINS                                          # a prompted baseline
    assert answer_text(record(route="fallback", fallback_used=True)) == TRAINS      # the hybrid's fallback
    solver = record(route="sympy", fallback_used=False, output="```python\nanswer = 230\n```",
                    prediction_flexible="230")
    assert answer_text(solver) == "230" and math_verify_correct(solver) is True     # a program's value
    assert answer_text(record(output=["a", "b"], prediction_flexible="7")) == "7"   # cot-sc: the vote
    assert math_verify_correct(record(route="sympy", prediction_flexible=None)) is False


def test_letters_get_no_math_verify_column():
    graded = score(dict(kind="letter", gold="B", prediction_strict=None, prediction_flexible="B",
                        output="The answer is B."))
    assert graded["correct"] is True and graded["correct_math_verify"] is None


def test_a_report_grades_old_records_with_math_verify(tmp_path):
    """Records made before the column existed (no correct_math_verify) get it when the report is built."""
    from evals.report import build_report

    old = [dict(system="cot", id=f"q{i}", **record(), correct_strict=False, correct_flexible=False, correct=False,
                prediction="80", tokens=10) for i in range(2)]
    old[1]["output"] = "I think 80 + 150 = 230. So 80."
    (tmp_path / "records.jsonl").write_text("".join(json.dumps(r) + "\n" for r in old))
    (tmp_path / "config.json").write_text(json.dumps({"dataset": "gsm8k", "split": "test", "systems": ["cot"]}))
    summary = build_report(tmp_path, plot=False)
    cot = summary["systems"]["cot"]
    assert (cot["accuracy"], cot["accuracy_strict"], cot["accuracy_math_verify"]) == (0.0, 0.0, 0.5)
    assert cot["math_verify_undecided"] == 0
    table = (tmp_path / "results.md").read_text()
    assert "| math-verify |" in table and "| cot | 2 | 0.0% |" in table and "| 50.0% |" in table
