"""The fast CPU path: a batch-invariant decoder for Qwen2/Llama-shaped models with int4 weights.

- `int4`: group-wise int4 weights (one scale and one offset per 32 inputs) and the matmul that runs them
  (torch's `_weight_int4pack_mm_for_cpu`, bf16 activations, every output row computed on its own).
- `decoder`: the transformer forward, for one sequence's prompt chunk or one token of many sequences.
- `kv`: each sequence's own KV cache, and a cache of prompt chunks keyed by the tokens up to their end.
- `scheduler`: continuous batching: a finished row frees its slot and waiting work takes it.
- `weights`: building the decoder from a transformers model, and the int4 cache on disk.

Why it is batch-invariant: a prompt is always prefilled alone, in chunks whose boundaries depend only on
its own length; decoding batches rows only through kernels that compute each row independently (the int4
matmul, row-wise norms and activations); attention runs per row over that row's own cache, with no
padding. So the greedy text of a prompt is the same alone, in any batch, and after a resume.
torch is imported by the submodules, not here.
"""
