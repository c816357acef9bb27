"""`hybrid solve --mode steps` prints the steps as a list and `--graph FILE` draws the path taken; `hybrid
graph --path` marks a saved result's path; bad drawing input is a one-line error with exit code 2."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from hybrid.cli import main
from hybrid.lm.scripted import ScriptedLM

QUIZ = ("Dan, Eve and Fay finished a quiz. Eve scored higher than Dan. Fay did not come first. Dan was not last. "
        "First place wins 40 dollars, second 25 dollars and third 10 dollars. How many dollars did Fay and Dan "
        "win together?")
STEPS = ["```python\nfrom z3 import *\ndan, eve, fay = Ints('dan eve fay')\ns = Solver()\ns.add(Distinct(dan, eve, fay))\n"
         "for p in (dan, eve, fay):\n    s.add(p >= 1, p <= 3)\ns.add(eve < dan, fay != 1, dan != 3)\ns.check()\n"
         "m = s.model()\nfay_place = m[fay].as_long()\ndan_place = m[dan].as_long()\nprint((fay_place, dan_place))\n```",
         "```python\nprize = {1: 40, 2: 25, 3: 10}\nanswer = prize[fay_place] + prize[dan_place]\n```"]


@pytest.fixture
def stepwise(monkeypatch):
    """Every model name resolves to a ScriptedLM that replies with the next of STEPS."""
    def respond(text):
        return STEPS[min(text.count("```output\n") - 3, len(STEPS) - 1)]

    monkeypatch.setattr("hybrid.lm.get_lm", lambda name, **options: ScriptedLM(respond=respond))


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_solve_in_steps_mode_prints_the_steps_as_a_list(stepwise):
    result = run("solve", QUIZ, "--mode", "steps")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Answer: 35" in out and "Steps:" in out
    assert "1. z3 · fay_place = 3, dan_place = 2" in out
    assert "2. sympy · uses dan_place (step 1), fay_place (step 1) · answer = 35" in out
    assert "Answer 35 from step 2 (sympy, answer)" in out


def test_solve_graph_draws_the_path_as_mermaid_and_png(stepwise, tmp_path):
    target = tmp_path / "path.png"
    result = run("solve", QUIZ, "--mode", "steps", "--json", "--graph", str(target))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["answer"] == "35" and data["extra"]["answer_from"] == {"step": 2, "solver": "sympy", "name": "answer"}
    text = (tmp_path / "path.mmd").read_text()
    assert "__start__ ==>|1| propose_step" in text and "propose_step ==>|2| z3" in text
    assert "z3 ==>|3| observe" in text and "observe ==>|4| propose_step" in text
    assert "observe ==>|7| verify" in text and "answer ==>|9| __end__" in text
    assert "__start__ -.-> propose" in text  # the way not taken is drawn, unmarked
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and target.stat().st_size > 10_000


def test_graph_path_marks_a_saved_results_path(stepwise, tmp_path):
    saved = tmp_path / "r.json"
    saved.write_text(run("solve", QUIZ, "--mode", "steps", "--json").stdout)
    png = tmp_path / "p.png"
    result = run("graph", "--path", str(saved), "--png", str(png))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("flowchart TD") and "verify ==>|8| answer" in result.output
    assert "linkStyle" in result.output and png.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("content,message", [
    ("not json", "is not the JSON of a result"),
    ('{"answer": "3"}', "holds no trace"),
    ('{"trace": [1, 2]}', "holds no trace"),
])
def test_graph_path_refuses_bad_input_in_one_line(tmp_path, content, message):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    result = run("graph", "--path", str(bad))
    assert result.exit_code == 2 and message in result.output and result.output.count("\n") == 1


def test_graph_png_without_path_and_graph_with_a_file_are_refused(tmp_path):
    assert run("graph", "--png", str(tmp_path / "x.png")).exit_code == 2
    items = tmp_path / "q.jsonl"
    items.write_text('{"question": "How many?"}\n')
    refused = run("solve", "-f", str(items), "--graph", str(tmp_path / "g"))
    assert refused.exit_code == 2 and "--graph" in refused.output


def test_mode_is_checked_by_the_cli():
    result = run("solve", QUIZ, "--mode", "chain")
    assert result.exit_code == 2 and "chain" in result.output
