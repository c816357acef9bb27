"""The equation-first exemplar library (gsm8k_library.json) and the choice of exemplars per question.

Every library program is run by the real solvers to its train gold answer; every entry is a GSM8K *train*
problem, never a test one; program_v2 shows the library, fixed (its first `shots`) or retrieved (the most
similar by `hybrid.retrieval`), and cot and direct show the same problems.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from evals.datasets import data_dir
from hybrid import EngineSettings, prompts, steps
from hybrid.retrieval import nearest, similarities, words

DATA = data_dir() or Path("no-data-dir")
LIBRARY = prompts.exemplars("gsm8k_library")
TRAIN = DATA / "gsm8k" / "train.jsonl"
KINDS = ("heads-and-legs", "sum-and-difference", "ages", "mixture", "work-rate", "system", "integer-constraint",
         "percent", "ratio", "arithmetic")


def test_the_library_is_a_small_well_kept_set():
    assert 40 <= len(LIBRARY) <= 80
    ids = [e["id"] for e in LIBRARY]
    assert len(set(ids)) == len(ids) and len({e["question"] for e in LIBRARY}) == len(LIBRARY)
    for e in LIBRARY:
        assert set(e) == {"id", "question", "cot", "program", "answer", "tags"}
        assert re.fullmatch(r"train-\d+", e["id"]) and e["tags"]
        assert e["cot"].endswith(f"The answer is {e['answer']}.") and "<<" not in e["cot"]
    tags = {t for e in LIBRARY for t in e["tags"]}
    assert set(KINDS) <= tags
    equations = [e for e in LIBRARY if "Eq(" in e["program"]]
    assert len(equations) >= len(LIBRARY) / 2
    assert all("equation" in e["tags"] for e in equations)


@pytest.mark.parametrize("entry", LIBRARY, ids=lambda e: e["id"])
def test_every_library_program_runs_to_the_train_gold_answer(entry):
    from solvers import run_program

    result = run_program(entry["program"])
    assert result.status == "ok", result.message
    assert result.details.get("answer_from") == "answer"  # each program says its answer
    assert result.number is not None and abs(result.number - float(entry["answer"])) < 1e-9


@pytest.mark.parametrize("entry", [e for e in LIBRARY if "equation" in e["tags"]], ids=lambda e: e["id"])
def test_equation_programs_declare_unknowns_and_solve_them(entry):
    program = entry["program"]
    assert "symbols(" in program and "solve(" in program and "Eq(" in program


@pytest.mark.skipif(not TRAIN.exists(), reason="GSM8K data not present")
def test_library_entries_are_gsm8k_train_problems_with_their_gold_and_not_test_problems():
    train = TRAIN.read_text().splitlines()
    test_questions = {json.loads(line)["question"] for line in (DATA / "gsm8k" / "test.jsonl").read_text().splitlines()}
    for e in LIBRARY:
        row = json.loads(train[int(e["id"].split("-")[1])])
        assert row["question"] == e["question"], e["id"]
        assert row["answer"].split("####")[-1].strip().replace(",", "") == e["answer"], e["id"]
        assert e["question"] not in test_questions


def test_program_v2_names_the_library_and_v1_keeps_its_exemplars():
    assert prompts.exemplar_file("program_v2") == "gsm8k_library"
    assert prompts.exemplar_file("program_v1") == "gsm8k_exemplars"
    assert "Eq(" in prompts.section("program_v2", "system") and "symbols()" in prompts.section("program_v2", "system")


def test_fixed_exemplars_are_the_first_shots_of_the_prompts_file():
    v1 = steps.exemplars_for(EngineSettings(), "How many apples?")
    assert [e["id"] for e in v1] == [e["id"] for e in prompts.exemplars()]
    v2 = steps.exemplars_for(EngineSettings(program_prompt="program_v2", shots=4), "How many apples?")
    assert [e["id"] for e in v2] == [e["id"] for e in LIBRARY[:4]]
    # the fixed eight of program_v2 mix plain arithmetic with equations
    first8 = LIBRARY[:8]
    assert sum("Eq(" in e["program"] for e in first8) >= 4 and any("arithmetic" in e["tags"] for e in first8)


@pytest.mark.parametrize("question,expected", [
    ("A farmer has chickens and cows. There are 50 heads and 140 legs. How many cows are there?", "heads-and-legs"),
    ("A shirt costs $30 after a 25% discount. What was the original price?", "percent"),
    ("Pipe A fills a pool in 6 hours and pipe B in 3 hours. Working together, how many hours do they need?",
     "work-rate"),
    ("Tom is 3 times as old as his son. In 10 years he will be twice as old as his son. How old is Tom now?", "ages"),
    ("Rope A and rope B are cut in the ratio of 3:5 from a 64 meter rope. How long is rope B?", "ratio"),
])
def test_retrieval_puts_a_problem_of_the_same_kind_nearest_the_question(question, expected):
    chosen = nearest(question, LIBRARY, 3)
    assert len(chosen) == 3
    assert expected in chosen[-1]["tags"], [e["id"] for e in chosen]


def test_retrieval_is_deterministic_never_shows_the_question_itself_and_keeps_order_on_ties():
    own = LIBRARY[10]
    chosen = nearest(own["question"], LIBRARY, 8)
    assert own not in chosen and len(chosen) == 8
    assert chosen == nearest(own["question"], LIBRARY, 8)
    scores = dict(zip((e["id"] for e in LIBRARY), similarities(own["question"], [e["question"] for e in LIBRARY])))
    assert [scores[e["id"]] for e in chosen] == sorted(scores[e["id"]] for e in chosen)  # the most similar last
    assert min(scores[e["id"]] for e in chosen) >= max(s for i, s in scores.items()
                                                       if i != own["id"] and i not in {e["id"] for e in chosen})
    nothing_shared = nearest("Zzz qqq?", LIBRARY, 3)
    assert [e["id"] for e in nothing_shared] == [e["id"] for e in reversed(LIBRARY[:3])]
    assert nearest("anything", LIBRARY, 0) == () and nearest("anything", [], 3) == ()


def test_words_drop_names_numbers_and_stop_words():
    assert words("Sam buys 4 shirts at $15 each, 20% off. The shirts are red.") == [
        "buy", "shirt", "dollar", "percent", "off", "shirt", "red"]


def test_retrieved_exemplars_reach_every_math_prompt_alike():
    settings = EngineSettings(program_prompt="program_v2", exemplars="retrieved", shots=3)
    question = "A farmer has chickens and cows. There are 50 heads and 140 legs. How many cows are there?"
    chosen = steps.exemplars_for(settings, question)
    program = steps.program_messages(settings, question, kind="math")
    reasoning = steps.reasoning_messages(settings, question, kind="math")
    shown = [m["content"] for m in program if m["role"] == "user"][:-1]
    assert shown == [f"Question: {e['question']}" for e in chosen]
    assert [m["content"] for m in reasoning if m["role"] == "user"][:-1] == shown
    assert [m["content"] for m in program if m["role"] == "assistant"] == [
        f"```python\n{e['program']}\n```" for e in chosen]
    assert [m["content"] for m in reasoning if m["role"] == "assistant"] == [e["cot"] for e in chosen]


def test_a_train_run_drops_every_library_problem():
    from evals.systems import exemplar_questions

    dropped = exemplar_questions()
    assert {e["question"].strip() for e in LIBRARY} <= dropped
    assert {e["question"].strip() for e in prompts.exemplars()} <= dropped


@pytest.mark.parametrize("changes,message", [
    (dict(exemplars="nearest"), "exemplars must be one of fixed, retrieved"),
    (dict(program_prompt="program_v9"), "no prompt file named program_v9"),
])
def test_bad_exemplar_settings_are_refused_in_one_line(changes, message):
    with pytest.raises(ValueError, match=message):
        EngineSettings(**changes)
