"""Every edge of the graph, driven by the scripted LM double and the real solvers."""
from __future__ import annotations

import re

import pytest

from graph_support import SAM, fenced

GOOD = "shirts = 4 * 15\npants = 3 * 25\nanswer = 200 - shirts - pants"
NAME_ERROR = "shirts = 4 * 15\nanswer = 200 - shirts - pants"     # 'pants' never assigned
SYNTAX_ERROR = "shirts = 4 * * 15\nanswer = shirts"


def nodes(result):
    return [step.node for step in result.trace]


def test_solver_ok_goes_straight_to_answer(engine_for):
    engine, lm = engine_for([fenced(GOOD)])
    result = engine.solve(SAM)
    assert result.answer == "65"
    assert result.status == "ok" and result.route == "sympy" and not result.fallback_used
    assert nodes(result) == ["propose", "sympy", "verify", "answer"]
    assert result.repairs == 0 and len(lm.calls) == 1
    solver_step = result.trace[1]
    assert solver_step.solver["status"] == "ok" and solver_step.input.strip() == GOOD
    assert result.trace[0].completion_tokens > 0 and result.prompt_tokens > 0


def test_propose_prompt_uses_train_exemplars_and_stops_at_output_fence(engine_for):
    engine, lm = engine_for([fenced(GOOD)])
    engine.solve(SAM)
    call = lm.calls[0]
    assert "```output" in call["stop"]
    messages = call["prompts"][0]
    assert messages[0]["role"] == "system" and messages[-1]["content"].endswith(SAM)
    assert sum(m["role"] == "assistant" for m in messages) == engine.settings.shots


@pytest.mark.parametrize("bad", [NAME_ERROR, SYNTAX_ERROR])
def test_solver_error_then_repair_ok(engine_for, bad):
    engine, lm = engine_for([fenced(bad), fenced(GOOD)])
    result = engine.solve(SAM)
    assert result.answer == "65" and result.status == "ok" and result.repairs == 1
    assert nodes(result) == ["propose", "sympy", "verify", "repair", "sympy", "verify", "answer"]
    # the repair prompt shows the question, the program and the solver's message, and no exemplar again
    repair_prompt = lm.calls[1]["prompts"][0]
    assert [m["role"] for m in repair_prompt] == ["system", "user"]
    assert repair_prompt[-1]["content"].startswith(f"Question: {SAM}") and fenced(bad) in repair_prompt[-1]["content"]
    message = result.trace[1].solver["message"]
    assert message and message in repair_prompt[-1]["content"]


def test_repairs_exhausted_then_fallback(engine_for):
    replies = [fenced(NAME_ERROR)] * 3 + ["4 * 15 = 60. 3 * 25 = 75. 200 - 135 = 65.\nThe answer is 65."]
    engine, lm = engine_for(replies, max_repairs=2)
    result = engine.solve(SAM)
    assert result.answer == "65"
    assert result.status == "fallback" and result.route == "fallback" and result.fallback_used
    assert result.repairs == 2
    assert nodes(result) == ["propose", "sympy", "verify", "repair", "sympy", "verify",
                             "repair", "sympy", "verify", "fallback"]
    fallback_prompt = lm.calls[-1]["prompts"][0]
    assert "Do not write code" in fallback_prompt[0]["content"]


def test_max_repairs_zero_falls_back_at_once(engine_for):
    engine, _ = engine_for([fenced(NAME_ERROR), "The answer is 65."], max_repairs=0)
    result = engine.solve(SAM)
    assert nodes(result) == ["propose", "sympy", "verify", "fallback"] and result.answer == "65"


def test_no_program_goes_to_plain_reasoning(engine_for):
    engine, lm = engine_for(["He spends 135 dollars, so the change is 65.", "The answer is 65."])
    result = engine.solve(SAM)
    assert nodes(result) == ["propose", "fallback"]
    assert result.status == "fallback" and result.answer == "65" and result.route == "fallback"


def test_fallback_without_an_answer_fails_honestly(engine_for):
    engine, _ = engine_for(["no idea", "I cannot tell."])
    result = engine.solve(SAM)
    assert result.status == "failed" and result.answer is None and result.route == "none"


