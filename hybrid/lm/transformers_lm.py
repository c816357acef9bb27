"""TransformersLM: a local Hugging Face causal LM behind the one `generate` protocol.

Loads with AutoModelForCausalLM/AutoTokenizer.from_pretrained (a hub id, a local directory, or the
converted cache of a bundled model), picks CPU or GPU and a dtype automatically, and generates in
batches: prompts sorted by length, left padding, greedy unless temperature > 0, each row stopped
independently at EOS or at a stop string, order restored. The n samples of a prompt share one prefill: the
batch's distinct prompts are prefilled once (after the shared few-shot prefix, itself cached) and the KV
cache is repeated n times before decoding; with `greedy_first`, the first of each prompt's n rows decodes
greedily (a logits processor keeps only its argmax) while the others sample. On CPU, Linear layers can be dynamically
quantized to int8 (`quantize="int8-pc"` per-channel, "int8" per-tensor), which makes decoding about twice
as fast on a 2-core machine; the default stays fp32 (None) because int8 quantizes activations per batch, so
an answer would depend on which other prompts shared its batch (and a resumed run would differ from an
uninterrupted one), and it changed the bundled 0.5B model's answers on real questions.
It does not stream, and does not do speculative decoding.
"""
from __future__ import annotations

import time
from typing import Sequence

from hybrid.lm.base import Generation, Prompt
from hybrid.lm.chat_format import ChatFormat, ChatFormatted
from hybrid.lm.errors import ModelError, load_error
from hybrid.lm.decoding import GreedyRows, StopOnStrings
from hybrid.lm.scripted import cut_at_stop
from hybrid.lm.torch_setup import QUANTIZE_MODES, cpu_threads, pick_device, pick_dtype, quantize_int8

# Default CPU path, chosen by measurement (benchmarks/bench_lm.py): dynamic int8 on the Linear layers
# decodes 2-3x faster than fp32 on 2 cores. Per-channel weight scales ran as fast as per-tensor ones on
# the 0.5B and kept the fp32 answer on 8/16 GSM8K probe questions against 3/16 for per-tensor.
DEFAULT_CPU_QUANTIZE = None  # opt in with quantize="int8-pc" for speed; see the module docstring
DEFAULT_CPU_BATCH = 16
DEFAULT_GPU_BATCH = 64


