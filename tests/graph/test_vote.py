"""Sampled programs voted by the solvers, with the scripted model double and the real solvers.

k programs come from one generate call (n=k, sample 1 greedy); each runs in the worker pool; every
verified answer votes; the winner's share of the k programs is the confidence; below min_confidence the
engine asks plain reasoning, which picks among the programs' answers (the one it agrees with, else the
vote's winner), or abstains when asked; with nothing verified it repairs first, then falls back.
"""
from __future__ import annotations

import threading
import time

import pytest

from hybrid import prompts

from graph_support import SAM, fenced
from logic_puzzles import ORDERINGS

P65 = fenced("shirts = 4 * 15\npants = 3 * 25\nanswer = 200 - shirts - pants")
P60 = fenced("shirts = 4 * 15\nanswer = 200 - shirts - 3 * 25 - 5")
P70 = fenced("answer = 200 - 4 * 15 - 3 * 25 + 5")
P65_NEAR = fenced("answer = 200 - 134.99999999")            # 65.00000001: the same number within tolerance
ERROR = fenced("shirts = 4 * 15\nanswer = 200 - shirts - pants")
COPY = fenced(prompts.exemplars()[0]["program"])           # Jacob and Jake's program (720)
FALLBACK = "4 * 15 = 60 and 3 * 25 = 75, so 200 - 135 = 65.\nThe answer is 65."


def nodes(result):
    return [step.node for step in result.trace]


def vote_step(result):
    return next(step for step in result.trace if step.node == "vote")


def test_one_call_for_k_programs_then_a_majority_answers(engine_for):
    engine, lm = engine_for([P65, P65, P60, ERROR, P65], samples=5, sample_temperature=0.8, top_p=0.9)
    result = engine.solve(SAM)
    assert (result.answer, result.status, result.route, result.confidence) == ("65", "ok", "sympy", 0.6)
    assert nodes(result) == ["propose"] + ["samples"] * 5 + ["vote", "answer"]
    [call] = lm.calls
    assert (call["n"], call["greedy_first"], call["temperature"], call["top_p"]) == (5, True, 0.8, 0.9)
    assert len(call["prompts"]) == 1
    # the trace shows each program, its answer and its vote
    programs = [step.input for step in result.trace if step.node == "samples"]
    assert programs[2] == P60[len("```python\n"):-len("\n```")]
    assert [step.output for step in result.trace if step.node == "samples"][:3] == ["ok: 65", "ok: 65", "ok: 60"]
    lines = vote_step(result).input.splitlines()
    assert lines[0] == "sample 1: 65 (votes 65)" and lines[2] == "sample 3: 60 (votes 60)"
    assert lines[3].startswith("sample 4: no vote (error:")
    assert vote_step(result).output == "65 x3, 60 x1 of 5 programs -> 65 (0.6)"
    vote = result.extra["vote"]
    assert [row["vote"] for row in vote["samples"]] == ["65", "65", "60", None, "65"]
    assert vote["groups"] == [dict(answer="65", votes=3, samples=[0, 1, 4]), dict(answer="60", votes=1, samples=[2])]


@pytest.mark.parametrize("replies,min_confidence,expected", [
    ([P60, P65, P65, P60], 0.5, ("60", "ok", 0.5)),          # a tie goes to the greedy program's answer
    ([P65, P60, P60, P65], 0.5, ("65", "ok", 0.5)),
    ([P60, P65, P70, P65], 0.5, ("65", "ok", 0.5)),          # no tie: the majority, whatever sample 1 says
    ([P65, P65_NEAR, P60, P60], 0.5, ("65", "ok", 0.5)),     # numbers within tolerance are one answer
    ([P60, P65, P65, P60] + [FALLBACK], 0.6, ("65", "ok", 0.5)),  # a tie below the bar: plain reasoning picks 65
])
def test_ties_and_groups(engine_for, replies, min_confidence, expected):
    engine, _ = engine_for(replies, samples=4, min_confidence=min_confidence)
    result = engine.solve(SAM)
    assert (result.answer, result.status, result.confidence) == expected


def test_the_result_shows_the_first_program_of_the_winning_answer(engine_for):
    engine, _ = engine_for([P60, P65, P65], samples=3)
    result = engine.solve(SAM)
    assert result.answer == "65" and result.program == P65[len("```python\n"):-len("\n```")]
    assert result.extra["solver_result"]["value"] == "65"


