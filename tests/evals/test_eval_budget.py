"""Honest comparison at equal budget: cot-sc with the vote's k, temperature and top_p; pal@k (the vote
without repair or fallback) and hybrid@1 as systems of their own, so each piece's lift is its own row."""
from __future__ import annotations

import json

from evals.runfiles import read_records
from evals.runner import run_bench
from evals.settings import BenchSettings
from hybrid.lm.scripted import ScriptedLM

from eval_helpers import FakeEngine, gold_for, program_for


def bench(gsm8k_dir, out, lm, *, engine_factory=None, **fields):
    settings = BenchSettings.of(dataset="gsm8k", data=gsm8k_dir, **fields)
    return run_bench(settings, out=out, lm=lm, engine_factory=engine_factory, progress=False)


def test_cot_sc_samples_as_the_vote_does(gsm8k_dir, tmp_path):
    lm = ScriptedLM(respond=lambda text: f"The answer is {gold_for(text)}.")
    bench(gsm8k_dir, tmp_path / "r", lm, limit=2, systems=("cot-sc",), samples=4, sample_temperature=0.6, top_p=0.8)
    [call] = lm.calls
    assert (call["n"], call["temperature"], call["top_p"], call["greedy_first"]) == (4, 0.6, 0.8, True)
    config = json.loads((tmp_path / "r" / "config.json").read_text())
    assert config["budgets"]["cot-sc"]["samples"] == 4 and config["settings"]["sc_temperature"] == 0.6
    assert config["settings"]["sc_samples"] == 4


def test_sc_samples_still_overrides_k(gsm8k_dir, tmp_path):
    lm = ScriptedLM(respond=lambda text: "The answer is 7.")
    bench(gsm8k_dir, tmp_path / "r", lm, limit=1, systems=("cot-sc",), samples=4, sc_samples=2)
    assert lm.calls[0]["n"] == 2


def test_each_engine_system_runs_with_its_own_settings(gsm8k_dir, tmp_path):
    created = []

    def factory(lm, settings):
        engine = FakeEngine(lm, {f"gsm8k/test/{i}": ("sympy", "ok", "7", "") for i in range(5)}, settings)
        created.append(engine)
        return engine

    lm = ScriptedLM(respond=lambda text: "x")
    summary = bench(gsm8k_dir, tmp_path / "r", lm, limit=2, systems=("hybrid", "hybrid@1", "pal@k"), samples=5,
                    engine_factory=factory)
    by_k = [(e.settings.samples, e.settings.max_repairs, e.settings.abstain, e.settings.min_confidence)
            for e in created]
    assert by_k == [(5, 2, False, 0.5), (1, 2, False, 0.5), (5, 0, True, 0.0)]
    assert set(summary["systems"]) == {"hybrid", "hybrid@1", "pal@k"}
    assert {"hybrid vs hybrid@1", "hybrid vs pal@k"} <= set(summary["comparisons"])
    assert summary["systems"]["pal@k"]["budget"]["max_repairs"] == 0


def test_pal_at_k_and_hybrid_at_k_with_the_real_engine(gsm8k_dir, tmp_path):
    """pal@k leaves unanswered what no verified sample answers; hybrid@k repairs and falls back there."""
    def respond(text: str) -> str:
        if "Do not write code" in text:
            return f"Reasoning. The answer is {gold_for(text)}."
        if gold_for(text) == "60":  # every sample broken, and every repair
            return "```python\nanswer = undefined_name * 2\n```"
        return f"```python\n{program_for(text)}\n```"

    lm = ScriptedLM(respond=respond)
    out = tmp_path / "r"
    summary = bench(gsm8k_dir, out, lm, systems=("pal@k", "hybrid"), samples=3, max_repairs=1, batch_size=8)
    recs = {(r["system"], r["id"]): r for r in read_records(out / "records.jsonl")}
    pal_k, hybrid = recs[("pal@k", "gsm8k/test/3")], recs[("hybrid", "gsm8k/test/3")]
    assert pal_k["status"] == "unsure" and pal_k["prediction"] is None and pal_k["abstained"] is True
    assert pal_k["repairs"] == 0 and not pal_k["fallback_used"]
    assert hybrid["status"] == "fallback" and hybrid["correct"] and hybrid["repairs"] == 1
    answered = recs[("pal@k", "gsm8k/test/0")]
    assert answered["confidence"] == 1.0 and answered["correct"] and answered["route"] == "sympy"
    votes = [s for s in answered["trace"] if s["node"] == "samples"]
    assert len(votes) == 3
    assert summary["systems"]["pal@k"]["calibration"][">=0.8"]["n"] == 4  # all but the broken one (unsure)
    assert summary["systems"]["hybrid"]["fallback"]["n"] >= 1  # fallback answers are reported apart
    md = (out / "results.md").read_text()
    assert "Confidence (the answer's share of the programs written)" in md and "Unsure: 1" in md


def disagreeing_then_plain_reasoning() -> ScriptedLM:
    """Three programs per question that disagree (gold+1, gold+2, gold: below the bar), and plain reasoning
    that gives the gold (so it agrees with the third)."""
    count = [0]

    def respond(text: str) -> str:
        if "Do not write code" in text:
            return f"Reasoning. The answer is {gold_for(text)}."
        count[0] += 1
        return f"```python\n{program_for(text)}\nanswer = answer + {count[0] % 3}\n```"

    return ScriptedLM(respond=respond)