class TransformersLM(ChatFormatted):
    """A local transformers model. See the module docstring."""

    def __init__(
        self,
        model: str,
        *,
        name: str | None = None,
        device: str | None = None,
        dtype=None,
        quantize: str | None = "auto",
        max_batch_size: int | None = None,
        num_threads: int | None = None,
        local_files_only: bool = False,
        chat_for_text: bool = True,
        compile: bool = False,
        prefix_cache: bool | None = None,
        min_prefix: int = 32,
    ) -> None:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        self.name = name or model
        self.source = model
        self.device = pick_device(device)
        self.dtype = pick_dtype(self.device, dtype)
        if self.device == "cpu":
            torch.set_num_threads(num_threads or cpu_threads())
        if quantize == "auto":
            quantize = DEFAULT_CPU_QUANTIZE if self.device == "cpu" and self.dtype == torch.float32 else None
        if quantize not in (None, *QUANTIZE_MODES):
            raise ModelError(f"unknown quantize={quantize!r}; use one of {', '.join(QUANTIZE_MODES)} or None")
        if quantize and self.device != "cpu":
            raise ModelError("quantize='int8' (torch dynamic quantization) runs on CPU only; use quantize=None")
        self.quantize = quantize
        self.max_batch_size = max_batch_size or (DEFAULT_CPU_BATCH if self.device == "cpu" else DEFAULT_GPU_BATCH)
        self.chat_for_text = chat_for_text
        started = time.perf_counter()
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(model, local_files_only=local_files_only)
            self.model = AutoModelForCausalLM.from_pretrained(
                model, dtype=self.dtype, local_files_only=local_files_only
            )
        except (OSError, ValueError) as exc:
            raise load_error(model, exc) from exc
        self.model.to(self.device)
        self.model.eval()
        if quantize:
            self.model = quantize_int8(self.model, quantize)
        if compile:
            self.model.forward = torch.compile(self.model.forward, dynamic=True)
        self.load_seconds = time.perf_counter() - started
        self.tokenizer.padding_side = "left"
        if self.tokenizer.pad_token_id is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        self.format = ChatFormat(self.tokenizer, chat_for_text=chat_for_text,
                                 generation_eos=getattr(self.model.generation_config, "eos_token_id", None))
        self.eos_ids = self.format.eos_ids
        # Reusing a shared prompt prefix's KV pays on CPU, where prefill is expensive; on a GPU it measured
        # slightly slower (the copy per batch costs more than the prefill it saves), so it is off there.
        self.prefix_cache = (self.device == "cpu") if prefix_cache is None else prefix_cache
        self.min_prefix = max(1, min_prefix)
        self._prefixes: dict = {}
        import inspect

        params = inspect.signature(self.model.forward).parameters
        self._cache_kw = "cache" if "cache" in params else "past_key_values"

    def generate(
        self,
        prompts: Sequence[Prompt],
        *,
        max_new_tokens: int = 512,
        temperature: float = 0.0,
        top_p: float = 1.0,
        n: int = 1,
        stop: Sequence[str] = (),
        seed: int = 0,
        greedy_first: bool = False,
    ) -> list[Generation]:
        import torch

        if n < 1:
            raise ValueError("n must be >= 1")
        prompts = list(prompts)
        if not prompts:
            return []
        ids = self.encode(prompts)
        order = sorted(range(len(ids)), key=lambda i: -len(ids[i]))  # longest first; similar lengths batch
        results: list[Generation | None] = [None] * len(ids)
        sample = temperature > 0
        rows = self.max_batch_size if not sample else max(1, self.max_batch_size // n)
        if sample:
            torch.manual_seed(seed)
        for start in range(0, len(order), rows):
            chunk = order[start:start + rows]
            began = time.perf_counter()
            texts, counts = self._generate_batch(
                [ids[i] for i in chunk], max_new_tokens=max_new_tokens, temperature=temperature,
                top_p=top_p, n=n if sample else 1, stop=stop, greedy_first=greedy_first and sample and n > 1,
            )
            share = (time.perf_counter() - began) / len(chunk)
            for j, i in enumerate(chunk):
                if sample:
                    row_texts, row_count = texts[j * n:(j + 1) * n], sum(counts[j * n:(j + 1) * n])
                else:  # greedy samples are identical: decode once, report n copies
                    row_texts, row_count = [texts[j]] * n, counts[j] * n
                results[i] = Generation(tuple(row_texts), len(ids[i]), row_count, share)
        return results  # type: ignore[return-value]

    def _prefix_cache(self, prefix: tuple[int, ...]):
        """The KV cache of a shared prompt prefix (few-shot exemplars), computed once and kept (LRU of 2)."""
        import torch
        from transformers import DynamicCache

        hit = self._prefixes.pop(prefix, None)
        if hit is None:
            cache = DynamicCache(config=self.model.config)
            ids = torch.tensor([prefix], device=self.device)
            with torch.inference_mode():
                self.model(input_ids=ids, attention_mask=torch.ones_like(ids), use_cache=True,
                           **{self._cache_kw: cache})
            hit = cache
        self._prefixes[prefix] = hit
        while len(self._prefixes) > 2:
            self._prefixes.pop(next(iter(self._prefixes)))
        return hit

    def _inputs(self, batch_ids, n: int):
        """Padded inputs, each row repeated n times after ONE prefill of the distinct prompts (all but their
        last token, which generate feeds), the KV cache then repeated n times; see `_padded`."""
        import torch

        input_ids, mask, extra = self._padded(batch_ids)
        if n == 1:
            return input_ids, mask, extra
        from transformers import DynamicCache

        cache = extra.get(self._cache_kw) or DynamicCache(config=self.model.config)
        done, width = cache.get_seq_length(), input_ids.shape[1]
        if width - 1 > done:
            positions = mask.long().cumsum(-1) - 1  # generate's own rule for left-padded rows
            positions.masked_fill_(mask == 0, 1)
            with torch.inference_mode():
                self.model(input_ids=input_ids[:, done:width - 1], attention_mask=mask[:, :width - 1],
                           position_ids=positions[:, done:width - 1], use_cache=True, **{self._cache_kw: cache})
        cache.batch_repeat_interleave(n)
        return (input_ids.repeat_interleave(n, dim=0), mask.repeat_interleave(n, dim=0), {self._cache_kw: cache})

    def _padded(self, rows):
        """Left-padded rows; with a shared prefix: prefix + pads + suffix, and a copy of the prefix's cache."""
        import copy

        import torch

        pad = self.tokenizer.pad_token_id
        shared = 0
        if self.prefix_cache and len(rows) > 1:
            first, shortest = rows[0], min(len(r) for r in rows)
            while shared < shortest - 1 and all(r[shared] == first[shared] for r in rows):
                shared += 1
        if shared >= self.min_prefix:
            tails = [r[shared:] for r in rows]
            width = max(len(t) for t in tails)
            prefix = list(rows[0][:shared])
            input_ids = [prefix + [pad] * (width - len(t)) + list(t) for t in tails]
            mask = [[1] * shared + [0] * (width - len(t)) + [1] * len(t) for t in tails]
            cache = copy.deepcopy(self._prefix_cache(tuple(prefix)))
            cache.batch_repeat_interleave(len(rows))
            extra = {self._cache_kw: cache}
        else:
            width = max(len(r) for r in rows)
            input_ids = [[pad] * (width - len(r)) + list(r) for r in rows]
            mask = [[0] * (width - len(r)) + [1] * len(r) for r in rows]
            extra = {}
        as_tensor = lambda x: torch.tensor(x, dtype=torch.long, device=self.device)  # noqa: E731
        return as_tensor(input_ids), as_tensor(mask), extra

    def _generate_batch(self, batch_ids, *, max_new_tokens, temperature, top_p, n, stop, greedy_first=False):
        import torch
        from transformers import LogitsProcessorList, StoppingCriteriaList

        input_ids, attention, extra = self._inputs(batch_ids, n)
        prompt_len = input_ids.shape[1]
        criteria = StopOnStrings(self.tokenizer, stop, prompt_len, input_ids.shape[0]) if stop else None
        kwargs = dict(
            extra,
            max_new_tokens=max_new_tokens,
            eos_token_id=self.eos_ids,
            pad_token_id=self.tokenizer.pad_token_id,
            stopping_criteria=StoppingCriteriaList([criteria]) if criteria else None,
        )
        if temperature > 0:  # rows are already repeated n times; each samples independently
            kwargs.update(do_sample=True, temperature=temperature, top_p=top_p, top_k=0)
            if greedy_first:
                kwargs["logits_processor"] = LogitsProcessorList([GreedyRows(n)])
        else:
            kwargs.update(do_sample=False, temperature=None, top_p=None, top_k=None)
        with torch.inference_mode():
            out = self.model.generate(input_ids=input_ids, attention_mask=attention, **kwargs)
        generated = out[:, prompt_len:].cpu()
        eos = torch.tensor(self.eos_ids)
        texts, counts = [], []
        for row in range(generated.shape[0]):
            tokens = generated[row]
            hits = torch.isin(tokens, eos).nonzero()
            count = int(hits[0]) + 1 if len(hits) else tokens.shape[0]  # the EOS token counts as generated
            if criteria is not None and criteria.stopped_at[row]:
                count = min(count, int(criteria.stopped_at[row]))
            text = self.tokenizer.decode(tokens[:count], skip_special_tokens=True)
            texts.append(cut_at_stop(text, stop))
            counts.append(count)
        return texts, counts
