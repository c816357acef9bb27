"""The harness with the real solvers and the real Engine (scripted model): pal and hybrid end to end."""
from __future__ import annotations

import json

from evals.runfiles import read_records
from evals.runner import run_bench
from evals.settings import BenchSettings
from hybrid.lm.scripted import ScriptedLM

from eval_helpers import GOLDS, gold_for, program_for


def test_pal_and_hybrid_with_real_solvers_and_engine(gsm8k_dir, tmp_path):
    def respond(text: str) -> str:
        gold = gold_for(text)
        if "writing a short Python program" in text:
            if gold == "60":
                return "```python\nanswer = undefined_name * 2\n```"  # a broken program
            if gold == "1200":
                return "```python\nfrom sympy import symbols\nx = symbols('x')\nanswer = 3 * x / 4\n```"
            return f"```python\n{program_for(text)}\n```"
        return f"Reasoning. The answer is {gold}."

    lm = ScriptedLM(respond=respond)
    out = tmp_path / "run"
    settings = BenchSettings.of(dataset="gsm8k", data=gsm8k_dir, systems=("pal", "hybrid"), batch_size=8, max_repairs=1)
    summary = run_bench(settings, out=out, lm=lm, progress=False)
    pal = {r["id"]: r for r in read_records(out / "records.jsonl") if r["system"] == "pal"}
    hybrid = {r["id"]: r for r in read_records(out / "records.jsonl") if r["system"] == "hybrid"}
    # pal runs the program once: the broken one is an error, not repaired, not answered in prose
    assert pal["gsm8k/test/3"]["correct"] is False and pal["gsm8k/test/3"]["error"]
    assert pal["gsm8k/test/0"]["route"] == "sympy" and pal["gsm8k/test/0"]["prediction"] == GOLDS[0]
    assert summary["systems"]["pal"]["correct"] == 3
    symbolic = pal["gsm8k/test/1"]  # the solver ran fine but its value is an expression, not a number
    assert symbolic["prediction"] is None and "is not a number" in symbolic["error"]
    # hybrid: the broken program is repaired (the repair is still broken) and then answered by the fallback
    h3 = hybrid["gsm8k/test/3"]
    assert h3["fallback_used"] is True and h3["route"] == "fallback" and h3["correct"] is True
    assert h3["solver_answered"] is False and h3["repairs"] == 1
    assert [s["node"] for s in hybrid["gsm8k/test/0"]["trace"]][:2] == ["propose", "sympy"]
    h = summary["systems"]["hybrid"]
    assert h["correct"] == 5 and h["solver_answered"]["n"] == 3 and h["routes"]["fallback"]["n"] == 2
    assert summary["comparisons"]["hybrid vs pal"]["c"] == 0 and summary["comparisons"]["hybrid vs pal"]["b"] == 2
    # pal: one generate call for the batch; the engine: one call per graph step for the questions still there
    assert len(lm.calls[0]["prompts"]) == 5 and len(lm.calls[1]["prompts"]) == 5
    assert json.loads((out / "results.json").read_text())["systems"]["hybrid"]["fallback_rate"] == 0.4
