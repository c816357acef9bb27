"""Group-wise int4 weights and their matmul on CPU.

A weight [N, K] is cut into groups of `GROUP` inputs; each group keeps 4-bit codes q in 0..15 and an affine
map w = scale * q + low (the group's minimum and range / 15). On disk a weight is three tensors (codes
packed two per byte, scales, lows, all machine-independent); in memory it is torch's packed layout for
`_weight_int4pack_mm_for_cpu`, which takes bf16 activations and computes every output row on its own, so
a row's result never depends on the other rows of the batch.
"""
from __future__ import annotations

GROUP = 32
PACK_ROWS = 4096  # a multiple of 1024: packing such blocks separately gives torch's whole-matrix layout


def available() -> bool:
    """True when this torch has the CPU int4 weight-only matmul."""
    import torch

    return hasattr(torch.ops.aten, "_weight_int4pack_mm_for_cpu") and hasattr(
        torch.ops.aten, "_convert_weight_to_int4pack_for_cpu")


def quantize(weight, levels: int = 1) -> dict:
    """fp32 weight [N, K] -> {"codes": uint8 [N, K/2], "scales": fp32 [N, K/G], "lows": fp32 [N, K/G]};
    with levels=2 also "codes2"/"scales2"/"lows2": the int4 codes of what the first level missed (about
    eight bits in all, at twice the matmul cost)."""
    first = _quantize_once(weight)
    if levels < 2:
        return first
    second = _quantize_once(weight.detach().float() - dequantize(first))
    return {**first, **{f"{key}2": value for key, value in second.items()}}


def _quantize_once(weight) -> dict:
    import torch

    w = weight.detach().float()
    n, k = w.shape
    groups = w.reshape(n, k // GROUP, GROUP)
    low, high = groups.amin(-1), groups.amax(-1)
    scale = ((high - low) / 15).clamp(min=1e-10)
    codes = torch.round((groups - low[..., None]) / scale[..., None]).clamp(0, 15).to(torch.uint8).reshape(n, k)
    packed = codes[:, 0::2] | (codes[:, 1::2] << 4)
    return {"codes": packed.contiguous(), "scales": scale.contiguous(), "lows": low.contiguous()}


def dequantize(parts: dict):
    """The fp32 weight [N, K] that `parts` stands for (for checks and tests)."""
    import torch

    packed = parts["codes"]
    codes = torch.stack([packed & 15, packed >> 4], dim=-1).reshape(packed.shape[0], -1).float()
    n, k = codes.shape
    groups = codes.reshape(n, k // GROUP, GROUP)
    return (groups * parts["scales"][..., None] + parts["lows"][..., None]).reshape(n, k)


class Int4Linear:
    """y = x @ W.T (+ bias) with W in int4 (one or two levels); x and y are fp32 [M, K] / [M, N]."""

    def __init__(self, parts: dict, bias=None):
        self.levels = [_Level(parts)]
        if "codes2" in parts:
            self.levels.append(_Level({key: parts[f"{key}2"] for key in ("codes", "scales", "lows")}))
        self.out_features, self.in_features = self.levels[0].out_features, self.levels[0].in_features
        self.bias = None if bias is None else bias.detach().float().contiguous()

    def __call__(self, x):
        import torch

        xb = x.to(torch.bfloat16)
        y = self.levels[0](xb)
        for level in self.levels[1:]:
            y = y + level(xb)
        return y if self.bias is None else y + self.bias


class _Level:
    """One int4 level in torch's packed layout (rows padded to a multiple of 16, as the kernel needs)."""

    def __init__(self, parts: dict):
        import torch

        packed = parts["codes"]
        n = packed.shape[0]
        self.out_features, self.in_features = n, 2 * packed.shape[1]
        padded = -(-n // 16) * 16
        scale, low = parts["scales"], parts["lows"]
        if padded != n:  # extra rows of zero weight, cut from the output
            packed = torch.cat([packed, packed.new_full((padded - n, packed.shape[1]), 0)])
            scale = torch.cat([scale, scale.new_zeros(padded - n, scale.shape[1])])
            low = torch.cat([low, low.new_zeros(padded - n, low.shape[1])])
        # Packed PACK_ROWS rows at a time (torch's layout is the same as packing all at once, checked in the
        # tests), so loading never holds a whole matrix as int32 codes.
        blocks = []
        for start in range(0, padded, PACK_ROWS):
            rows = packed[start:start + PACK_ROWS]
            codes = torch.stack([rows & 15, rows >> 4], dim=-1).reshape(rows.shape[0], -1).to(torch.int32)
            blocks.append(torch.ops.aten._convert_weight_to_int4pack_for_cpu(codes, 1))
        self.weight = blocks[0] if len(blocks) == 1 else torch.cat(blocks)
        del blocks
        # torch's map is w = (q - 8) * scale + zero, so zero = low + 8 * scale.
        zero = low + 8 * scale
        self.scales_and_zeros = torch.stack([scale, zero], dim=-1).transpose(0, 1).contiguous().to(torch.bfloat16)
        self.cut = padded != n

    def __call__(self, xb):
        import torch

        y = torch.ops.aten._weight_int4pack_mm_for_cpu(xb, self.weight, GROUP, self.scales_and_zeros).float()
        return y[:, :self.out_features] if self.cut else y


class DenseLinear:
    """The fp32 reference: y = x @ W.T (+ bias), through torch's ordinary (not row-independent) matmul."""

    def __init__(self, weight, bias=None):
        self.weight = weight.detach().float().contiguous()
        self.bias = None if bias is None else bias.detach().float().contiguous()
        self.out_features, self.in_features = self.weight.shape

    def __call__(self, x):
        import torch

        return torch.nn.functional.linear(x, self.weight, self.bias)
