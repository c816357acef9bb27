"""CpuLM: the fast, batch-invariant CPU backend behind the one `generate` protocol.

It runs `hybrid.lm.cpu`'s decoder (int4 weights, bf16 activations into the matmuls, fp32 everywhere else)
through its continuous-batching scheduler. A prompt's greedy text is the same alone, in a batch of other
prompts and after a resume, and calls from several threads share one running batch. Precisions: "int4"
(one int4 level per matmul, fastest), "int4-head8" (two levels, about 8 bits, for the output head only),
"int8x2" (two levels everywhere: nearly the fp32 logits at about 60% of int4's speed; the default here,
for a full-precision checkpoint; both bundled models default to int4, see `hybrid.lm.catalogue`).
Figures: docs/reference/lm-speed. The weights come from the
int4 cache of a bundled model (`hybrid.lm.bundled.ensure_compact`), or are quantized at load from any
transformers checkpoint of a supported shape (`hybrid.lm.cpu.weights.support_error`).
"""
from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Sequence

from hybrid.lm.base import Generation, Prompt
from hybrid.lm.chat_format import ChatFormat, ChatFormatted
from hybrid.lm.errors import ModelError, load_error
from hybrid.lm.scripted import cut_at_stop
from hybrid.lm.torch_setup import cpu_threads

DEFAULT_PRECISION = "int8x2"
DEFAULT_BATCH = 16


class CpuLM(ChatFormatted):
    """See the module docstring."""

    device = "cpu"
    dtype = "int4 weights, bf16 matmul inputs"

    def __init__(self, source: str, *, name: str | None = None, precision: str = DEFAULT_PRECISION,
                 max_batch_size: int | None = None, num_threads: int | None = None,
                 local_files_only: bool = False, chat_for_text: bool = True, chunk: int = 64,
                 prefix_cache_mb: int = 256, continuous: bool = True) -> None:
        import torch
        from transformers import AutoTokenizer

        from hybrid.lm.cpu import int4, weights
        from hybrid.lm.cpu.scheduler import Scheduler

        if precision not in weights.PRECISIONS:
            raise ModelError(f"unknown CPU precision {precision!r}; use one of {', '.join(weights.PRECISIONS)}")
        if not int4.available():
            raise ModelError(f"torch {torch.__version__} has no CPU int4 matmul; use quantize=None (fp32)")
        self.name = name or source
        self.source = source
        # continuous=False makes the engine use its per-step barrier again (to measure what batching gains)
        self.concurrent = bool(continuous)
        self.quantize = precision
        self.max_batch_size = max_batch_size or DEFAULT_BATCH
        torch.set_num_threads(num_threads or cpu_threads())
        started = time.perf_counter()
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=local_files_only)
        except (OSError, ValueError) as exc:
            raise load_error(source, exc) from exc
        folder = Path(source)
        if (folder / weights.TENSORS_FILE).is_file():
            config = json.loads((folder / "config.json").read_text())
            stored = json.loads((folder / "hybrid-cache.json").read_text()).get("precision", precision) \
                if (folder / "hybrid-cache.json").is_file() else precision
            if stored != precision:
                raise ModelError(f"{source} holds {stored} weights, not {precision}")
            tensors = weights.load(folder)
            generation_eos = _generation_eos(folder)
        else:
            config, tensors, generation_eos = _quantize_checkpoint(source, precision, local_files_only)
        reason = weights.support_error(config)
        if reason:
            raise ModelError(f"{self.name} cannot run on the CPU path: {reason}; use quantize=None (fp32)")
        self.decoder = weights.build(config, tensors)
        del tensors
        self.load_seconds = time.perf_counter() - started
        self.format = ChatFormat(self.tokenizer, chat_for_text=chat_for_text, generation_eos=generation_eos)
        self.eos_ids = self.format.eos_ids
        self._tokenizer_lock = threading.Lock()
        self.scheduler = Scheduler(self.decoder, self.eos_ids, self._decode, max_batch=self.max_batch_size,
                                   chunk=chunk, chunk_cache_bytes=prefix_cache_mb << 20)

    # Several threads may call generate at once: they join one running batch (see the scheduler), so the
    # engine calls it directly instead of through its barrier (`hybrid.batching.batcher_for`).
    concurrent = True

    def encode(self, prompts: Sequence[Prompt]) -> list[list[int]]:
        with self._tokenizer_lock:
            return self.format.encode(prompts)

    def _decode(self, tokens) -> str:
        with self._tokenizer_lock:
            return self.tokenizer.decode(tokens, skip_special_tokens=True)

    def generate(self, prompts: Sequence[Prompt], *, max_new_tokens: int = 512, temperature: float = 0.0,
                 top_p: float = 1.0, n: int = 1, stop: Sequence[str] = (), seed: int = 0,
                 greedy_first: bool = False) -> list[Generation]:
        from hybrid.lm.cpu.scheduler import Request

        if n < 1:
            raise ValueError("n must be >= 1")
        prompts = list(prompts)
        if not prompts:
            return []
        began = time.perf_counter()
        ids = self.encode(prompts)
        sample = temperature > 0
        stop = tuple(s for s in stop if s)
        requests = [Request(list(row), n=n if sample else 1, max_new_tokens=max_new_tokens,
                            temperature=temperature, top_p=top_p, stop=stop, seed=seed,
                            greedy_first=greedy_first and sample and n > 1) for row in ids]
        finished = self.scheduler.run(requests)
        share = (time.perf_counter() - began) / len(prompts)
        results = []
        for prompt_ids, rows in zip(ids, finished):
            texts, count = [], 0
            for row in rows:
                tokens = row.tokens
                end = next((i + 1 for i, t in enumerate(tokens) if t in self.scheduler.eos), len(tokens))
                if row.stopped_at:
                    end = min(end, row.stopped_at)
                texts.append(cut_at_stop(self._decode(tokens[:end]), stop))
                count += end
            if not sample:  # greedy samples are identical: decoded once, reported n times
                texts, count = texts * n, count * n
            results.append(Generation(tuple(texts), len(prompt_ids), count, share))
        return results


def _generation_eos(folder: Path):
    try:
        return json.loads((folder / "generation_config.json").read_text()).get("eos_token_id")
    except (OSError, ValueError):
        return None


def _quantize_checkpoint(source: str, precision: str, local_files_only: bool):
    """(config dict, int4 tensors, generation EOS) of a transformers checkpoint, quantized in memory."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM

    from hybrid.lm.cpu import weights

    try:
        config = AutoConfig.from_pretrained(source, local_files_only=local_files_only).to_dict()
    except (OSError, ValueError) as exc:
        raise load_error(source, exc) from exc
    reason = weights.support_error(config)
    if reason:
        raise ModelError(f"{source} cannot run on the CPU path: {reason}; use quantize=None (fp32)")
    model = AutoModelForCausalLM.from_pretrained(source, dtype=torch.float32, local_files_only=local_files_only)
    eos = getattr(model.generation_config, "eos_token_id", None)
    tensors = weights.pack(config, model.state_dict(), precision)
    del model
    return config, tensors, eos