def test_a_vote_below_the_bar_asks_plain_reasoning_which_picks_a_program_answer(engine_for):
    engine, lm = engine_for([P65, P60, P70, ERROR, ERROR, FALLBACK], samples=5)
    result = engine.solve(SAM)
    assert nodes(result)[-3:] == ["vote", "fallback", "reconcile"]
    assert "Do not write code" in lm.calls[-1]["prompts"][0][0]["content"] and lm.calls[-1]["n"] == 1
    # plain reasoning said 65, which one program computed: the program's answer, not the prose, answers
    assert (result.answer, result.status, result.route, result.confidence) == ("65", "ok", "sympy", 0.2)
    assert result.fallback_used is False and result.extra["reconciled"] == "agreed"
    assert result.extra["vote"]["confidence"] == 0.2 and result.extra["vote"]["winner"] == "65"
    assert result.trace[-1].input == "plain reasoning: 65; programs: 65 x1, 60 x1, 70 x1"
    assert result.reasoning == FALLBACK  # what plain reasoning wrote stays in the result


def test_plain_reasoning_may_pick_a_minority_answer(engine_for):
    sixty = "4 * 15 = 60, then 200 - 60 - 75 - 5 = 60.\nThe answer is 60."
    engine, _ = engine_for([P65, P65, P60, ERROR, ERROR, sixty], samples=5, min_confidence=0.6)
    result = engine.solve(SAM)
    assert (result.answer, result.status, result.confidence) == ("60", "ok", 0.2)
    assert result.program == P60[len("```python\n"):-len("\n```")] and result.extra["solver_result"]["value"] == "60"
    assert result.extra["reconciled"] == "agreed" and result.answers["strict-match"] == "60"


def test_plain_reasoning_that_agrees_with_no_program_leaves_the_vote_winner(engine_for):
    other = "I add everything: 200 + 60 + 75 = 335.\nThe answer is 335."
    engine, _ = engine_for([P65, P65, P60, ERROR, ERROR, other], samples=5, min_confidence=0.6)
    result = engine.solve(SAM)
    assert (result.answer, result.status, result.route, result.confidence) == ("65", "ok", "sympy", 0.4)
    assert result.extra["reconciled"] == "vote" and result.fallback_used is False
    assert "agrees with no program answer" in result.trace[-1].note
    no_answer = "I cannot tell."
    engine, _ = engine_for([P65, P65, P60, ERROR, ERROR, no_answer], samples=5, min_confidence=0.6)
    result = engine.solve(SAM)  # plain reasoning without an answer agrees with nothing
    assert (result.answer, result.extra["reconciled"], result.status) == ("65", "vote", "ok")


def test_plain_reasoning_picks_among_logic_letters(engine_for):
    puzzle = ORDERINGS[0]
    good, wrong = fenced(puzzle.program), fenced("answer = 'A'" if puzzle.answer != "A" else "answer = 'B'")
    said = f"Reasoning about the order.\nThe answer is {puzzle.answer}."
    engine, _ = engine_for([wrong, good, wrong, good, fenced("answer = ("), said], samples=5, min_confidence=0.6)
    result = engine.solve(puzzle.question, context=puzzle.context, options=list(puzzle.options))
    # a 2-2 tie below the bar; plain reasoning names the letter Z3 decided, which answers, through z3
    assert (result.answer, result.status, result.route, result.confidence) == (puzzle.answer, "ok", "z3", 0.4)
    assert result.extra["reconciled"] == "agreed"


def test_abstention_says_unsure_instead_of_guessing(engine_for):
    engine, lm = engine_for([P65, P60, P70, ERROR, ERROR], samples=5, abstain=True)
    result = engine.solve(SAM)
    assert (result.answer, result.status, result.route, result.confidence) == (None, "unsure", "none", 0.2)
    assert nodes(result)[-2:] == ["vote", "unsure"] and len(lm.calls) == 1  # no plain reasoning asked for
    assert result.trace[-1].output == "unsure: the best answer 65 holds 0.2 of the programs"


def test_all_error_samples_repair_the_greedy_program(engine_for):
    engine, lm = engine_for([ERROR, fenced("answer = ("), "No program here.", P65], samples=3)
    result = engine.solve(SAM)
    assert (result.answer, result.status, result.repairs) == ("65", "ok", 1)
    assert nodes(result) == ["propose"] + ["samples"] * 3 + ["vote", "repair", "sympy", "verify", "answer"]
    assert result.confidence == 0.25  # one answer among the 3 samples and the repair
    assert vote_step(result).output == "no verified answer among 3 programs"
    repair_turn = lm.calls[1]["prompts"][0][-1]["content"]
    assert ERROR in repair_turn and "pants" in repair_turn and lm.calls[1]["n"] == 1


@pytest.mark.parametrize("abstain,expected", [(False, ("65", "fallback")), (True, (None, "unsure"))])
def test_all_error_samples_without_repairs_fall_back_or_abstain(engine_for, abstain, expected):
    replies = [ERROR, ERROR, ERROR] + ([] if abstain else [FALLBACK])
    engine, _ = engine_for(replies, samples=3, max_repairs=0, abstain=abstain)
    result = engine.solve(SAM)
    assert (result.answer, result.status) == expected and result.confidence is None