REPAIRED_TWICE = ["propose", "sympy", "verify", "repair", "sympy", "verify", "repair", "sympy", "verify", "fallback"]


@pytest.mark.parametrize("reply,nodes_seen,status,answer,refusal", [
    ("", ["propose", "fallback"], "failed", None, None),
    ("```python\n", ["propose", "fallback"], "failed", None, None),                       # an empty fence
    ("\x00\x01 garbage ```", ["propose", "fallback"], "failed", None, None),
    ("```output\n65\n```", ["propose", "fallback"], "failed", None, None),                # cut at the stop string
    ("```python\nanswer = (\n```", REPAIRED_TWICE, "failed", None, "syntax error"),
    # the solver refuses the import (the program is never run), three times; the fallback then reads the
    # same text as plain reasoning, and its last number is not credited to a solver
    ("import os\nanswer = 1", REPAIRED_TWICE, "fallback", "1", "import of 'os' is not allowed"),
])
def test_model_output_that_is_not_a_program_never_crashes(engine_for, reply, nodes_seen, status, answer, refusal):
    engine, _ = engine_for(respond=lambda prompt: reply)
    result = engine.solve(SAM)
    assert nodes(result) == nodes_seen
    assert (result.status, result.answer) == (status, answer)
    assert result.route == ("fallback" if answer is not None else "none")
    runs = [step.solver for step in result.trace if step.solver]
    assert all(run["status"] == "error" and refusal in run["message"] for run in runs)
    assert len(runs) == (3 if refusal else 0)


def test_unclosed_fence_is_still_run(engine_for):
    engine, _ = engine_for(["```python\n" + GOOD])  # generation stopped before the closing fence
    result = engine.solve(SAM)
    assert result.answer == "65" and result.route == "sympy"


def test_negative_count_is_sent_back_for_repair(engine_for):
    negative = "shirts = 4 * 15\npants = 3 * 25\nanswer = shirts + pants - 200"
    engine, lm = engine_for([fenced(negative), fenced(GOOD)])
    result = engine.solve("How many apples are left? " + SAM)
    assert result.answer == "65" and result.repairs == 1
    assert "negative" in lm.calls[1]["prompts"][0][-1]["content"]


def test_fractional_count_is_sent_back_for_repair(engine_for):
    engine, lm = engine_for([fenced("answer = 7 / 2"), fenced("answer = (7 + 1) // 2")])
    result = engine.solve("A class of 7 children splits into 2 teams. How many children are in each team?")
    assert result.answer == "4" and result.repairs == 1
    assert "whole number" in lm.calls[1]["prompts"][0][-1]["content"]


def test_a_missing_answer_is_sent_back(engine_for):
    engine, lm = engine_for([fenced("import math"), fenced("x = 3\nanswer = x")])
    result = engine.solve("How many cats are there if there are 3 cats?")
    assert result.answer == "3" and result.repairs == 1


def test_a_program_that_forgets_answer_is_answered_by_its_last_assignment(engine_for):
    engine, lm = engine_for([fenced("cats = 3\nkittens = 2\ntotal = cats + kittens")])
    result = engine.solve("How many cats and kittens are there if there are 3 cats and 2 kittens?")
    assert (result.answer, result.status, result.repairs) == ("5", "ok", 0)
    assert result.trace[1].solver["details"]["answer_from"] == "last assignment (total)"


