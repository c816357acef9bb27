"""Repair that cannot copy: the repair turn shows the question, the failing program and the message, not the
few-shot conversation; a program that reproduces an exemplar is rejected and never becomes the answer."""
from __future__ import annotations

import pytest

from hybrid import EngineSettings, prompts, steps

from graph_support import SAM, fenced
from logic_puzzles import ORDERINGS

JACOB = prompts.exemplars()[0]            # train-7012, answer 720: the exemplar copied in issue 13
DOLPHINS = next(e for e in prompts.exemplars() if e["id"] == "train-7040")  # answer 5
LIBRARY_FIRST = prompts.exemplars("gsm8k_library")[0]
BROKEN = "shirts = 4 * 15\nanswer = 200 - shirts - pants"
GOOD = "shirts = 4 * 15\npants = 3 * 25\nanswer = 200 - shirts - pants"
FALLBACK = "4 * 15 = 60 and 3 * 25 = 75, so 200 - 135 = 65.\nThe answer is 65."


def renamed(program: str) -> str:
    """The same numbers and steps under other names (the numbers' copy, not the code's)."""
    return (program.replace("jacob_per_hour", "rate").replace("jake_per_hour", "faster")
            .replace("hours_per_day", "h").replace("days", "d"))


@pytest.mark.parametrize("copy,exemplar", [
    (JACOB["program"], "train-7012"),                                        # verbatim
    ("from sympy import symbols, Eq, solve\n" + JACOB["program"], "train-7012"),  # after an import (records)
    ("\n\n" + JACOB["program"].replace(" = ", "=") + "   # done\n", "train-7012"),  # layout and a comment
    ("from sympy import Rational\n" + DOLPHINS["program"], "train-7040"),    # gsm8k/test/64's repair
    (LIBRARY_FIRST["program"], LIBRARY_FIRST["id"]),                        # a library program
])
def test_a_repair_that_copies_an_exemplar_is_rejected_and_never_answers(engine_for, copy, exemplar):
    engine, lm = engine_for([fenced(BROKEN), fenced(copy), fenced(GOOD)], max_repairs=2)
    result = engine.solve(SAM)
    verdicts = [s.output for s in result.trace if s.node == "verify"]
    assert verdicts[1].startswith("rejected (copy)") and exemplar in verdicts[1]
    assert result.answer == "65" and result.repairs == 2
    assert "Do not reuse a worked example" in lm.calls[2]["prompts"][0][-1]["content"]


ROBE = "A robe takes 2 bolts of blue fiber and half that much white fiber. How many bolts in total does it take?"


@pytest.mark.parametrize("copy", [JACOB["program"], renamed(JACOB["program"])])
def test_a_propose_step_that_copies_is_rejected_too(engine_for, copy):
    # renamed: other names, the exemplar's numbers and none of the question's (gsm8k/test/1 is the robe)
    engine, _ = engine_for([fenced(copy), fenced("blue = 2\nwhite = blue / 2\nanswer = blue + white")])
    result = engine.solve(ROBE)
    assert result.trace[2].output.startswith("rejected (copy): this program is a copy of the worked example "
                                             "train-7012")
    assert result.answer == "3" and result.repairs == 1


def test_copies_until_the_rounds_run_out_end_in_plain_reasoning(engine_for):
    engine, _ = engine_for([fenced(JACOB["program"])] * 3 + [FALLBACK], max_repairs=2)
    result = engine.solve(SAM)
    assert result.status == "fallback" and result.answer == "65"
    assert all(step.output.startswith("rejected (copy)") for step in result.trace if step.node == "verify")


@pytest.mark.parametrize("repair_prompt,kind,resends", [
    ("repair_v3", "math", False),
    ("repair_v3", "logic", False),
    ("repair_v2", "math", True),    # the old turn: the whole conversation again, the program as the model's
    ("repair_v2", "logic", True),
])
def test_the_repair_turn_shows_question_program_and_message(repair_prompt, kind, resends):
    settings = EngineSettings(repair_prompt=repair_prompt)
    if kind == "math":
        question, context, options = SAM, None, None
    else:
        puzzle = ORDERINGS[0]
        question, context, options = puzzle.question, puzzle.context, list(puzzle.options)
    messages = steps.repair_messages(settings, question, kind=kind, program=BROKEN, feedback="line 2: no pants",
                                     context=context, options=options)
    propose = steps.program_messages(settings, question, kind=kind, context=context, options=options)
    last = messages[-1]["content"]
    assert fenced(BROKEN) in (last if not resends else messages[-2]["content"])
    assert "line 2: no pants" in last
    assert messages[0] == propose[0] and messages[0]["role"] == "system"
    shown_elsewhere = [m["content"] for m in propose[1:-1]]  # the few-shot turns
    assert shown_elsewhere
    if resends:
        assert messages[:len(propose)] == propose
    else:
        assert len(messages) == 2 and last.startswith(propose[-1]["content"])  # the question as propose showed it
        assert not any(shot in last for shot in shown_elsewhere)


@pytest.mark.parametrize("kind,ids", [
    ("math", {"train-7012", LIBRARY_FIRST["id"]}),
    ("logic", {"logic_order_v2 shot 1"}),
])
def test_shown_programs_cover_every_exemplar_file_and_the_logic_shots(kind, ids):
    puzzle = ORDERINGS[0]
    question = SAM if kind == "math" else puzzle.question
    options = None if kind == "math" else list(puzzle.options)
    shown = steps.shown_programs(EngineSettings(), question, kind=kind, options=options)
    assert ids <= {s["id"] for s in shown} and all(s["program"].strip() for s in shown)
