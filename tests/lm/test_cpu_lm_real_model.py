"""Real-model checks of the CPU path (the default on CPU): the bundled 0.5B's greedy text for a prompt is
the same alone, in a batch of 16 different prompts, and after a resume (a fresh LM, cold caches), and a
batch of samples does not depend on the other prompts sharing it.

Deselected by default; run with `pytest -m real_model tests/lm/test_cpu_lm_real_model.py`."""
from __future__ import annotations

import pytest

from hybrid.lm import DEFAULT_MODEL, ModelError, get_lm

pytestmark = pytest.mark.real_model

SHOTS = [{"role": "system", "content": "Solve the problem step by step. End with 'The answer is N'."}]
QUESTIONS = [
    "Tom has 3 boxes of 12 pencils and gives away 7 pencils. How many are left?",
    "A train travels 60 km per hour for 2.5 hours. How far does it go?",
    "What is 15% of 240?", "Sara reads 14 pages a day. How many pages does she read in 3 weeks?",
    "A shirt costs $25 and is 20% off. What is the sale price?", "What is 2 to the power 10?",
    "Name three primary colours.", "Write a Python function that reverses a string.",
    "How many minutes are in 7 hours?", "If x + 7 = 19, what is x?",
    "A rectangle is 8 by 5. What is its area?", "Count from 1 to 10.",
    "Ben is twice as old as Ann, who is 9. How old is Ben?", "What is the capital of France?",
    "Divide 144 by 12.", "A dozen eggs cost $3. How much do 5 dozen cost?",
]


def load():
    try:
        return get_lm(DEFAULT_MODEL)
    except ModelError as exc:
        pytest.skip(f"bundled model unavailable: {exc}")


def prompts():
    return [SHOTS + [{"role": "user", "content": q}] for q in QUESTIONS]


def test_the_cpu_default_is_batch_invariant_and_resumable():
    lm = load()
    if type(lm).__name__ != "CpuLM":
        pytest.skip("this machine's default is not the CPU path")
    batch = [g.text for g in lm.generate(prompts(), max_new_tokens=40)]
    alone = [lm.generate([p], max_new_tokens=40)[0].text for p in prompts()[:3]]
    resumed = load()  # a fresh process's view: new weights object, empty prompt-chunk cache
    again = [g.text for g in resumed.generate(prompts()[5:0:-1], max_new_tokens=40)][::-1]
    assert alone == batch[:3]
    assert again == batch[1:6]
    assert sum("answer" in t.lower() or any(c.isdigit() for c in t) for t in batch) >= 8  # real text


def test_samples_do_not_depend_on_their_batch():
    lm = load()
    if type(lm).__name__ != "CpuLM":
        pytest.skip("this machine's default is not the CPU path")
    some = lm.generate(prompts()[:2], max_new_tokens=16, n=3, temperature=0.7, seed=3, greedy_first=True)
    more = lm.generate(prompts()[:6], max_new_tokens=16, n=3, temperature=0.7, seed=3, greedy_first=True)
    assert [g.texts for g in some] == [g.texts for g in more[:2]]
    assert some[0].texts[0] == lm.generate(prompts()[:1], max_new_tokens=16)[0].text
