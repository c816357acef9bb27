"""The fast CPU path on a tiny random Qwen2: the decoder against transformers, int4 weights, and CpuLM's
contract, batch invariance (alone, in any batch, queued, after a restart, from many threads) and
continuous batching. Real-model checks are in test_cpu_lm_real_model.py."""
from __future__ import annotations

import threading

import pytest

torch = pytest.importorskip("torch")

from hybrid.lm.cpu import int4, weights  # noqa: E402
from hybrid.lm.cpu.kv import SeqCache  # noqa: E402
from hybrid.lm.cpu_lm import CpuLM  # noqa: E402
from hybrid.lm.errors import ModelError  # noqa: E402
from hybrid.lm.registry import cpu_precision  # noqa: E402

from lm_contract import check_contract  # noqa: E402
from tiny_model import build_tiny_model  # noqa: E402

pytestmark = pytest.mark.skipif(not int4.available(), reason="this torch has no CPU int4 matmul")

PREFIX = [{"role": "system", "content": "You answer questions about numbers and colours, briefly. " * 3}]
PROMPTS = ["hello", "a much longer prompt that has many more tokens than the first one does",
           PREFIX + [{"role": "user", "content": "one"}], PREFIX + [{"role": "user", "content": "two two"}],
           "xyz", "the quick brown fox jumps over the lazy dog"]


@pytest.fixture(scope="module")
def tiny_dir(tmp_path_factory):
    return build_tiny_model(tmp_path_factory.mktemp("tiny-cpu"))


@pytest.fixture(scope="module")
def hf(tiny_dir):
    from transformers import AutoModelForCausalLM

    return AutoModelForCausalLM.from_pretrained(str(tiny_dir), dtype=torch.float32).eval()


def make(tiny_dir, **kw):
    kw.setdefault("chunk", 8)
    kw.setdefault("precision", "int4")
    return CpuLM(str(tiny_dir), local_files_only=True, **kw)


@pytest.fixture(scope="module")
def lm(tiny_dir):
    return make(tiny_dir, max_batch_size=4, precision="int4")


def test_dense_decoder_matches_transformers(hf):
    config = hf.config.to_dict()
    decoder = weights.dense(config, hf.state_dict())
    ids = list(range(5, 30))
    with torch.inference_mode():
        expected = hf(torch.tensor([ids])).logits[0]
        cache = SeqCache(2, 2, 16, 4)  # grows as it fills
        decoder.prefill_chunk(cache, ids[:10], logits=False)
        last = decoder.prefill_chunk(cache, ids[10:-1], logits=True)
        step = decoder.decode([cache], [ids[-1]])[0]
    assert torch.allclose(last, expected[-2], atol=1e-4)
    assert torch.allclose(step, expected[-1], atol=1e-4)


def test_int4_round_trip_and_the_second_level():
    torch.manual_seed(0)
    w = torch.randn(48, 64)
    one = int4.quantize(w)
    error = (int4.dequantize(one) - w).abs()
    groups_scale = one["scales"].repeat_interleave(int4.GROUP, dim=1)
    assert (error <= groups_scale / 2 + 1e-6).all()
    two = int4.quantize(w, levels=2)
    residual = {k[:-1]: v for k, v in two.items() if k.endswith("2")}
    assert (int4.dequantize(one) + int4.dequantize(residual) - w).abs().max() < error.max() / 8
    x = torch.randn(5, 64)
    y = int4.Int4Linear(two)(x)
    assert torch.allclose(y, x @ w.T, atol=0.05 * (x @ w.T).abs().max())


def test_int4_matmul_computes_each_row_alone():
    torch.manual_seed(1)
    layer = int4.Int4Linear(int4.quantize(torch.randn(96, 64)))
    x = torch.randn(33, 64)
    full = layer(x)
    assert all(torch.equal(full[i:i + 1], layer(x[i:i + 1])) for i in range(33))
    assert torch.equal(full[:7], layer(x[:7]))


def test_contract(lm):
    gens = lm.generate(PROMPTS, max_new_tokens=8)
    check_contract(gens, PROMPTS, n=1, stop=(), max_new_tokens=8)
    assert lm.render("hello") == "<|im_start|>user\nhello<|im_end|>\n<|im_start|>assistant\n"


def test_same_text_alone_in_a_batch_queued_restarted_and_threaded(tiny_dir, lm):
    alone = [lm.generate([p], max_new_tokens=12)[0].text for p in PROMPTS]
    assert lm.scheduler.chunks.hits > 0  # the shared system prompt's chunks were reused
    batched = [g.text for g in lm.generate(PROMPTS, max_new_tokens=12)]
    queued = make(tiny_dir, max_batch_size=2)  # rows wait for free slots: continuous batching
    restarted = [g.text for g in queued.generate(list(reversed(PROMPTS)), max_new_tokens=12)][::-1]
    results = {}

    def run(i):
        results[i] = lm.generate([PROMPTS[i]], max_new_tokens=12)[0].text

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(PROMPTS))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert alone == batched == restarted == [results[i] for i in range(len(PROMPTS))]


