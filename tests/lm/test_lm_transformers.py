"""TransformersLM mechanics on a tiny random Qwen2 (no real weights): batching, order, padding, stop
strings, token counts, n samples, seeds, the shared-prefix KV cache, int8, and load errors."""
from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from hybrid.lm import ModelError, ModelNotFoundError, get_lm  # noqa: E402
from hybrid.lm.transformers_lm import TransformersLM  # noqa: E402
from lm_contract import check_contract  # noqa: E402
from tiny_model import build_tiny_model  # noqa: E402

PREFIX = [{"role": "system", "content": "You are a careful assistant. Exemplars follow. " * 3}]
PROMPTS = [
    "hi",
    [{"role": "user", "content": "a much longer prompt, so the batch needs left padding " * 2}],
    PREFIX + [{"role": "user", "content": "q1"}],
    PREFIX + [{"role": "user", "content": "question number two is longer"}],
    "medium length prompt",
]


@pytest.fixture(scope="module")
def tiny_dir(tmp_path_factory):
    return build_tiny_model(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="module")
def lm(tiny_dir):
    return TransformersLM(str(tiny_dir), device="cpu", quantize=None, max_batch_size=2, local_files_only=True)


def test_contract_and_order(lm):
    gens = lm.generate(PROMPTS, max_new_tokens=8)
    check_contract(gens, PROMPTS, n=1, stop=(), max_new_tokens=8)
    single = [lm.generate([p], max_new_tokens=8)[0] for p in PROMPTS]
    assert [g.text for g in gens] == [g.text for g in single]  # sorted batches, order restored, padding inert
    assert [g.prompt_tokens for g in gens] == [g.prompt_tokens for g in single]
    assert gens[1].prompt_tokens > gens[4].prompt_tokens > gens[0].prompt_tokens


def test_chat_template_is_applied(lm):
    rendered = lm.render("hello")
    assert rendered == "<|im_start|>user\nhello<|im_end|>\n<|im_start|>assistant\n"
    assert lm.render(PROMPTS[2]).startswith("<|im_start|>system\n")


def test_prefix_cache_matches_the_plain_path(lm):
    prompts = PROMPTS[2:4] + [PREFIX + [{"role": "user", "content": "x"}]]
    lm.prefix_cache = False
    plain = lm.generate(prompts, max_new_tokens=10)
    lm.prefix_cache = True
    lm._prefixes.clear()
    cached = lm.generate(prompts, max_new_tokens=10)
    assert lm._prefixes, "the shared prefix should have been cached"
    again = lm.generate(prompts, max_new_tokens=10)
    assert [g.text for g in cached] == [g.text for g in plain] == [g.text for g in again]
    assert [g.completion_tokens for g in cached] == [g.completion_tokens for g in plain]


def test_stop_string_cuts_and_ends_the_row(lm):
    [free] = lm.generate(["hi"], max_new_tokens=20)
    assert len(free.text) >= 4
    stop = free.text[2:4]  # a string the greedy continuation is known to produce
    [cut] = lm.generate(["hi"], max_new_tokens=20, stop=[stop])
    assert cut.text == free.text[: free.text.find(stop)]
    assert cut.completion_tokens < free.completion_tokens


def test_stop_rows_independent_in_a_batch(lm):
    free = lm.generate(PROMPTS[:2], max_new_tokens=16)
    stop = free[0].text[1:3]
    cut = lm.generate(PROMPTS[:2], max_new_tokens=16, stop=[stop])
    assert cut[0].text == free[0].text[: free[0].text.find(stop)]
    if stop not in free[1].text:
        assert cut[1].text == free[1].text and cut[1].completion_tokens == free[1].completion_tokens


def test_greedy_n_copies_and_seeded_sampling(lm):
    [greedy] = lm.generate(["hi"], max_new_tokens=5, n=3)
    assert len(set(greedy.texts)) == 1 and greedy.completion_tokens == 3 * lm.generate(["hi"], max_new_tokens=5)[0].completion_tokens
    a = lm.generate(PROMPTS[:3], max_new_tokens=6, n=3, temperature=1.5, seed=11)
    b = lm.generate(PROMPTS[:3], max_new_tokens=6, n=3, temperature=1.5, seed=11)
    c = lm.generate(PROMPTS[:3], max_new_tokens=6, n=3, temperature=1.5, seed=12)
    check_contract(a, PROMPTS[:3], n=3, stop=(), max_new_tokens=6)
    assert [g.texts for g in a] == [g.texts for g in b]
    assert [g.texts for g in a] != [g.texts for g in c]
    assert any(len(set(g.texts)) > 1 for g in a)


@pytest.mark.parametrize("mode", ["int8", "int8-pc", "int8-nohead"])
def test_int8_runs_and_keeps_the_contract(tiny_dir, mode):
    lm8 = TransformersLM(str(tiny_dir), device="cpu", quantize=mode, local_files_only=True)
    assert lm8.quantize == mode
    quantized = [name for name, m in lm8.model.named_modules() if "quantized" in type(m).__module__]
    assert quantized and ("lm_head" in quantized) == (mode != "int8-nohead")
    gens = lm8.generate(PROMPTS, max_new_tokens=4)
    check_contract(gens, PROMPTS, n=1, stop=(), max_new_tokens=4)


def test_auto_quantize_on_cpu_and_bad_options(tiny_dir):
    cpu = TransformersLM(str(tiny_dir), device="cpu", local_files_only=True)
    assert cpu.quantize is None and cpu.dtype == torch.float32 and cpu.max_batch_size == 16
    assert TransformersLM(str(tiny_dir), device="cpu", dtype="bfloat16", local_files_only=True).quantize is None
    with pytest.raises(ModelError, match="unknown quantize"):
        TransformersLM(str(tiny_dir), device="cpu", quantize="int4", local_files_only=True)
    with pytest.raises(ModelError, match="unknown dtype"):
        TransformersLM(str(tiny_dir), device="cpu", dtype="float13", local_files_only=True)


def test_local_dir_through_get_lm(tiny_dir):
    lm = get_lm(str(tiny_dir), device="cpu", quantize=None)
    assert isinstance(lm, TransformersLM) and lm.name == str(tiny_dir)


def test_bad_directory_and_unknown_hub_id(tmp_path, monkeypatch):
    with pytest.raises(ModelError, match="cannot load a model from directory"):
        get_lm(str(tmp_path))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelNotFoundError, match="cannot load model 'nobody-xyz/no-such-model'"):
        get_lm("nobody-xyz/no-such-model", local_files_only=True)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_gpu_path(tiny_dir):
    lm = TransformersLM(str(tiny_dir), local_files_only=True)
    assert lm.device == "cuda" and lm.quantize is None and lm.dtype in (torch.bfloat16, torch.float16)
    gens = lm.generate(PROMPTS, max_new_tokens=6, n=2, temperature=1.0)
    check_contract(gens, PROMPTS, n=2, stop=(), max_new_tokens=6)
    lm32 = TransformersLM(str(tiny_dir), dtype="float32", local_files_only=True)
    batched = [g.text for g in lm32.generate(PROMPTS, max_new_tokens=6)]
    assert batched == [lm32.generate([p], max_new_tokens=6)[0].text for p in PROMPTS]
    with pytest.raises(ModelError, match="CPU only"):
        TransformersLM(str(tiny_dir), quantize="int8", local_files_only=True)
