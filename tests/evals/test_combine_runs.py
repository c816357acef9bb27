"""benchmarks/combine_runs.py: one report over runs of the same benchmark made apart (other offsets)."""
from __future__ import annotations

import json

import pytest

from evals.runner import run_bench
from evals.settings import BenchSettings
from hybrid.lm.scripted import ScriptedLM

from eval_helpers import benchmark_script, gold_for


def _script():
    return benchmark_script("combine_runs")


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
    assert _script().main([str(first), str(second), "--out", str(tmp_path / "pooled")]) == 0
    out = capsys.readouterr().out
    assert "5 problems" in out
    assert "| cot | 5 | 80.0% |" in out  # 4 of 5: problem 3's gold (60) was answered 999
    differing = [line for line in out.splitlines() if line.startswith("- differs: ")]
    assert "- differs: engine_settings.changed: null | true" in differing
    assert any(line.startswith("- differs: offset: 0 | 2") for line in differing)
    pooled = json.loads((tmp_path / "pooled" / "results.json").read_text())
    assert pooled["systems"]["cot"]["n"] == 5 and pooled["systems"]["cot"]["accuracy"] == 0.8
    assert "- differs: engine_settings.changed: null | true" in (tmp_path / "pooled" / "results.md").read_text()
    assert (tmp_path / "pooled" / "results.png").stat().st_size > 0
    assert not (tmp_path / "pooled" / "records.jsonl").exists()


def test_logic_runs_with_no_tolerance_pool_under_reconcile(logic_dir, tmp_path, capsys):
    """A letter dataset's config records tolerance null: the pooled runs read it as the default."""
    program = ("```python\nfrom z3 import *\nsolver = Solver()\nsolver.add(Implies(Bool('wumpus'), Bool('red')))\n"
               "solver.add(Bool('wumpus'))\nclaim = Bool('red')\n```")
    runs = []
    for offset in (0, 2):
        settings = BenchSettings.of(dataset="prontoqa", data=logic_dir, offset=offset, limit=2, systems=("hybrid",),
                                    samples=3)
        run_bench(settings, out=tmp_path / str(offset), lm=ScriptedLM(respond=lambda text: program), progress=False)
        assert json.loads((tmp_path / str(offset) / "config.json").read_text())["tolerance"] is None
        runs.append(str(tmp_path / str(offset)))
    assert _script().main(runs + ["--reconcile", "hybrid"]) == 0
    assert "| hybrid | 4 | 50.0% |" in capsys.readouterr().out  # the claim is true in pq_0 and pq_2 only


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


def _before_reconcile(plain_said: str, gold: str = "7") -> dict:
    """A hybrid record as runs made before the reconcile node wrote it: a vote below the bar (0.4 < 0.5),
    then plain reasoning's own answer."""
    vote = "5 x2, 7 x1, 6 x1, 8 x1 of 5 programs -> 5 (0.4)"
    return dict(system="hybrid", id="gsm8k/test/0", kind="number", gold=gold, output=f"So {plain_said}.",
                route="fallback", status="fallback", fallback_used=True, solver_answered=False, confidence=None,
                prediction_strict=plain_said, prediction_flexible=plain_said, prediction=plain_said,
                trace=[dict(node="vote", output=vote), dict(node="fallback", output=f"So {plain_said}.")])


@pytest.mark.parametrize("said,answer,share,right", [
    ("7", "7", 0.2, True),    # plain reasoning agrees with a program's answer: that answer, now a solver's
    ("9", "5", 0.4, False),   # it agrees with none: the vote's winner
])
def test_a_run_before_reconcile_is_replayed_as_the_engine_now_answers(said, answer, share, right):
    replay = benchmark_script("replay_vote")
    new = replay.reconciled(_before_reconcile(said), 0.5, 1e-6)
    assert (new["prediction"], new["correct"], new["correct_strict"]) == (answer, right, right)
    assert new["confidence"] == pytest.approx(share)
    assert new["solver_answered"] and not new["fallback_used"] and new["replayed"] == "reconcile"
    reconciled_run = dict(_before_reconcile(said), trace=[dict(node="vote"), dict(node="reconcile")])
    assert replay.reconciled(reconciled_run, 0.5, 1e-6) is reconciled_run  # made with reconcile: as it is