def test_stop_strings_are_cut_and_counted(lm):
    [free] = lm.generate([PROMPTS[1]], max_new_tokens=16)
    assert len(free.text) > 4
    stop = free.text[2:4]
    [cut] = lm.generate([PROMPTS[1]], max_new_tokens=16, stop=[stop])
    assert stop not in cut.text and free.text.startswith(cut.text)
    assert cut.completion_tokens < free.completion_tokens


def test_samples_greedy_copies_seeded_sampling_and_greedy_first(lm):
    [greedy] = lm.generate([PROMPTS[0]], max_new_tokens=6, n=3)
    assert len(set(greedy.texts)) == 1 and greedy.completion_tokens == 3 * lm.generate(
        [PROMPTS[0]], max_new_tokens=6)[0].completion_tokens
    first = lm.generate(PROMPTS[:2], max_new_tokens=6, n=3, temperature=1.0, seed=7)
    with_others = lm.generate(PROMPTS[:4], max_new_tokens=6, n=3, temperature=1.0, seed=7)
    check_contract(first, PROMPTS[:2], n=3, stop=(), max_new_tokens=6)
    assert [g.texts for g in first] == [g.texts for g in with_others[:2]]  # independent of the batch
    assert len(set(first[1].texts)) > 1
    [mixed] = lm.generate([PROMPTS[0]], max_new_tokens=6, n=3, temperature=1.0, seed=7, greedy_first=True)
    assert mixed.texts[0] == greedy.texts[0]


def test_a_failing_step_fails_the_call_and_the_loop_goes_on(lm, monkeypatch):
    original = lm.decoder.decode
    calls = {"n": 0}

    def broken(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("boom")
        return original(*args, **kwargs)

    monkeypatch.setattr(lm.decoder, "decode", broken)
    with pytest.raises(RuntimeError, match="boom"):
        lm.generate([PROMPTS[0]], max_new_tokens=6)
    assert lm.generate([PROMPTS[0]], max_new_tokens=6)[0].completion_tokens >= 1


def test_precision_choice_and_refusals(tiny_dir):
    on_cpu = not torch.cuda.is_available()
    assert cpu_precision("auto", None, None) == ("int8x2" if on_cpu else None)
    assert cpu_precision("auto", None, None, "int4") == ("int4" if on_cpu else None)
    assert cpu_precision(None, None, None) is None and cpu_precision("none", None, None) is None
    assert cpu_precision("int8-pc", None, None) is None and cpu_precision("auto", None, "float32") is None
    assert cpu_precision("int8x2", "cuda", None) == "int8x2"
    with pytest.raises(ModelError, match="unknown CPU precision"):
        make(tiny_dir, precision="int3")
    assert "model_type 'gpt2'" in weights.support_error({"model_type": "gpt2"})


def test_two_level_precision_runs(tiny_dir):
    lm8 = make(tiny_dir, precision="int8x2")
    check_contract(lm8.generate(PROMPTS[:3], max_new_tokens=5), PROMPTS[:3], n=1, stop=(), max_new_tokens=5)


def test_close_stops_the_loop_and_a_later_call_restarts_it(lm):
    first = lm.generate([PROMPTS[0]], max_new_tokens=5)[0].text
    lm.scheduler.close()
    assert lm.scheduler._thread is None
    assert lm.generate([PROMPTS[0]], max_new_tokens=5)[0].text == first


def test_continuous_false_gives_the_engine_its_barrier_back(tiny_dir):
    from hybrid.batching import BatchingLM, DirectLM, batcher_for

    assert isinstance(batcher_for(make(tiny_dir), 2), DirectLM)
    assert isinstance(batcher_for(make(tiny_dir, continuous=False), 2), BatchingLM)


def test_packing_in_blocks_is_packing_the_whole_matrix():
    torch.manual_seed(2)
    w = torch.randn(int4.PACK_ROWS + 1040, 64)
    parts = int4.quantize(w)
    layer = int4.Int4Linear(parts)  # packed block by block
    codes = torch.stack([parts["codes"] & 15, parts["codes"] >> 4], dim=-1).reshape(w.shape[0], -1).to(torch.int32)
    whole = torch.ops.aten._convert_weight_to_int4pack_for_cpu(codes, 1)
    assert torch.equal(layer.levels[0].weight, whole)


def test_the_cache_file_reads_back_tensor_for_tensor(tmp_path):
    tensors = {"a": torch.arange(6, dtype=torch.uint8).reshape(2, 3), "b": torch.randn(4, 5),
               "c": torch.randn(3).to(torch.bfloat16), "empty": torch.zeros(0, 4)}
    weights.save(tmp_path, tensors)
    lazy = weights.load(tmp_path)
    assert "a" in lazy and "z" not in lazy
    for name, tensor in tensors.items():
        got = lazy.pop(name)
        assert got.dtype == tensor.dtype and torch.equal(got, tensor)
    assert "a" not in lazy and lazy.pop("a", None) is None
