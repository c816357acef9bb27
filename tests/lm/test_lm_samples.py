"""k samples per prompt on the tiny random Qwen2: one prefill shared by the samples, sample 1 greedy.

The engine asks for k programs in one call (n=k, greedy_first): the distinct prompts must be prefilled
once (not k times) and the first sample of each prompt must be exactly its greedy continuation, whether
or not the prompts share a cached few-shot prefix and whatever padding their batch needs.
"""
from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from hybrid.lm.transformers_lm import TransformersLM  # noqa: E402
from lm_contract import check_contract  # noqa: E402
from tiny_model import build_tiny_model  # noqa: E402

PREFIX = [{"role": "system", "content": "You are a careful assistant. Exemplars follow. " * 3}]
PROMPTS = [
    "hi",
    [{"role": "user", "content": "a much longer prompt, so the batch needs left padding " * 2}],
    PREFIX + [{"role": "user", "content": "q1"}],
    PREFIX + [{"role": "user", "content": "question number two is longer"}],
]


@pytest.fixture(scope="module")
def lm(tmp_path_factory):
    directory = build_tiny_model(tmp_path_factory.mktemp("tiny-samples"))
    return TransformersLM(str(directory), device="cpu", quantize=None, max_batch_size=8, local_files_only=True)


class ForwardSpy:
    """Records the (rows, new tokens) of every forward pass of the model."""

    def __init__(self, model):
        self.model, self.original, self.shapes = model, model.forward, []

    def __enter__(self):
        def spy(*args, **kwargs):
            ids = kwargs.get("input_ids")
            if ids is not None:
                self.shapes.append(tuple(ids.shape))
            return self.original(*args, **kwargs)

        self.model.forward = spy
        return self

    def __exit__(self, *exc):
        self.model.forward = self.original


@pytest.mark.parametrize("prompts,prefix_cache", [(PROMPTS[:2], True), (PROMPTS[2:], True), (PROMPTS, False),
                                                   (PROMPTS[:1], True)],
                         ids=["padded", "shared-prefix", "mixed-uncached", "one"])
def test_sample_one_is_the_greedy_continuation(lm, prompts, prefix_cache):
    lm.prefix_cache = prefix_cache
    greedy = [g.text for g in lm.generate(prompts, max_new_tokens=10)]
    sampled = lm.generate(prompts, max_new_tokens=10, n=4, temperature=1.5, top_p=0.95, seed=3, greedy_first=True)
    check_contract(sampled, prompts, n=4, stop=(), max_new_tokens=10)
    assert [g.texts[0] for g in sampled] == greedy
    assert any(len(set(g.texts[1:])) > 1 or g.texts[1] != g.texts[0] for g in sampled)  # the others sample
    lm.prefix_cache = True


def test_the_samples_of_a_prompt_share_one_prefill(lm):
    prompts, n = PROMPTS, 4
    with ForwardSpy(lm.model) as spy:
        lm.generate(prompts, max_new_tokens=6, n=n, temperature=1.0, seed=0, greedy_first=True)
    chunk = lm.max_batch_size // n                                 # prompts per generate batch
    prefills = [shape for shape in spy.shapes if shape[1] > 1]
    assert prefills, "no prefill was seen"
    assert all(rows <= chunk for rows, _ in prefills)              # never the n-times repeated batch
    decodes = [shape for shape in spy.shapes if shape[0] > chunk]
    assert decodes and all(tokens == 1 for _, tokens in decodes)   # the expanded batch only decodes
    prompt_tokens = sum(rows * tokens for rows, tokens in prefills)
    longest = max(len(ids) for ids in lm.encode(prompts))
    assert prompt_tokens <= len(prompts) * longest                 # each prompt's tokens once, not n times


def test_seeded_samples_repeat_and_without_greedy_first_all_rows_sample(lm):
    a = lm.generate(PROMPTS, max_new_tokens=8, n=3, temperature=1.5, seed=5, greedy_first=True)
    b = lm.generate(PROMPTS, max_new_tokens=8, n=3, temperature=1.5, seed=5, greedy_first=True)
    assert [g.texts for g in a] == [g.texts for g in b]
    greedy = [g.text for g in lm.generate(PROMPTS, max_new_tokens=8)]
    free = lm.generate(PROMPTS, max_new_tokens=8, n=3, temperature=1.5, seed=5)
    assert [g.texts[0] for g in free] != greedy


def test_greedy_first_is_ignored_when_decoding_is_greedy(lm):
    [g] = lm.generate(["hi"], max_new_tokens=5, n=3, greedy_first=True)
    assert len(set(g.texts)) == 1
