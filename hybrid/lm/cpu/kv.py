"""KV caches of the CPU path: one per sequence, and a shared cache of prompt chunks.

`SeqCache` holds one sequence's keys and values for every layer ([layers, kv_heads, capacity, head_dim],
fp32) and grows `GROWTH` positions at a time (a row's cache is freed as soon as the row ends).
`ChunkCache` keeps the KV of prompt chunks keyed by all the tokens up to a chunk's end, so a prompt
that starts like an earlier one (the few-shot exemplars) copies those chunks instead of computing them;
since a chunk's KV depends only on the tokens up to its end, a copy is bitwise what computing it gives.
It is an LRU bounded in bytes.
"""
from __future__ import annotations

import hashlib
from collections import OrderedDict


GROWTH = 256


class SeqCache:
    """One sequence's KV cache; `length` positions are filled."""

    def __init__(self, layers: int, kv_heads: int, head_dim: int, capacity: int):
        import torch

        shape = (layers, kv_heads, max(16, capacity), head_dim)
        self.k = torch.empty(shape)
        self.v = torch.empty(shape)
        self.length = 0

    @property
    def capacity(self) -> int:
        return self.k.shape[2]

    def reserve(self, total: int) -> None:
        """Make room for `total` positions (keeping what is filled)."""
        import torch

        if total <= self.capacity:
            return
        size = max(total, self.capacity + GROWTH)
        for name in ("k", "v"):
            old = getattr(self, name)
            new = torch.empty(old.shape[0], old.shape[1], size, old.shape[3])
            new[:, :, :self.length] = old[:, :, :self.length]
            setattr(self, name, new)

    def copy(self) -> "SeqCache":
        """An independent copy of the filled part (for the n samples of one prompt)."""
        twin = SeqCache.__new__(SeqCache)
        twin.k, twin.v, twin.length = self.k.clone(), self.v.clone(), self.length
        return twin

    def nbytes(self) -> int:
        return 2 * self.k.numel() * self.k.element_size()


def chunk_key(tokens) -> str:
    """The key of the chunk that ends after `tokens` (all of the prompt's tokens up to that point)."""
    import array

    return hashlib.blake2b(array.array("q", tokens).tobytes(), digest_size=16).hexdigest()


class ChunkCache:
    """LRU of prompt chunks' KV ([layers, kv_heads, chunk, head_dim] each), bounded by `max_bytes`."""

    def __init__(self, max_bytes: int = 256 << 20):
        self.max_bytes = max_bytes
        self.entries: OrderedDict[str, tuple] = OrderedDict()
        self.bytes = 0
        self.hits = 0
        self.misses = 0

    def get(self, key: str):
        hit = self.entries.get(key)
        if hit is None:
            self.misses += 1
            return None
        self.entries.move_to_end(key)
        self.hits += 1
        return hit

    def put(self, key: str, k, v) -> None:
        if key in self.entries or self.max_bytes <= 0:
            return
        size = 2 * k.numel() * k.element_size()
        self.entries[key] = (k.clone(), v.clone())
        self.bytes += size
        while self.bytes > self.max_bytes and self.entries:
            _, (old_k, old_v) = self.entries.popitem(last=False)
            self.bytes -= 2 * old_k.numel() * old_k.element_size()
