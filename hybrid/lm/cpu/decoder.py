"""The transformer forward of the CPU path (Qwen2 and Llama shapes: RMSNorm, RoPE, grouped-query
attention, SiLU-gated MLP), for one sequence's prompt chunk (`prefill_chunk`) or for one new token of
each of many sequences (`decode`).

Linear layers are `Int4Linear` (or `DenseLinear`, the fp32 reference); q/k/v and gate/up are fused into
one matmul each. Everything that mixes rows is avoided in `decode`: norms and activations work row by
row, the int4 matmul computes each output row alone, and attention runs per sequence over its own
cache, so a row's numbers do not depend on the batch.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Shape:
    hidden: int
    heads: int
    kv_heads: int
    head_dim: int
    layers: int
    vocab: int
    eps: float
    rope_theta: float


@dataclass
class Layer:
    input_norm: Any
    qkv: Any
    o: Any
    post_norm: Any
    gate_up: Any
    down: Any


class Decoder:
    """Weights plus forward; see the module docstring."""

    def __init__(self, shape: Shape, embed, layers: list[Layer], norm, head):
        self.shape = shape
        self.embed = embed  # [vocab, hidden], bf16 or fp32
        self.layers = layers
        self.norm = norm
        self.head = head
        self._cos = self._sin = None

    def _rope_tables(self, upto: int):
        import torch

        if self._cos is None or self._cos.shape[0] < upto:
            size = max(upto, 4096, 0 if self._cos is None else 2 * self._cos.shape[0])
            dim = self.shape.head_dim
            inv_freq = 1.0 / (self.shape.rope_theta ** (torch.arange(0, dim, 2, dtype=torch.int64).float() / dim))
            freqs = torch.arange(size, dtype=torch.float32)[:, None] * inv_freq[None, :]
            emb = torch.cat([freqs, freqs], dim=-1)
            self._cos, self._sin = emb.cos(), emb.sin()
        return self._cos, self._sin

    def _norm(self, x, weight):
        import torch

        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.shape.eps) * weight

    @staticmethod
    def _rotate(x, cos, sin):
        import torch

        half = x.shape[-1] // 2
        return x * cos + torch.cat([-x[..., half:], x[..., :half]], dim=-1) * sin

    def _embed(self, tokens):
        import torch

        return self.embed[torch.as_tensor(tokens, dtype=torch.long)].float()

    def _mlp(self, layer: Layer, x):
        import torch

        h = self._norm(x, layer.post_norm)
        gate, up = layer.gate_up(h).chunk(2, dim=-1)
        return x + layer.down(torch.nn.functional.silu(gate) * up)

    def prefill_chunk(self, cache, tokens: list[int], *, logits: bool):
        """Append `tokens` (positions cache.length ...) to one sequence's cache; the last token's logits
        (fp32 [vocab]) when `logits`, else None."""
        import torch

        s = self.shape
        start, count = cache.length, len(tokens)
        end = start + count
        cache.reserve(end)
        cos, sin = self._rope_tables(end)
        cos, sin = cos[start:end], sin[start:end]
        query_pos = torch.arange(start, end)[:, None]
        mask = torch.arange(end)[None, :] <= query_pos  # [count, end]
        x = self._embed(tokens)
        for index, layer in enumerate(self.layers):
            h = self._norm(x, layer.input_norm)
            q, k, v = layer.qkv(h).split([s.heads * s.head_dim, s.kv_heads * s.head_dim,
                                          s.kv_heads * s.head_dim], dim=-1)
            q = self._rotate(q.view(count, s.heads, s.head_dim).transpose(0, 1), cos, sin)
            k = self._rotate(k.view(count, s.kv_heads, s.head_dim).transpose(0, 1), cos, sin)
            cache.k[index, :, start:end] = k
            cache.v[index, :, start:end] = v.view(count, s.kv_heads, s.head_dim).transpose(0, 1)
            out = torch.nn.functional.scaled_dot_product_attention(
                q[None], cache.k[None, index, :, :end], cache.v[None, index, :, :end],
                attn_mask=mask[None, None], enable_gqa=True)
            x = x + layer.o(out[0].transpose(0, 1).reshape(count, s.heads * s.head_dim))
            x = self._mlp(layer, x)
        cache.length = end
        if not logits:
            return None
        return self.head(self._norm(x[-1:], self.norm))[0]

    def decode(self, caches: list, tokens: list[int]):
        """One new token per sequence: appends to each cache; logits fp32 [rows, vocab]."""
        import torch

        s = self.shape
        rows = len(tokens)
        positions = [c.length for c in caches]
        for cache, pos in zip(caches, positions):
            cache.reserve(pos + 1)
        cos, sin = self._rope_tables(max(positions) + 1)
        index_t = torch.tensor(positions)
        cos, sin = cos[index_t][:, None, :], sin[index_t][:, None, :]
        x = self._embed(tokens)
        for index, layer in enumerate(self.layers):
            h = self._norm(x, layer.input_norm)
            q, k, v = layer.qkv(h).split([s.heads * s.head_dim, s.kv_heads * s.head_dim,
                                          s.kv_heads * s.head_dim], dim=-1)
            q = self._rotate(q.view(rows, s.heads, s.head_dim), cos, sin)
            k = self._rotate(k.view(rows, s.kv_heads, s.head_dim), cos, sin)
            v = v.view(rows, s.kv_heads, s.head_dim)
            outs = []
            for row, (cache, pos) in enumerate(zip(caches, positions)):
                cache.k[index, :, pos] = k[row]
                cache.v[index, :, pos] = v[row]
                outs.append(torch.nn.functional.scaled_dot_product_attention(
                    q[row][None, :, None, :], cache.k[None, index, :, :pos + 1], cache.v[None, index, :, :pos + 1],
                    enable_gqa=True)[0, :, 0, :])
            x = x + layer.o(torch.stack(outs).reshape(rows, s.heads * s.head_dim))
            x = self._mlp(layer, x)
        for cache, pos in zip(caches, positions):
            cache.length = pos + 1
        return self.head(self._norm(x, self.norm))
