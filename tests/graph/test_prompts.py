"""The prompt files and the GSM8K-train exemplars: well-formed, from train only, and programs that run."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from hybrid import prompts

DATA = Path(os.environ.get("HYBRID_DATA_DIR", "/work/shared/data"))


def test_there_are_eight_exemplars_with_all_fields():
    exemplars = prompts.exemplars()
    assert len(exemplars) == 8
    for ex in exemplars:
        assert set(ex) == {"id", "question", "cot", "program", "answer"}
        assert re.fullmatch(r"train-\d+", ex["id"])
        assert ex["cot"].endswith(f"The answer is {ex['answer']}.")
        assert "<<" not in ex["cot"]


@pytest.mark.parametrize("exemplar", prompts.exemplars(), ids=lambda e: e["id"])
def test_exemplar_programs_run_to_the_gold_answer(exemplar):
    from solvers import run_program

    result = run_program(exemplar["program"])
    assert result.status == "ok", result.message
    assert float(result.number) == float(exemplar["answer"])


@pytest.mark.skipif(not (DATA / "gsm8k" / "train.jsonl").exists(), reason="GSM8K data not present")
def test_exemplars_are_gsm8k_train_items_and_not_test_items():
    train = (DATA / "gsm8k" / "train.jsonl").read_text().splitlines()
    test_questions = {json.loads(line)["question"] for line in (DATA / "gsm8k" / "test.jsonl").read_text().splitlines()}
    for ex in prompts.exemplars():
        row = json.loads(train[int(ex["id"].split("-")[1])])
        assert row["question"] == ex["question"]
        assert row["answer"].split("####")[-1].strip().replace(",", "") == ex["answer"]
        assert ex["question"] not in test_questions


@pytest.mark.parametrize("name", ["program_v1", "cot_v1", "repair_v1", "logic_v1", "logic_cot_v1"])
def test_prompt_files_parse_into_sections(name):
    keys = [key for key, _ in prompts.sections(name)]
    assert "user" in keys
    assert all(text.strip() or key == "hint.none" for key, text in prompts.sections(name))


def test_chat_builds_system_shots_and_user_turns():
    messages = prompts.chat("program_v1", {"question": "How many $5 bills?"}, shots=prompts.exemplars()[:2])
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user", "assistant", "user"]
    assert messages[-1]["content"] == "Question: How many $5 bills?"
    assert messages[2]["content"].startswith("```python\n") and "answer =" in messages[2]["content"]


def test_logic_prompt_worked_formalizations_are_decided_by_z3():
    from solvers import extract_program, run_program

    shots = [text for key, text in prompts.sections("logic_v1") if key == "shot.assistant"]
    assert len(shots) == 3
    values = [run_program(extract_program(text)) for text in shots]
    assert [(r.status, r.value) for r in values] == [("ok", "B"), ("ok", "C"), ("ok", "False")]
