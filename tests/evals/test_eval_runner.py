"""The runner: records, resume after a kill, truncated lines, config checks, determinism, systems."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.runfiles import RunError, read_records
from evals.runner import run_bench
from evals.settings import BenchSettings
from hybrid.lm.scripted import ScriptedLM

from eval_helpers import FakeEngine, gold_for


def correct_lm() -> ScriptedLM:
    """Direct answers right for every problem; cot right only when the gold is 7."""
    def respond(text: str) -> str:
        gold = gold_for(text)
        if "final answer only" in text:
            return f"The answer is {gold}."
        return "Adding up... The answer is 7." if gold == "7" else "Hmm, I get 5 + 5 = 10."
    return ScriptedLM(respond=respond)


class KilledLM(ScriptedLM):
    """Raises on the k-th generate call, as a killed process would stop mid-run."""

    def __init__(self, kill_at: int) -> None:
        super().__init__(respond=correct_lm().respond)
        self.kill_at = kill_at

    def generate(self, prompts, **kwargs):
        if len(self.calls) + 1 == self.kill_at:
            raise KeyboardInterrupt("killed")
        return super().generate(prompts, **kwargs)


def records(out):
    return read_records(out / "records.jsonl")


def bench(dataset, out, lm=None, *, engine_factory=None, **fields):
    """run_bench on `dataset` with settings named by keyword (bench or engine fields), no progress bar."""
    return run_bench(BenchSettings.of(dataset=dataset, **fields), out=out, lm=lm, engine_factory=engine_factory,
                     progress=False)


def run(gsm8k_dir, out, lm, **kwargs):
    options = dict(data=gsm8k_dir, systems=("direct", "cot"), batch_size=2)
    options.update(kwargs)
    return bench("gsm8k", out, lm, **options)


def test_records_and_results_shape(gsm8k_dir, tmp_path):
    out = tmp_path / "run"
    lm = correct_lm()
    summary = run(gsm8k_dir, out, lm)
    recs = records(out)
    assert len(recs) == 10
    direct = [r for r in recs if r["system"] == "direct"]
    assert all(r["correct"] for r in direct)
    cot = {r["id"]: r for r in recs if r["system"] == "cot"}
    assert [cot[f"gsm8k/test/{i}"]["correct"] for i in range(5)] == [True, False, False, False, True]
    for key in ("id", "gold", "output", "program", "route", "trace", "prediction", "correct", "tokens",
                "seconds", "error", "prediction_strict", "correct_strict"):
        assert key in recs[0]
    results = json.loads((out / "results.json").read_text())
    assert set(results) >= {"systems", "model", "dataset", "git_commit", "prompt_versions"}
    s = results["systems"]["cot"]
    assert s["n"] == 5 and s["accuracy"] == pytest.approx(0.4)
    assert s["ci95"][0] < 0.4 < s["ci95"][1]
    assert s["tokens_per_problem"] > 0 and "seconds_per_problem" in s
    assert results["model"] == "scripted" and results["dataset"] == "gsm8k"
    assert "cot_v1" in results["prompt_versions"]["cot"]
    assert (out / "results.md").read_text().count("| cot |") == 1
    from evals.report import git_commit

    made_at = json.loads((out / "config.json").read_text())["run_commits"]
    assert made_at == [f"{git_commit()['commit'] or 'unknown'}{'+uncommitted' if git_commit()['dirty'] else ''}"]
    from hybrid.lm.torch_setup import cpu_description

    assert json.loads((out / "config.json").read_text())["run_machines"] == [cpu_description()]
    assert f"Run at commit {made_at[0]}, on {cpu_description()}; report built at " in (out / "results.md").read_text()
    assert (out / "results.png").stat().st_size > 1000
    assert summary["systems"]["direct"]["accuracy"] == 1.0
    # one generate call per system per batch: 3 batches x 2 systems
    assert [len(c["prompts"]) for c in lm.calls] == [2, 2, 2, 2, 1, 1]


def test_resume_after_kill_loses_and_duplicates_nothing(gsm8k_dir, tmp_path):
    out = tmp_path / "run"
    with pytest.raises(KeyboardInterrupt):
        run(gsm8k_dir, out, KilledLM(kill_at=4))  # batch 0 both systems, batch 1 direct, then killed
    assert len(records(out)) == 6
    lm = correct_lm()
    run(gsm8k_dir, out, lm)
    recs = records(out)
    pairs = [(r["system"], r["id"]) for r in recs]
    assert len(pairs) == len(set(pairs)) == 10
    assert [len(c["prompts"]) for c in lm.calls] == [2, 1, 1]  # only what was missing
    uninterrupted = tmp_path / "clean"
    run(gsm8k_dir, uninterrupted, correct_lm())
    strip = lambda rs: sorted(json.dumps({k: v for k, v in r.items() if k not in ("seconds", "cpu_seconds")}, sort_keys=True) for r in rs)
    assert strip(recs) == strip(records(uninterrupted))


def test_truncated_last_line_is_redone(gsm8k_dir, tmp_path):
    out = tmp_path / "run"
    run(gsm8k_dir, out, correct_lm())
    path = out / "records.jsonl"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 40])  # a kill in the middle of writing the last record
    assert len(records(out)) == 9
    lm = correct_lm()
    run(gsm8k_dir, out, lm)
    assert [len(c["prompts"]) for c in lm.calls] == [1]
    lines = path.read_text().splitlines()
    assert len(lines) == 10 and all(json.loads(line) for line in lines)


def test_corrupt_middle_line_is_reported(gsm8k_dir, tmp_path):
    out = tmp_path / "run"
    run(gsm8k_dir, out, correct_lm())
    path = out / "records.jsonl"
    lines = path.read_text().splitlines(keepends=True)
    lines[2] = "{oops\n"
    path.write_text("".join(lines))
    with pytest.raises(RunError, match=r"records\.jsonl:3: corrupt record"):
        run(gsm8k_dir, out, correct_lm())


def test_resume_refuses_a_different_config_but_extends_limit(gsm8k_dir, tmp_path):
    out = tmp_path / "run"
    run(gsm8k_dir, out, correct_lm(), limit=2)
    with pytest.raises(RunError, match="seed: 0 -> 1"):
        run(gsm8k_dir, out, correct_lm(), limit=2, seed=1)
    with pytest.raises(RunError, match="settings"):
        run(gsm8k_dir, out, correct_lm(), limit=2, shots=4)
    lm = correct_lm()
    run(gsm8k_dir, out, lm, limit=4)  # extending the limit resumes into the same directory
    assert len(records(out)) == 8
    assert [len(c["prompts"]) for c in lm.calls] == [2, 2]
    config = json.loads((out / "config.json").read_text())
    assert config["limit"] == 4


def test_resume_refuses_other_engine_behaviour(gsm8k_dir, tmp_path):
    out = tmp_path / "run"
    run(gsm8k_dir, out, correct_lm(), limit=2)
    config = json.loads((out / "config.json").read_text())
    assert config["engine_settings"]["stated_facts_only"] is True
    assert config["engine_settings"]["logic_prompt"] == "logic_{style}_v2"
    with pytest.raises(RunError, match="engine_settings"):
        run(gsm8k_dir, out, correct_lm(), limit=2, stated_facts_only=False)
    del config["engine_settings"]  # a run made before engine settings were recorded is not resumed either
    (out / "config.json").write_text(json.dumps(config))
    with pytest.raises(RunError, match="engine_settings: None"):
        run(gsm8k_dir, out, correct_lm(), limit=2)


def test_offset_limit_and_seed_reach_the_model(gsm8k_dir, tmp_path):
    lm = correct_lm()
    run(gsm8k_dir, tmp_path / "r", lm, offset=1, limit=2, seed=7, systems=["cot"])
    assert {r["id"] for r in records(tmp_path / "r")} == {"gsm8k/test/1", "gsm8k/test/2"}
    assert all(c["seed"] == 7 and c["temperature"] == 0.0 for c in lm.calls)


def test_cot_self_consistency_votes(gsm8k_dir, tmp_path):
    replies = iter(["The answer is 7.", "The answer is 8.", "The answer is 7.", "so 8", "The answer is 8."])
    lm = ScriptedLM(respond=lambda text: next(replies))
    run(gsm8k_dir, tmp_path / "r", lm, limit=1, systems=["cot-sc"], sc_samples=5)
    (rec,) = records(tmp_path / "r")
    assert lm.calls[0]["n"] == 5 and lm.calls[0]["temperature"] > 0
    assert rec["prediction_flexible"] == "8" and rec["prediction_strict"] == "7"  # strict ignores "so 8"
    assert rec["correct_strict"] is True and rec["correct"] is False
    assert len(rec["output"]) == 5


def test_cot_prompt_uses_the_chosen_exemplars(gsm8k_dir, tmp_path):
    lm = correct_lm()
    run(gsm8k_dir, tmp_path / "r", lm, limit=1, systems=["cot"], shots=3)
    messages = lm.prompts[0]
    assert messages[0]["role"] == "system"
    assert [m["role"] for m in messages[1:]] == ["user", "assistant"] * 3 + ["user"]
    assert GSM8K_Q0 in messages[-1]["content"]


GSM8K_Q0 = "Tom has 3 apples and buys 4 more."


def engine_factory(table):
    created = []

    def make(lm, settings):
        engine = FakeEngine(lm, table, settings)
        created.append(engine)
        return engine
    make.created = created
    return make


def test_hybrid_routes_and_fallbacks_are_never_credited_to_a_solver(gsm8k_dir, tmp_path):
    table = {
        "gsm8k/test/0": ("sympy", "ok", "7", ""),
        "gsm8k/test/1": ("sympy", "ok", "1100", ""),
        "gsm8k/test/2": ("sympy", "fallback", "-3", "It drops to 5 - 8 = -3. The answer is -3."),
        "gsm8k/test/3": ("sympy", "fallback", "61", "So 60 pages... I think 61"),
        "gsm8k/test/4": ("none", "failed", None, ""),
    }
    factory = engine_factory(table)
    out = tmp_path / "run"
    summary = run(gsm8k_dir, out, correct_lm(), systems=["cot", "hybrid"], engine_factory=factory, batch_size=16)
    (engine,) = factory.created
    assert engine.settings.shots == 8 and engine.settings.seed == 0
    assert [q["id"] for q in engine.calls[0]] == [f"gsm8k/test/{i}" for i in range(5)]
    h = summary["systems"]["hybrid"]
    assert h["n"] == 5 and h["correct"] == 2
    assert h["routes"]["sympy"] == {"correct": 1, "n": 2, "accuracy": 0.5, "ci95": pytest.approx(h["routes"]["sympy"]["ci95"])}
    assert h["routes"]["fallback"]["n"] == 2 and h["routes"]["fallback"]["correct"] == 1
    assert h["solver_answered"]["n"] == 2 and h["solver_correct"] == 1
    assert h["fallback_rate"] == pytest.approx(0.4)
    assert h["accuracy_strict"] == pytest.approx(0.4)  # the fallback's "The answer is -3" counts strictly too
    recs = {r["id"]: r for r in records(out) if r["system"] == "hybrid"}
    assert recs["gsm8k/test/3"]["prediction_strict"] is None and recs["gsm8k/test/3"]["prediction"] == "61"
    assert recs["gsm8k/test/4"]["error"]
    comparison = summary["comparisons"]["hybrid vs cot"]
    # cot right on 0 and 4; hybrid right on 0 and 2: one discordant pair each way
    assert (comparison["b"], comparison["c"], comparison["n"]) == (1, 1, 5)
    assert comparison["p_value"] == pytest.approx(1.0)
    md = (out / "results.md").read_text()
    assert "Route mix: hybrid" in md and "hybrid vs cot" in md and "not credited to a solver" in md


def test_logic_cot_and_hybrid(logic_dir, tmp_path):
    lm = ScriptedLM(respond=lambda text: "The red book is leftmost. The answer is A.")
    table = {"ld_0": ("z3", "ok", "A", ""), "ld_1": ("z3", "fallback", "B", "Maybe blue. The answer is B."),
             "ld_2": ("z3", "ok", "C", "")}
    factory = engine_factory(table)
    summary = bench("logical_deduction", tmp_path / "r", lm, data=logic_dir, systems=["cot", "hybrid"],
                    engine_factory=factory)
    assert summary["split"] == "dev"
    assert summary["systems"]["cot"]["accuracy"] == 1.0
    h = summary["systems"]["hybrid"]
    assert h["correct"] == 1 and h["abstained"] == 1 and h["abstained_then_fallback"] == 1
    (engine,) = factory.created
    q = engine.calls[0][0]
    assert q["context"].startswith("Three books") and q["options"][0].startswith("A)")
    prompt = lm.prompts[0]
    assert "Options:\nA) The red book is the leftmost." in prompt[-1]["content"]
    assert "The answer is X" in prompt[0]["content"]


def test_prontoqa_true_false_scored_by_letter(logic_dir, tmp_path):
    lm = ScriptedLM(respond=lambda text: "Max is red. The answer is True.")
    summary = bench("prontoqa", tmp_path / "r", lm, data=logic_dir, systems=["cot"])
    cot = summary["systems"]["cot"]
    assert cot["accuracy"] == 0.5 and cot["accuracy_strict"] == 0.0  # "True" is not a letter, strictly


def test_pal_is_refused_for_logic_and_unknown_systems(logic_dir, tmp_path):
    with pytest.raises(RunError, match="cannot answer"):
        bench("prontoqa", tmp_path / "r", ScriptedLM(), data=logic_dir, systems=["pal"])
    with pytest.raises(RunError, match="unknown system"):
        bench("prontoqa", tmp_path / "r", ScriptedLM(), data=logic_dir, systems=["tot"])


def test_train_split_drops_exemplar_questions(tmp_path):
    from hybrid import prompts
    ex = prompts.exemplars()[0]
    folder = tmp_path / "gsm8k"
    folder.mkdir()
    (folder / "train.jsonl").write_text(
        json.dumps({"question": ex["question"], "answer": f"#### {ex['answer']}"}) + "\n"
        + json.dumps({"question": "What is 1 + 1?", "answer": "#### 2"}) + "\n")
    summary = bench("gsm8k", tmp_path / "r", ScriptedLM(respond=lambda t: "The answer is 2."), data=folder,
                    split="train", systems=["cot"])
    assert summary["n_problems"] == 1
    assert json.loads((tmp_path / "r" / "config.json").read_text())["dropped_exemplar_problems"] == 1


def test_a_question_the_engine_refuses_is_a_recorded_failure(tmp_path):
    folder = tmp_path / "gsm8k"
    folder.mkdir()
    (folder / "test.jsonl").write_text(json.dumps({"question": "x" * 9000, "answer": "#### 1"}) + "\n"
                                       + json.dumps({"question": GSM8K_Q0, "answer": "#### 7"}) + "\n")
    factory = engine_factory({"gsm8k/test/1": ("sympy", "ok", "7", "")})
    summary = bench("gsm8k", tmp_path / "r", ScriptedLM(respond=lambda t: ""), data=folder, systems=["hybrid"],
                    engine_factory=factory)
    assert summary["systems"]["hybrid"]["n"] == 2 and summary["systems"]["hybrid"]["correct"] == 1
    bad = [r for r in records(tmp_path / "r") if r["id"] == "gsm8k/test/0"][0]
    assert bad["correct"] is False and bad["error"].startswith("invalid question:")


def test_resume_refuses_a_model_run_with_other_effective_settings(gsm8k_dir, tmp_path):
    """A changed default (e.g. the CPU quantization) must not mix two models' outputs in one run."""
    out = tmp_path / "run"
    first = correct_lm()
    first.quantize = "int8-pc"
    run(gsm8k_dir, out, first, limit=2)
    assert json.loads((out / "config.json").read_text())["lm_settings"]["quantize"] == "int8-pc"
    second = correct_lm()
    second.quantize = "None"
    with pytest.raises(RunError, match="model settings"):
        run(gsm8k_dir, out, second, limit=4)
    same = correct_lm()
    same.quantize = "int8-pc"
    run(gsm8k_dir, out, same, limit=4)
    assert len(records(out)) == 8