def test_a_reconciled_vote_is_recorded_and_reported(gsm8k_dir, tmp_path):
    """Three programs that disagree (below the bar), then plain reasoning that agrees with one of them."""
    out = tmp_path / "r"
    summary = bench(gsm8k_dir, out, disagreeing_then_plain_reasoning(), limit=1, systems=("hybrid",), samples=3)
    [record] = read_records(out / "records.jsonl")
    assert record["reconciled"] == "agreed" and record["correct"] and record["solver_answered"]
    assert record["fallback_used"] is False and record["confidence"] == 0.3333
    agreed = summary["systems"]["hybrid"]["reconciled"]["agreed"]
    assert (agreed["n"], agreed["correct"]) == (1, 1)
    assert "it agreed with a program's answer on 1 (1 correct)" in (out / "results.md").read_text()


def test_replay_vote_reads_a_reconciled_run(gsm8k_dir, tmp_path, capsys):
    """benchmarks/replay_vote.py on a run the engine reconciled: what each rule gives at each threshold."""
    import importlib.util
    from pathlib import Path

    out = tmp_path / "r"
    bench(gsm8k_dir, out, disagreeing_then_plain_reasoning(), limit=1, systems=("hybrid",), samples=3)
    script = Path(__file__).resolve().parents[2] / "benchmarks" / "replay_vote.py"
    spec = importlib.util.spec_from_file_location("replay_vote", script)
    replay = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(replay)
    assert replay.main([str(out), "--thresholds", "0.3,0.5,0.6"]) == 0
    rows = {line.split(" | ")[0].strip("| "): line for line in capsys.readouterr().out.splitlines()}
    assert rows["0.5"] == "| 0.5 | 1/1 (100.0%) | 1/1 (100.0%) |"  # plain reasoning said the gold: both rules right
    assert rows["0.3"] == "| 0.3 | 0/1 (0.0%) | 0/1 (0.0%) |"      # 1 of 3 clears 0.3: the greedy gold+1 wins
    assert "not replayed" in rows["0.6"]


def test_replay_slips_reads_a_voting_logic_run(logic_dir, tmp_path, capsys):
    """benchmarks/replay_slips.py on a run made with the slips kept: the replay reproduces the run's votes
    as run, and mended, the plural name no longer breaks the chain."""
    import importlib.util
    from pathlib import Path

    slipped = ("```python\nfrom z3 import *\nsolver = Solver()\n# 1. Wumpuses are red.\n"
               "solver.add(Implies(Bool('wumpuses'), Bool('red')))\n# 2. Max is a wumpus.\n"
               "solver.add(Bool('wumpus'))\nclaim = Bool('red')\n```")
    lm = ScriptedLM(respond=lambda text: slipped)
    out = tmp_path / "r"
    settings = BenchSettings.of(dataset="prontoqa", data=logic_dir, limit=2, systems=("hybrid",), samples=3,
                                mend_slips=False, max_repairs=0)
    run_bench(settings, out=out, lm=lm, progress=False)
    assert not any(r["solver_answered"] for r in read_records(out / "records.jsonl"))
    script = Path(__file__).resolve().parents[2] / "benchmarks" / "replay_slips.py"
    spec = importlib.util.spec_from_file_location("replay_slips", script)
    replay = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(replay)
    assert replay.main([str(out)]) == 0
    printed = capsys.readouterr().out
    assert ("2 problems, 6 programs, 6 changed by mend_slips; the vote's bar is 0.5; the run had mend_slips off, "
            "and 0 of its replayed votes differ") in printed
    rows = {line.split(" | ")[0].strip("| "): line for line in printed.splitlines()}
    assert rows["correct"] == "| correct | 0 | 3 |" and rows["wrong letter"] == "| wrong letter | 0 | 3 |"
    assert rows["names"] == "| names | 6 | 0 |"
    assert rows["right"] == "| right | 0 | 1 |" and rows["no verified answer"] == "| no verified answer | 2 | 0 |"
    assert rows["pq_0"] == "| pq_0 | A | - - - | A A A |"


def test_replay_slips_replays_one_switch_alone(logic_dir, tmp_path, capsys):
    """--setting read_polarity on a run made with the written "not" kept: off reproduces the run's votes, on
    gives the fact its own polarity (the brackets and names are mended both ways)."""
    import importlib.util
    from pathlib import Path

    slipped = ("```python\nfrom z3 import *\nsolver = Solver()\n# 1. Wumpuses are red.\n"
               "solver.add(Implies(Bool('wumpus'), Not(Bool('red')))\n# 2. Max is a wumpus.\n"
               "solver.add(Bool('wumpus'))\nclaim = Bool('red')\n```")
    out = tmp_path / "r"
    settings = BenchSettings.of(dataset="prontoqa", data=logic_dir, limit=2, systems=("hybrid",), samples=3,
                                read_polarity=False, max_repairs=0)
    run_bench(settings, out=out, lm=ScriptedLM(respond=lambda text: slipped), progress=False)
    script = Path(__file__).resolve().parents[2] / "benchmarks" / "replay_slips.py"
    spec = importlib.util.spec_from_file_location("replay_slips", script)
    replay = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(replay)
    assert replay.main([str(out), "--setting", "read_polarity"]) == 0
    printed = capsys.readouterr().out
    assert ("2 problems, 6 programs, 6 changed by read_polarity; the vote's bar is 0.5; the run had read_polarity "
            "off, and 0 of its replayed votes differ") in printed
    rows = {line.split(" | ")[0].strip("| "): line for line in printed.splitlines()}
    assert rows["pq_0"] == "| pq_0 | A | B B B | A A A |" and rows["pq_1"] == "| pq_1 | B | B B B | A A A |"
