"""benchmarks/combine_runs.py: one report over runs of the same benchmark made apart (other offsets)."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from evals.runner import run_bench
from evals.settings import BenchSettings
from hybrid.lm.scripted import ScriptedLM

from eval_helpers import gold_for

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "combine_runs.py"


def _script():
    spec = importlib.util.spec_from_file_location("combine_runs", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(gsm8k_dir, out, *, offset, limit, wrong_ids=()):
    """cot on problems offset..offset+limit-1: right except on the questions whose gold is in wrong_ids."""
    lm = ScriptedLM(respond=lambda text: f"The answer is {'999' if gold_for(text) in wrong_ids else gold_for(text)}.")
    settings = BenchSettings.of(dataset="gsm8k", data=gsm8k_dir, offset=offset, limit=limit, systems=("cot",))
    run_bench(settings, out=out, lm=lm, progress=False)
    return out


def test_two_runs_are_pooled_into_one_table(gsm8k_dir, tmp_path, capsys):
    first = _run(gsm8k_dir, tmp_path / "a", offset=0, limit=2)
    second = _run(gsm8k_dir, tmp_path / "b", offset=2, limit=3, wrong_ids=("60",))
    config = json.loads((second / "config.json").read_text())
    config["engine_settings"] = dict(config.get("engine_settings") or {}, changed=True)
    (second / "config.json").write_text(json.dumps(config))
    assert _script().main([str(first), str(second)]) == 0
    out = capsys.readouterr().out
    assert "5 problems" in out
    assert "| cot | 5 | 80.0% |" in out  # 4 of 5: problem 3's gold (60) was answered 999
    differing = [line for line in out.splitlines() if line.startswith("- differs: ")]
    assert "- differs: engine_settings.changed: null | true" in differing
    assert any(line.startswith("- differs: offset: 0 | 2") for line in differing)


def test_overlapping_runs_are_refused(gsm8k_dir, tmp_path, capsys):
    first = _run(gsm8k_dir, tmp_path / "a", offset=0, limit=2)
    second = _run(gsm8k_dir, tmp_path / "b", offset=1, limit=2)
    with pytest.raises(SystemExit) as exc:
        _script().main([str(first), str(second)])
    assert exc.value.code == 2
    assert "is in both" in capsys.readouterr().err


def test_runs_of_other_benchmarks_are_refused(gsm8k_dir, tmp_path, capsys):
    first = _run(gsm8k_dir, tmp_path / "a", offset=0, limit=1)
    second = _run(gsm8k_dir, tmp_path / "b", offset=1, limit=1)
    config = json.loads((second / "config.json").read_text())
    (second / "config.json").write_text(json.dumps(dict(config, split="train")))
    with pytest.raises(SystemExit) as exc:
        _script().main([str(first), str(second)])
    assert exc.value.code == 2 and "differ in split" in capsys.readouterr().err


def test_a_missing_run_is_a_one_line_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        _script().main([str(tmp_path / "nothing")])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot read the run in ") and err.count("\n") == 1