class BusyLM:
    """A scripted LM that spends real CPU time in this process before each reply (as decoding does)."""

    def __init__(self, inner, spin_s: float) -> None:
        self.inner, self.spin_s = inner, spin_s

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def generate(self, prompts, **kwargs):
        import time
        started = time.process_time()
        while time.process_time() - started < self.spin_s:
            sum(range(1000))
        return self.inner.generate(prompts, **kwargs)


def test_cpu_seconds_are_recorded_and_plotted(gsm8k_dir, tmp_path):
    from evals.report import cost_axis

    out = tmp_path / "run"
    run(gsm8k_dir, out, BusyLM(correct_lm(), spin_s=0.2), systems=("direct",), batch_size=5)
    recs = records(out)
    # one batch of 5 problems spent >= 0.2 CPU-s: each record carries its share of it
    assert all(r["cpu_seconds"] >= 0.2 / 5 for r in recs)
    results = json.loads((out / "results.json").read_text())
    assert results["systems"]["direct"]["cpu_seconds_per_problem"] >= 0.04
    assert cost_axis(results)[0].startswith("CPU-seconds")
    assert "CPU s/problem" in (out / "results.md").read_text()


def test_records_without_cpu_seconds_are_plotted_against_wall_seconds():
    from evals.report import cost_axis, summarize_system

    old = summarize_system([{"seconds": 2.0, "correct": True, "correct_flexible": True}])
    assert old["cpu_seconds_per_problem"] is None
    label, xs = cost_axis({"systems": {"cot": old}})
    assert label.startswith("wall seconds") and xs == [2.0]


