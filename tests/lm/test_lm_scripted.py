"""The scripted LM double keeps the LM contract (the real-model test checks the real backend the same way)."""
from __future__ import annotations

import pytest

from hybrid.lm import Generation, ScriptedLM
from hybrid.lm.scripted import cut_at_stop, prompt_text

from lm_contract import check_contract


def test_queue_replies_in_order_and_records_calls():
    lm = ScriptedLM(["one two", "three"])
    gens = lm.generate(["a", [{"role": "user", "content": "b"}]], max_new_tokens=10, stop=["x"], seed=3)
    assert [g.text for g in gens] == ["one two", "three"]
    assert lm.prompts == ["a", [{"role": "user", "content": "b"}]]
    assert lm.calls[0]["stop"] == ("x",) and lm.calls[0]["seed"] == 3 and lm.calls[0]["max_new_tokens"] == 10


def test_contract_with_n_samples_and_stop():
    lm = ScriptedLM(respond=lambda text: f"echo {text} STOP tail")
    prompts = ["first prompt", [{"role": "system", "content": "sys"}, {"role": "user", "content": "second"}]]
    gens = lm.generate(prompts, max_new_tokens=50, n=2, stop=["STOP"])
    check_contract(gens, prompts, n=2, stop=["STOP"], max_new_tokens=50)
    assert gens[1].texts == ("echo sys\nsecond ", "echo sys\nsecond ")


def test_max_new_tokens_truncates_words():
    [gen] = ScriptedLM(["a b c d e"]).generate(["p"], max_new_tokens=3)
    assert gen.text == "a b c" and gen.completion_tokens == 3


def test_runs_out_loudly():
    with pytest.raises(RuntimeError, match="ran out"):
        ScriptedLM([]).generate(["p"])


@pytest.mark.parametrize(
    "text, stop, expected",
    [("abc```output\n7", ["```output"], "abc"), ("a\n\nb", ["\n\n", "b"], "a"), ("ab", ["b", "a"], ""),
     ("abc", [], "abc"), ("abc", [""], "abc")],
)
def test_cut_at_stop(text, stop, expected):
    assert cut_at_stop(text, stop) == expected


def test_prompt_text_and_generation_text():
    assert prompt_text([{"role": "user", "content": "x"}, {"role": "assistant", "content": "y"}]) == "x\ny"
    assert Generation((), 1, 0, 0.0).text == ""