def test_samples_without_any_program_go_to_plain_reasoning(engine_for):
    engine, _ = engine_for(["I think 65.", "Maybe 60.", FALLBACK], samples=2)
    result = engine.solve(SAM)
    assert nodes(result) == ["propose", "fallback"] and result.answer == "65"


def test_copies_of_an_exemplar_never_vote(engine_for):
    engine, _ = engine_for([COPY, COPY, P65], samples=3, min_confidence=0.3)
    result = engine.solve(SAM)
    assert (result.answer, result.confidence) == ("65", 0.3333)
    rejected = [row["rejected"] for row in result.extra["vote"]["samples"]]
    assert rejected[0].startswith("copy:") and rejected[1].startswith("copy:") and rejected[2] is None


def test_logic_samples_vote_with_z3_letters(engine_for):
    puzzle = ORDERINGS[0]
    good = fenced(puzzle.program)
    letter_only = fenced("answer = 'A'")  # a letter the program asserts, not one Z3 decided: still a vote
    engine, _ = engine_for([good, letter_only, good], samples=3)
    result = engine.solve(puzzle.question, context=puzzle.context, options=list(puzzle.options))
    assert (result.answer, result.route, result.confidence) == (puzzle.answer, "z3", 0.6667)
    groups = {g["answer"]: g["votes"] for g in result.extra["vote"]["groups"]}
    assert groups[puzzle.answer] == 2


def test_one_sample_is_the_single_program_path(engine_for):
    engine, lm = engine_for([P65])
    result = engine.solve(SAM)
    assert nodes(result) == ["propose", "sympy", "verify", "answer"] and result.confidence == 1.0
    assert lm.calls[0]["n"] == 1 and lm.calls[0]["greedy_first"] is False
    engine, _ = engine_for([ERROR, P65])
    assert engine.solve(SAM).confidence == 0.5  # one answer among two programs written


def test_the_pal_at_k_settings_take_the_winner_without_repair_or_fallback(engine_for):
    engine, lm = engine_for([P65, P60, P70, ERROR], samples=4, max_repairs=0, abstain=True, min_confidence=0.0)
    result = engine.solve(SAM)
    assert (result.answer, result.status, result.confidence) == ("65", "ok", 0.25) and len(lm.calls) == 1
    engine, lm = engine_for([ERROR] * 4, samples=4, max_repairs=0, abstain=True, min_confidence=0.0)
    assert engine.solve(SAM).status == "unsure" and len(lm.calls) == 1


def test_a_batch_of_questions_asks_for_all_their_samples_in_one_call(engine_for):
    engine, lm = engine_for(respond=lambda prompt: P65, samples=4)
    results = engine.solve_many([SAM, SAM + " ", SAM + "  "])
    assert [r.answer for r in results] == ["65"] * 3 and [r.confidence for r in results] == [1.0] * 3
    [call] = lm.calls
    assert len(call["prompts"]) == 3 and call["n"] == 4


def test_samples_run_in_the_worker_pool_at_once(engine_for, monkeypatch):
    import solvers

    real, running, peak = solvers.run_program, [0], [0]
    lock = threading.Lock()

    def slow(*args, **kwargs):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.3)
        try:
            return real(*args, **kwargs)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(solvers, "run_program", slow)
    engine, _ = engine_for([P65] * 4, samples=4)
    assert engine.solve(SAM).answer == "65"
    assert peak[0] == 4


@pytest.mark.parametrize("answers,programs,winner,confidence,groups", [
    (["65", "65", "60"], None, "65", 0.6667, [("65", 2), ("60", 1)]),
    (["60", "65", "65", "60"], None, "60", 0.5, [("60", 2), ("65", 2)]),       # tie: the earliest sample
    ([None, "65", "60"], None, "65", 0.3333, [("65", 1), ("60", 1)]),          # tie among later samples
    (["65", "65.0000001", "6.5E1"], None, "65", 1.0, [("65", 3)]),             # one number, three texts
    (["0.0000001", "0"], None, "0.0000001", 1.0, [("0.0000001", 2)]),          # absolute below 1
    (["B", "B", "C", None], None, "B", 0.5, [("B", 2), ("C", 1)]),             # letters by text
    (["True", "65"], None, "True", 0.5, [("True", 1), ("65", 1)]),
    ([None, None], None, None, None, []),
    (["65"], 3, "65", 0.3333, [("65", 1)]),                                    # a share of all programs written
    ([], None, None, None, []),
])
def test_tally(answers, programs, winner, confidence, groups):
    from hybrid.vote import tally

    counted = tally(answers, programs=programs)
    assert (counted.winner.answer if counted.winner else None) == winner
    assert counted.confidence == confidence
    assert [(g.answer, g.votes) for g in counted.groups] == groups
