"""The `bench` and `report` commands: output files, exit codes, one-line errors."""
from __future__ import annotations

import json

from click.testing import CliRunner

import hybrid.lm
from evals.cli import bench, report
from hybrid.lm.scripted import ScriptedLM


def scripted(monkeypatch):
    lm = ScriptedLM(respond=lambda text: "The answer is 7.", name="scripted-cli")
    lm.options = []

    def get_lm(name, **options):
        lm.options.append((name, options))
        return lm
    monkeypatch.setattr(hybrid.lm, "get_lm", get_lm, raising=False)
    return lm


def test_bench_writes_results_and_resumes(gsm8k_dir, tmp_path, monkeypatch):
    lm = scripted(monkeypatch)
    out = tmp_path / "RUN"
    args = ["--dataset", "gsm8k", "--data", str(gsm8k_dir), "--split", "test", "--limit", "3",
            "--systems", "direct,cot", "--out", str(out), "--no-progress"]
    result = CliRunner().invoke(bench, args)
    assert result.exit_code == 0, result.output
    assert "| cot | 3 |" in result.output
    results = json.loads((out / "results.json").read_text())
    assert results["systems"]["cot"]["n"] == 3 and results["model"] == "qwen2.5-coder-0.5b"  # the name asked for
    assert lm.options == [("qwen2.5-coder-0.5b", {})]
    calls = len(lm.calls)
    result = CliRunner().invoke(bench, args)  # everything done: nothing is asked of the model
    assert result.exit_code == 0 and len(lm.calls) == calls and len(lm.options) == 1


def test_lm_options_reach_get_lm_and_pin_the_run(gsm8k_dir, tmp_path, monkeypatch):
    lm = scripted(monkeypatch)
    base = ["--data", str(gsm8k_dir), "--limit", "1", "--systems", "cot", "--out", str(tmp_path / "r"),
            "--no-progress", "--lm-option", "quantize=none", "--lm-option", "max_batch_size=4"]
    assert CliRunner().invoke(bench, base).exit_code == 0
    assert lm.options == [("qwen2.5-coder-0.5b", {"quantize": None, "max_batch_size": 4})]
    result = CliRunner().invoke(bench, base[:-4])  # same dir, different model options
    assert result.exit_code == 1 and "lm_options" in result.output
    assert CliRunner().invoke(bench, base + ["--lm-option", "oops"]).exit_code == 2


def test_bench_usage_errors_exit_2(gsm8k_dir, tmp_path, monkeypatch):
    scripted(monkeypatch)
    result = CliRunner().invoke(bench, ["--data", str(gsm8k_dir), "--systems", "cot,magic", "--out", str(tmp_path / "r")])
    assert result.exit_code == 2 and "unknown system(s) magic" in result.output
    result = CliRunner().invoke(bench, ["--dataset", "nope", "--out", str(tmp_path / "r")])
    assert result.exit_code == 2


def test_bench_bad_data_exits_1_with_file_and_line(tmp_path, monkeypatch):
    scripted(monkeypatch)
    path = tmp_path / "bad.jsonl"
    path.write_text('{"question": "1+1?", "answer": "#### 2"}\nnot json\n')
    args = ["--dataset", "jsonl", "--data", str(path), "--systems", "cot", "--out", str(tmp_path / "r"), "--no-progress"]
    result = CliRunner().invoke(bench, args)
    assert result.exit_code == 1
    assert "bad.jsonl:2: invalid JSON" in result.output and "Traceback" not in result.output
    result = CliRunner().invoke(bench, args + ["--skip-bad"])
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "r" / "config.json").read_text())["skipped_bad_records"] == 1


def test_incompatible_run_dir_is_refused(gsm8k_dir, tmp_path, monkeypatch):
    scripted(monkeypatch)
    base = ["--data", str(gsm8k_dir), "--limit", "2", "--systems", "cot", "--out", str(tmp_path / "r"), "--no-progress"]
    assert CliRunner().invoke(bench, base).exit_code == 0
    result = CliRunner().invoke(bench, base + ["--seed", "3"])
    assert result.exit_code == 1 and "holds a different run" in result.output


