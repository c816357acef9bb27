"""The CLI's rough edges: -f items by schema, one-line usage errors, --version, the scale options, serve's wrapper."""
from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from hybrid.cli import main
from hybrid.lm.scripted import ScriptedLM

SAM = ("Sam buys 4 shirts at 15 dollars each and 3 pairs of pants at 25 dollars each. He pays with a 200 "
       "dollar bill. How many dollars of change does he get?")
GOOD = "```python\nshirts = 4 * 15\npants = 3 * 25\nanswer = 200 - shirts - pants\n```"


@pytest.fixture
def asked(monkeypatch):
    """Every model name resolves to a ScriptedLM; the list records (name, options) of each load."""
    loads: list = []

    def fake_get_lm(name, **options):
        loads.append((name, options))
        return ScriptedLM(respond=lambda prompt: GOOD)

    monkeypatch.setattr("hybrid.lm.get_lm", fake_get_lm)
    return loads


def run(*args, **kw):
    return CliRunner().invoke(main, list(args), **kw)


def write(tmp_path, *records) -> str:
    path = tmp_path / "items.jsonl"
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records))
    return str(path)


def test_unknown_fields_are_ignored_and_counted(asked, tmp_path):
    path = write(tmp_path, {"id": "a", "question": SAM, "source": "x", "difficulty": 3},
                 {"id": "b", "question": SAM, "source": "y", "kind": "math"})
    result = run("solve", "-f", path)
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a", "b"]
    assert result.stderr.strip() == "note: ignored fields not in the item schema: difficulty (1), source (2)"


def test_a_bad_kind_is_one_line_naming_the_item_before_any_model_loads(asked, tmp_path):
    path = write(tmp_path, {"id": "a", "question": SAM}, {"id": "q7", "question": SAM, "kind": "arithmetic"})
    result = run("solve", "-f", path)
    assert result.exit_code == 2 and result.stdout == "" and asked == []
    assert result.stderr.strip().splitlines() == [
        f'Error: {path} line 2 (id "q7"): kind must be math or logic, got "arithmetic" '
        "(--skip-bad runs the other items)"]


def test_skip_bad_runs_the_other_items_and_names_the_skipped(asked, tmp_path):
    path = write(tmp_path, {"id": "a", "question": SAM}, "not json", {"id": 3, "question": SAM, "kind": 5},
                 {"id": "d", "question": SAM, "options": "A) x"}, {"id": "e", "question": SAM})
    result = run("solve", "-f", path, "--skip-bad")
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a", "e"]
    notes = result.stderr.strip().splitlines()
    assert notes == [f"note: skipped: {path} line 2: not JSON (expected one object per line)",
                     f"note: skipped: {path} line 3 (id 3): kind must be math or logic, got 5",
                     f'note: skipped: {path} line 4 (id "d"): options must be a list of non-empty strings']


def test_skip_bad_with_nothing_good_left_is_an_error(asked, tmp_path):
    path = write(tmp_path, {"question": ""})
    result = run("solve", "-f", path, "--skip-bad")
    assert result.exit_code == 2 and "no questions" in result.stderr and "1 bad" in result.stderr
    assert asked == []


def test_items_reach_the_engine_with_their_declared_fields(asked, tmp_path, monkeypatch):
    from hybrid.engine import Engine

    seen = []
    original = Engine.solve_many
    monkeypatch.setattr(Engine, "solve_many", lambda self, items, progress=None: seen.extend(items) or
                        original(self, items, progress))
    path = write(tmp_path, {"id": 1, "question": SAM, "kind": "math", "junk": True})
    assert run("solve", "-f", path).exit_code == 0
    assert seen == [{"question": SAM, "id": 1, "context": None, "options": None, "kind": "math"}]


@pytest.mark.parametrize("args,words", [
    (["solve", SAM, "--max-repairs", "-1"], "--max-repairs"),
    (["solve", SAM, "--temperature", "9"], "--temperature"),
    (["solve", "-f", "/tmp"], "is a directory"),
    (["solve", SAM, "--no-such-option"], "--no-such-option"),
    (["solve"], "give a QUESTION"),
    (["solve", SAM, "--workers", "0"], "--workers"),
    (["solve", SAM, "--concurrency", "4"], "--concurrency applies to an OpenAI-compatible server"),
    (["serve", "--port", "70000"], "--port"),
    (["bench", "--limit", "x"], "--limit"),
    (["bench", "--dataset", "gsm8k"], "Missing option '--out'"),
    (["no-such-command"], "No such command"),
])
def test_usage_errors_are_one_line_with_exit_code_2(asked, args, words):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and words in lines[0], result.stderr
    assert "Usage:" not in result.stderr and asked == []


def test_version_names_the_libraries_and_the_model():
    result = run("--version")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("hybrid ") and lines[1].startswith("solver sandbox: ")
    from importlib.metadata import version

    libraries = lines[2].split(" · ")
    for shown, dist in (("torch", "torch"), ("transformers", "transformers"), ("langgraph", "langgraph"),
                        ("sympy", "sympy"), ("z3", "z3-solver")):
        assert f"{shown} {version(dist)}" in libraries
    from hybrid.lm.torch_setup import cpu_description

    assert lines[3].startswith(f"cpu: {cpu_description()}; ") and lines[3].endswith(" threads")
    assert lines[4].startswith("model: qwen2.5-coder-0.5b (the default) = Qwen/Qwen2.5-Coder-0.5B-Instruct-GGUF")


def test_workers_sizes_the_solver_pool_through_its_variable(asked, monkeypatch):
    monkeypatch.setenv("HYBRID_SOLVER_WORKERS", "2")
    assert run("solve", SAM, "--json", "--workers", "3").exit_code == 0
    assert os.environ["HYBRID_SOLVER_WORKERS"] == "3"
    monkeypatch.delenv("HYBRID_SOLVER_WORKERS")
    assert run("solve", SAM, "--json").exit_code == 0
    assert os.environ["HYBRID_SOLVER_WORKERS"] == str(os.cpu_count())  # default: the machine's cores


def test_concurrency_reaches_an_openai_backend(asked):
    result = run("solve", SAM, "--json", "--model", "openai:m", "--base-url", "http://127.0.0.1:9/v1",
                 "--concurrency", "12")
    assert result.exit_code == 0, result.output
    assert asked == [("openai:m", {"max_concurrency": 12, "base_url": "http://127.0.0.1:9/v1"})]


def test_serve_is_a_thin_wrapper_over_hybrid_server_serve(asked, monkeypatch):
    calls = []
    monkeypatch.setattr("hybrid.server.serve", lambda engine, **kw: calls.append((engine, kw)))
    result = run("serve", "--port", "0", "--max-repairs", "1", env={"HYBRID_SERVE_API_KEY": "k1"})
    assert result.exit_code == 0, result.output
    [(engine, kw)] = calls
    assert engine.settings.max_repairs == 1 and isinstance(engine.lm, ScriptedLM)
    assert (kw["host"], kw["port"], kw["api_key"]) == ("127.0.0.1", 0, "k1")
    assert "warning" not in result.stderr
    result = run("serve", "--host", "0.0.0.0", "--port", "0")
    assert result.exit_code == 0 and "without --api-key" in result.stderr
    assert calls[-1][1]["api_key"] is None
