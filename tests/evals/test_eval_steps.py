"""`hybrid bench` in steps mode: the mixed set through the real Engine and solvers (scripted model), the
mode recorded in the run's config, and each step of all the questions sent as one generate call."""
from __future__ import annotations

import json

from click.testing import CliRunner

from evals.runfiles import read_records
from evals.runner import run_bench
from evals.settings import BenchSettings
from hybrid.lm.scripted import ScriptedLM

RACE = ["```python\nfrom z3 import *\nava, bo, cy, di = Ints('ava bo cy di')\ns = Solver()\n"
        "s.add(Distinct(ava, bo, cy, di))\nfor p in (ava, bo, cy, di):\n    s.add(p >= 1, p <= 4)\n"
        "s.add(bo < di, cy == ava + 1, di != 4, ava != 1)\ns.check()\nm = s.model()\n"
        "cy_place = m[cy].as_long()\ndi_place = m[di].as_long()\nprint((cy_place, di_place))\n```",
        "```python\nprize = {1: 100, 2: 60, 3: 30, 4: 10}\nanswer = prize[cy_place] + prize[di_place]\n```"]
BOOKS = ["```python\nfrom z3 import *\nred, blue, green, yellow, white = Ints('red blue green yellow white')\n"
         "s = Solver()\ns.add(Distinct(red, blue, green, yellow, white))\n"
         "for b in (red, blue, green, yellow, white):\n    s.add(b >= 1, b <= 5)\n"
         "s.add(green == red + 1, Or(blue == 1, blue == 5), white == 3, Or(yellow == blue + 1, yellow == blue - 1), "
         "red != 1)\ns.check()\nm = s.model()\nyellow_place = m[yellow].as_long()\nprint(yellow_place)\n```",
         "```python\nanswer = 4 * yellow_place\n```"]


def respond(text: str) -> str:
    last = text.rsplit("Question:", 1)[-1]
    script = RACE if "Four runners" in last else BOOKS
    return script[min(text.count("```output\n") - 3, 1)]


def test_the_mixed_set_in_steps_mode_end_to_end(tmp_path):
    lm = ScriptedLM(respond=respond)
    out = tmp_path / "run"
    settings = BenchSettings.of(dataset="mixed", limit=2, systems=("hybrid",), mode="steps", batch_size=8)
    summary = run_bench(settings, out=out, lm=lm, progress=False)
    records = {r["id"]: r for r in read_records(out / "records.jsonl")}
    assert summary["systems"]["hybrid"]["correct"] == 2
    for ident, answer in (("mixed-01", "70"), ("mixed-02", "8")):
        record = records[ident]
        assert record["prediction"] == answer and record["route"] == "sympy+z3" and record["solver_answered"]
        assert [s["node"] for s in record["trace"]][:3] == ["propose_step", "z3", "observe"]
        assert "answer" in record["output"]
    assert [len(call["prompts"]) for call in lm.calls] == [2, 2]  # step 1 of both, then step 2 of both
    config = json.loads((out / "config.json").read_text())
    assert config["engine_settings"]["mode"] == "steps" and config["engine_settings"]["max_steps"] == 4


def test_bench_takes_mode_and_lists_the_mixed_set():
    from evals.cli import bench

    listed = CliRunner().invoke(bench, ["--list"])
    assert listed.exit_code == 0 and "mixed" in listed.output
    refused = CliRunner().invoke(bench, ["--mode", "chain", "--out", "x"])
    assert refused.exit_code == 2 and "chain" in refused.output


def test_hybrid_and_hybrid_steps_in_one_run_are_paired_in_the_report(tmp_path):
    def answer_in_one_program(text):
        if "short steps" in text:  # the step prompt's system message
            return respond(text)
        return "```python\nanswer = 0\n```" if "Python program" in text or "z3" in text else "The answer is 0."

    lm = ScriptedLM(respond=answer_in_one_program)
    settings = BenchSettings.of(dataset="mixed", limit=2, systems=("hybrid", "hybrid-steps"), max_repairs=0)
    summary = run_bench(settings, out=tmp_path / "run", lm=lm, progress=False)
    assert summary["systems"]["hybrid-steps"]["correct"] == 2 and summary["systems"]["hybrid"]["correct"] == 0
    paired = summary["comparisons"]["hybrid vs hybrid-steps"]
    assert paired["hybrid-steps_only_correct"] == 2 and paired["hybrid_only_correct"] == 0
    config = json.loads((tmp_path / "run" / "config.json").read_text())
    assert config["budgets"]["hybrid-steps"]["mode"] == "steps" and config["budgets"]["hybrid"]["mode"] == "program"