def test_a_resume_at_other_code_adds_its_commit_and_is_not_refused():
    from evals.runfiles import check_compatible, merge_config

    old = {"dataset": "gsm8k", "run_commits": ["aaa"], "systems": ["cot"], "prompt_versions": {}, "budgets": {}}
    new = dict(old, run_commits=["bbb"])
    check_compatible(old, new, Path("config.json"))  # no RunError
    assert merge_config(old, new)["run_commits"] == ["aaa", "bbb"]
    assert merge_config(old, dict(old))["run_commits"] == ["aaa"]
    assert merge_config({k: v for k, v in old.items() if k != "run_commits"}, new)["run_commits"] == ["bbb"]
    old_cpu, new_cpu = dict(old, run_machines=["AMD EPYC, avx2"]), dict(new, run_machines=["Xeon, avx2, avx512f"])
    assert merge_config(old_cpu, new_cpu)["run_machines"] == ["AMD EPYC, avx2", "Xeon, avx2, avx512f"]
    assert merge_config(old_cpu, dict(new_cpu, run_machines=["AMD EPYC, avx2"]))["run_machines"] == ["AMD EPYC, avx2"]
    assert merge_config(old, new_cpu)["run_machines"] == ["an unrecorded CPU", "Xeon, avx2, avx512f"]
