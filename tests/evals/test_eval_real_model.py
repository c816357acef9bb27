"""The harness with the bundled model (marked real_model: slow, run by CI's full suite).

Two GSM8K test problems through cot, pal and hybrid with one shared model object: every record is
written, scored, and the summary has the documented shape. It checks plumbing, not accuracy.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.datasets import data_dir
from evals.runfiles import read_records
from evals.runner import run_bench
from evals.settings import BenchSettings

pytestmark = pytest.mark.real_model


def _gsm8k_dir() -> Path:
    root = data_dir() or Path("no-data-dir")  # the harness's own lookup: $HYBRID_DATA_DIR, else ../shared/data
    for candidate in (root / "gsm8k", root):
        if (candidate / "test.jsonl").exists():
            return candidate
    pytest.skip("GSM8K data not found (set HYBRID_DATA_DIR)")


def test_two_problems_end_to_end(tmp_path):
    from hybrid.lm import get_lm
    lm = get_lm("qwen2.5-coder-0.5b")
    out = tmp_path / "run"
    settings = BenchSettings.of(dataset="gsm8k", data=_gsm8k_dir(), split="test", limit=2,
                                systems=("cot", "pal", "hybrid"), shots=4, cot_tokens=200, program_tokens=160)
    summary = run_bench(settings, lm=lm, out=out, progress=False)
    recs = read_records(out / "records.jsonl")
    assert sorted((r["system"], r["id"]) for r in recs) == sorted(
        (s, f"gsm8k/test/{i}") for s in ("cot", "pal", "hybrid") for i in range(2))
    for r in recs:
        assert r["completion_tokens"] > 0 and r["prompt_tokens"] > 0
        assert isinstance(r["correct"], bool)
    assert {r["route"] for r in recs if r["system"] == "hybrid"} <= {"sympy", "z3", "sympy+z3", "fallback", "none"}
    results = json.loads((out / "results.json").read_text())
    assert set(results["systems"]) == {"cot", "pal", "hybrid"}
    assert results["systems"]["cot"]["n"] == 2 and "hybrid vs cot" in summary["comparisons"]
