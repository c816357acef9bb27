"""Real-model tests: the bundled 0.5B through TransformersLM keeps the same contract as the scripted double.

Deselected by default; run with `flock /tmp/hybrid-model.lock pytest -m real_model tests/lm`. Each test
generates only a few tokens.
"""
from __future__ import annotations

import time

import pytest

from hybrid.lm import DEFAULT_MODEL, ModelError, ScriptedLM, get_lm

from lm_contract import check_contract

pytestmark = pytest.mark.real_model

PROMPTS = [
    "Count from 1 to 20, separated by commas.",
    [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "Name three colours."}],
    "Write a Python function that adds two numbers.",
]


@pytest.fixture(scope="module")
def lm():
    try:
        return get_lm(DEFAULT_MODEL)
    except ModelError as exc:
        pytest.skip(f"bundled model unavailable: {exc}")


@pytest.fixture(scope="module")
def lm_fp32():
    try:
        return get_lm(DEFAULT_MODEL, quantize=None)
    except ModelError as exc:
        pytest.skip(f"bundled model unavailable: {exc}")


@pytest.mark.parametrize("double", [False, True])
def test_contract_matches_the_scripted_double(lm, double):
    backend = ScriptedLM(respond=lambda text: "1, 2, 3, 4, 5, 6, 7, 8") if double else lm
    gens = backend.generate(PROMPTS, max_new_tokens=12, stop=["5"], n=1)
    check_contract(gens, PROMPTS, n=1, stop=["5"], max_new_tokens=12)


def test_stop_string_cut_and_counted(lm):
    [gen] = lm.generate([PROMPTS[0]], max_new_tokens=40, stop=[", 4"])
    assert gen.text.rstrip().endswith("3") and ", 4" not in gen.text
    assert gen.completion_tokens < 40  # the row stopped at the stop string, not at max_new_tokens


def test_greedy_n_samples_and_sampling_with_seed(lm):
    [greedy] = lm.generate([PROMPTS[1]], max_new_tokens=6, n=2)
    assert len(greedy.texts) == 2 and greedy.texts[0] == greedy.texts[1]
    first = lm.generate([PROMPTS[1]], max_new_tokens=6, n=3, temperature=1.0, seed=7)
    again = lm.generate([PROMPTS[1]], max_new_tokens=6, n=3, temperature=1.0, seed=7)
    check_contract(first, PROMPTS[1:2], n=3, stop=(), max_new_tokens=6)
    assert first[0].texts == again[0].texts


def test_batch_keeps_order_and_matches_single_prompts(lm_fp32):
    batched = lm_fp32.generate(PROMPTS, max_new_tokens=6)
    single = [lm_fp32.generate([p], max_new_tokens=6)[0] for p in PROMPTS]
    assert [g.text for g in batched] == [g.text for g in single]
    assert [g.prompt_tokens for g in batched] == [g.prompt_tokens for g in single]


def test_shared_prefix_cache_gives_the_same_greedy_text(lm_fp32):
    shots = [{"role": "system", "content": "Answer with a number. " * 20}]
    prompts = [shots + [{"role": "user", "content": f"What is {a} + {a}?"}] for a in (2, 30, 400)]
    lm_fp32.prefix_cache = False
    plain = [g.text for g in lm_fp32.generate(prompts, max_new_tokens=5)]
    lm_fp32.prefix_cache = True
    cached = [g.text for g in lm_fp32.generate(prompts, max_new_tokens=5)]
    assert cached == plain


def test_second_load_takes_seconds():
    began = time.perf_counter()
    get_lm(DEFAULT_MODEL, quantize=None)
    assert time.perf_counter() - began < 30