def test_report_rebuilds_from_records(gsm8k_dir, tmp_path, monkeypatch):
    scripted(monkeypatch)
    out = tmp_path / "r"
    CliRunner().invoke(bench, ["--data", str(gsm8k_dir), "--systems", "cot", "--out", str(out), "--no-progress"])
    for name in ("results.json", "results.md", "results.png"):
        (out / name).unlink()
    result = CliRunner().invoke(report, [str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads((out / "results.json").read_text())["systems"]["cot"]["accuracy"] == 0.4
    assert (out / "results.png").exists()
    result = CliRunner().invoke(report, [str(tmp_path)])
    assert result.exit_code == 1 and "no records" in result.output


def test_bench_list_shows_the_registries():
    result = CliRunner().invoke(bench, ["--list"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    datasets, systems = lines.index("datasets:"), lines.index("systems:")
    assert [line.split()[0] for line in lines[datasets + 1:systems]] == ["gsm8k", "logical_deduction", "prontoqa", "mixed", "jsonl"]
    assert [line.split()[0] for line in lines[systems + 1:]] == ["direct", "cot", "cot-sc", "pal", "hybrid", "hybrid@1",
                                                                 "hybrid-steps", "pal@k"]
    assert "pal                number " in result.output  # pal answers numbers only


def test_bench_without_out_or_with_bad_settings_exits_2(gsm8k_dir, tmp_path, monkeypatch):
    lm = scripted(monkeypatch)
    result = CliRunner().invoke(bench, ["--data", str(gsm8k_dir)])
    assert result.exit_code == 2 and "Missing option '--out'" in result.output
    result = CliRunner().invoke(bench, ["--data", str(gsm8k_dir), "--out", str(tmp_path / "r"), "--sc-samples", "0"])
    assert result.exit_code == 2 and lm.options == []  # refused before any model is made


def test_engine_options_reach_the_recorded_settings(gsm8k_dir, tmp_path, monkeypatch):
    scripted(monkeypatch)
    out = tmp_path / "r"
    args = ["--data", str(gsm8k_dir), "--limit", "1", "--systems", "cot", "--out", str(out), "--no-progress",
            "--shots", "3", "--max-repairs", "1", "--keep-unstated-facts", "--batch-size", "4"]
    assert CliRunner().invoke(bench, args).exit_code == 0
    config = json.loads((out / "config.json").read_text())
    from hybrid import EngineSettings

    expected = EngineSettings(shots=3, max_repairs=1, stated_facts_only=False).behaviour()
    assert config["engine_settings"] == expected and config["batch_size"] == 4


def test_an_unreachable_server_is_one_line_with_exit_code_2(tmp_path):
    from click.testing import CliRunner

    from hybrid.cli import main

    data = tmp_path / "items.jsonl"
    data.write_text('{"question": "What is 2 plus 2?", "answer": "4"}\n')
    result = CliRunner().invoke(main, ["bench", "--dataset", "jsonl", "--data", str(data), "--systems", "pal",
                                       "--model", "openai:m", "--base-url", "http://127.0.0.1:9/v1",
                                       "--lm-option", "max_retries=0", "--out", str(tmp_path / "run")])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot reach http://127.0.0.1:9/v1/chat/completions" in lines[0]
    assert "re-run the same command to resume" in lines[0]


def test_samples_reach_cot_sc_and_the_vote_systems(gsm8k_dir, tmp_path, monkeypatch):
    lm = scripted(monkeypatch)
    out = tmp_path / "r"
    args = ["--data", str(gsm8k_dir), "--limit", "1", "--systems", "cot-sc,hybrid@1,pal@k", "--out", str(out),
            "--no-progress", "--samples", "3", "--top-p", "0.9"]
    result = CliRunner().invoke(bench, args)
    assert result.exit_code == 0, result.output
    config = json.loads((out / "config.json").read_text())
    assert config["budgets"]["cot-sc"]["samples"] == 3 and config["budgets"]["pal@k"]["samples"] == 3
    assert config["budgets"]["hybrid@1"]["samples"] == 1 and config["engine_settings"]["top_p"] == 0.9
    assert lm.calls[0]["n"] == 3 and lm.calls[0]["top_p"] == 0.9
