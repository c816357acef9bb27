"""The prompt files and the GSM8K-train exemplars: well-formed, from train only, and programs that run."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from evals.datasets import data_dir
from hybrid import prompts
from hybrid.facts import numbered_facts

DATA = data_dir() or Path("no-data-dir")  # the lookup the harness uses: $HYBRID_DATA_DIR, else ../shared/data


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


@pytest.mark.parametrize("name", ["program_v1", "cot_v1", "repair_v2", "logic_order_v2", "logic_truth_v2",
                                  "logic_order_cot_v2", "logic_truth_cot_v2"])
def test_prompt_files_parse_into_sections(name):
    keys = [key for key, _ in prompts.sections(name)]
    assert "user" in keys
    assert all(text.strip() or key == "hint.none" for key, text in prompts.sections(name))


def test_chat_builds_system_shots_and_user_turns():
    messages = prompts.chat("program_v1", {"question": "How many $5 bills?"}, shots=prompts.exemplars()[:2])
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user", "assistant", "user"]
    assert messages[-1]["content"] == "Question: How many $5 bills?"
    assert messages[2]["content"].startswith("```python\n") and "answer =" in messages[2]["content"]


@pytest.mark.parametrize("style,expected", [("order", ["C", "E", "B", "F"]), ("truth", ["True", "False"])])
def test_logic_prompt_worked_formalizations_are_decided_by_z3(style, expected):
    from solvers import extract_program, run_program

    shots = [text for key, text in prompts.sections(f"logic_{style}_v2") if key == "shot.assistant"]
    values = [run_program(extract_program(text)) for text in shots]
    assert [(r.status, r.value) for r in values] == [("ok", v) for v in expected]


@pytest.mark.parametrize("style", ["order", "truth"])
def test_logic_cot_shots_are_the_same_puzzles_with_the_answers_z3_gives(style):
    from solvers import extract_program, run_program

    def shots(name):
        return [(u, a) for (ku, u), (ka, a) in zip(prompts.sections(name), prompts.sections(name)[1:])
                if ku == "shot.user" and ka == "shot.assistant"]

    formal, prose = shots(f"logic_{style}_v2"), shots(f"logic_{style}_cot_v2")
    assert [u for u, _ in formal] == [u for u, _ in prose] and formal
    for (question, program), (_, reasoning) in zip(formal, prose):
        value = run_program(extract_program(program)).value
        letter = {"True": "A", "False": "B"}.get(value, value)
        assert reasoning.splitlines()[-1] == f"The answer is {letter}.", question[:60]


def test_numbered_facts_lists_the_last_paragraph_one_sentence_per_line():
    context = ("The following paragraphs each describe a set of three objects. The statements are consistent.\n\n"
               "On a shelf, there are three books: a red book, a gray book, and a blue book. The red book is the "
               "leftmost.  The gray book is to the right of the blue book.")
    preamble, facts = numbered_facts(context)
    assert preamble == "The following paragraphs each describe a set of three objects. The statements are consistent.\n"
    assert facts.splitlines() == [
        "1. On a shelf, there are three books: a red book, a gray book, and a blue book.",
        "2. The red book is the leftmost.",
        "3. The gray book is to the right of the blue book.",
    ]
    assert numbered_facts("Rex is a cat. Cats are nice.") == ("", "1. Rex is a cat.\n2. Cats are nice.")
    assert numbered_facts(None) == ("", "") and numbered_facts("  \n ") == ("", "")


def test_logic_user_turn_shows_the_preamble_then_numbered_facts():
    fields = prompts.fields("Which is true?", "Intro.\n\nA is left. B is right.", ["A) A is left.", "B) B is left."])
    text = prompts.fill(prompts.section("logic_order_v2", "user"), fields)
    assert text == "Intro.\nFacts:\n1. A is left.\n2. B is right.\nQuestion: Which is true?\nOptions:\nA) A is left.\nB) B is left."