def test_solve_many_issues_one_generate_call_per_step(engine_for):
    # Q<i> with i odd: a good program. i % 4 == 0: an error, then a good repair. Else: no program, fallback.
    def respond(prompt: str) -> str:
        i = int(re.findall(r"Q(\d+)", prompt)[-1])
        if "This program was written for it" in prompt:
            return fenced(f"answer = {i}")
        if "Do not write code" in prompt:
            return f"The answer is {i}."
        if i % 2:
            return fenced(f"answer = {i}")
        return fenced("answer = missing_name") if i % 4 == 0 else "I would rather explain in words."

    engine, lm = engine_for(respond=respond)
    questions = [{"question": f"Q{i}: how many pears are there?", "id": f"q{i}"} for i in range(12)]
    results = engine.solve_many(questions)
    assert [r.id for r in results] == [f"q{i}" for i in range(12)]
    assert [r.answer for r in results] == [str(i) for i in range(12)]
    # step 1: one propose call for all 12; step 2: one call holding the 3 repairs and, separately
    # (different generation settings), one call holding the 3 fallbacks; never 12 sequential calls.
    assert len(lm.calls) == 3
    sizes = sorted(len(call["prompts"]) for call in lm.calls)
    assert sizes == [3, 3, 12]
    assert engine.last_batch_calls[0] == 12
    # the batch keeps question order
    assert [re.findall(r"Q(\d+)", m[-1]["content"])[0] for m in lm.calls[0]["prompts"]] == \
        [str(i) for i in range(12)]
    routes = {r.id: r.route for r in results}
    assert routes["q1"] == "sympy" and routes["q2"] == "fallback" and routes["q4"] == "sympy"


def test_solve_many_groups_by_batch_size(engine_for):
    engine, lm = engine_for(respond=lambda p: fenced("answer = 1"), batch_size=4)
    results = engine.solve_many([f"Box {i} holds 1 cup. How many cups are there in box {i}?" for i in range(10)])
    assert [r.answer for r in results] == ["1"] * 10
    assert [len(c["prompts"]) for c in lm.calls] == [4, 4, 2]


def test_lm_failure_reaches_the_caller(engine_for):
    engine, _ = engine_for([])  # ScriptedLM raises when it runs out of replies
    with pytest.raises(RuntimeError, match="ran out of replies"):
        engine.solve_many(["How many?", "How many more?"])


def test_result_serialises(engine_for):
    import json

    engine, _ = engine_for([fenced(GOOD)])
    data = json.loads(json.dumps(engine.solve(SAM, id=7).to_dict()))
    assert data["answer"] == "65" and data["id"] == "7" and data["route"] == "sympy"
    assert [step["node"] for step in data["trace"]] == ["propose", "sympy", "verify", "answer"]


@pytest.mark.parametrize("question", ["", "   \n", "x" * 8001])
def test_bad_questions_are_refused(engine_for, question):
    from hybrid import InvalidQuestion

    engine, lm = engine_for([])
    with pytest.raises(InvalidQuestion):
        engine.solve(question)
    assert lm.calls == []


def test_the_route_is_decided_once_per_program(engine_for, monkeypatch):
    import solvers

    calls = []
    detect = solvers.detect_solver
    monkeypatch.setattr(solvers, "detect_solver", lambda source: calls.append(source) or detect(source))
    engine, _ = engine_for([fenced(NAME_ERROR), fenced(GOOD)])
    result = engine.solve(SAM)
    assert result.answer == "65" and result.repairs == 1
    assert len(calls) == 2  # the router's, once for each of the two programs; the solver node reuses it


def test_a_fallback_answer_carries_both_readings_and_its_text(engine_for):
    text = "60 + 75 = 135, so the change is 200 - 135 = 65 dollars."
    engine, _ = engine_for(["I would rather explain in words.", text])
    result = engine.solve(SAM)
    assert result.status == "fallback" and result.reasoning == text
    assert result.answer == "65" and result.answers == {"strict-match": None, "flexible-extract": "65"}
    solved = engine_for([fenced(GOOD)])[0].solve(SAM)
    assert solved.answers == {"strict-match": "65", "flexible-extract": "65"} and solved.reasoning is None


def test_an_lm_that_batches_concurrent_calls_itself_is_called_directly(engine_for):
    engine, lm = engine_for(respond=lambda p: fenced("answer = 1"), batch_size=4)
    lm.concurrent = True  # as the CPU path's continuous batching declares: no barrier
    results = engine.solve_many([f"Box {i} holds 1 cup. How many cups are there in box {i}?" for i in range(6)])
    assert [r.answer for r in results] == ["1"] * 6
    assert [len(c["prompts"]) for c in lm.calls] == [1] * 6  # one call per question, as each was ready
    assert engine.last_batch_calls == [1] * 6
