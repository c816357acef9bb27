"""The step prompt tells the truth: each worked conversation in steps_v1, replayed through the real step
loop (the scripted LM replies with the shot's own steps), gives exactly the ```output turns the shot shows
and the shot's answer, and the verifier then refuses it as a copy of the shot (so a model that copies a
shot is never credited); the GSM8K shots are train problems and their answers match the train gold."""
import json
from importlib import resources

import pytest

from hybrid import Engine
from hybrid import prompts
from hybrid.lm.scripted import ScriptedLM


def conversations(name="steps_v1"):
    out = []
    for key, text in prompts.sections(name):
        if key == "shot.user" and text.startswith("Question:"):
            out.append(dict(question=text[len("Question:"):].strip(), steps=[], outputs=[]))
        elif key == "shot.assistant":
            out[-1]["steps"].append(text)
        elif key == "shot.user":
            out[-1]["outputs"].append(text)
    return out


ANSWERS = ["44", "40", "13", "300"]


def test_the_prompt_has_the_four_shots_it_describes():
    shots = conversations()
    assert [len(s["steps"]) for s in shots] == [2, 2, 2, 1]
    assert all(len(s["outputs"]) == len(s["steps"]) - 1 for s in shots)


@pytest.mark.parametrize("index", range(4))
def test_each_shot_replays_to_its_outputs_and_answer(index):
    shot = conversations()[index]
    lm = ScriptedLM(shot["steps"] + ["I cannot tell."])
    r = Engine(lm, mode="steps", max_repairs=0).solve(shot["question"], kind="math")
    observed = [t for t in r.trace if t.node == "observe"]
    assert [t.output for t in observed[:-1]] == shot["outputs"]
    final = observed[-1].provenance
    assert final["final"] and final["value"] == ANSWERS[index] and final["step"] == len(shot["steps"])
    verdict = next(t for t in r.trace if t.node == "verify")
    assert "rejected (copy)" in verdict.output
    assert r.fallback_used


def test_the_gsm8k_shots_are_train_problems_with_their_gold():
    library = {e["question"]: e for e in json.loads(
        resources.files("hybrid.prompts").joinpath("gsm8k_exemplars.json").read_text())}
    shots = conversations()
    for index in (0, 3):
        found = library[shots[index]["question"]]
        assert found["id"].startswith("train-") and found["answer"] == ANSWERS[index]


def test_the_logic_shots_use_z3_and_hand_a_value_to_a_sympy_step():
    for shot in conversations()[1:3]:
        lm = ScriptedLM(shot["steps"] + ["I cannot tell."])
        r = Engine(lm, mode="steps", max_repairs=0).solve(shot["question"], kind="math")
        first, second = r.extra["steps"]
        assert first["solver"] == "z3" and second["solver"] == "sympy"
        assert set(second["uses"].values()) == {1} and second["uses"]
